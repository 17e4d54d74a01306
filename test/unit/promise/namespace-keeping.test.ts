// A team's namespace is the team's: the rules of src/promise/namespace-keeping.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keptNamespaces, leavingNamespaces } from "../../../src/promise/namespace-keeping";
import type { PlannedObject, RenderPlan } from "../../../src/promise/plan";
import { teamEnvironment } from "../../../src/promise/team-environment";
import { isForeign, pledgeMade } from "../../../src/cli/clusters/namespace-contents";

function planWith(namespaces: [team: string, cluster: string][]): RenderPlan {
  const objects = namespaces.map(([team, cluster]): PlannedObject => ({
    resourceName: `${cluster}/Namespace/${team}`,
    cluster,
    content: teamEnvironment(team, undefined)[0]!,
    owner: { kind: "team", team },
    dependsOn: [],
  }));
  return { objects, outputs: new Map() };
}

const previous = (
  placement: Record<string, string[]>,
  teams: Record<string, string>,
  kept: { cluster: string; namespace: string }[] = [],
) => ({
  placement: new Map(Object.entries(placement)),
  teams: new Map(Object.entries(teams)),
  keptNamespaces: kept,
});

describe("which team namespaces an update would delete", () => {
  const before = previous({ "redis/a": ["c1", "c2"], "redis/b": ["c1"] }, { "redis/a": "web", "redis/b": "shop" });

  it("a team's namespace leaves a cluster when the team's last request there is gone", () => {
    const leaving = leavingNamespaces(
      before,
      planWith([
        ["web", "c1"],
        ["shop", "c1"],
      ]),
      new Set(["c1", "c2"]),
    );
    assert.deepEqual(leaving, [{ cluster: "c2", namespace: "web" }]);
  });

  it("nothing leaves while every team still has a request on the cluster", () => {
    const plan = planWith([
      ["web", "c1"],
      ["web", "c2"],
      ["shop", "c1"],
    ]);
    assert.deepEqual(leavingNamespaces(before, plan, new Set(["c1", "c2"])), []);
  });

  it("a removed cluster's namespaces go with the cluster (the deletion guard asks about the cluster)", () => {
    assert.deepEqual(
      leavingNamespaces(
        before,
        planWith([
          ["web", "c1"],
          ["shop", "c1"],
        ]),
        new Set(["c1"]),
      ),
      [],
    );
  });

  it("a namespace kept by the last update is checked again", () => {
    const kept = previous({}, {}, [{ cluster: "c3", namespace: "old" }]);
    assert.deepEqual(leavingNamespaces(kept, planWith([]), new Set(["c3"])), [{ cluster: "c3", namespace: "old" }]);
  });
});

describe("which leaving namespaces are kept", () => {
  const leaving = [
    { cluster: "c1", namespace: "web" },
    { cluster: "c2", namespace: "shop" },
  ];

  it("keeps a namespace holding an object Pledge did not create, naming it and the confirmation", () => {
    const kept = keptNamespaces(
      leaving,
      new Map([
        ["web@c1", ["ConfigMap team-notes"]],
        ["shop@c2", []],
      ]),
      new Set(),
    );
    assert.deepEqual(kept, [
      {
        cluster: "c1",
        namespace: "web",
        notice:
          "namespace web on c1 is kept: it holds 1 object Pledge did not create (ConfigMap team-notes); pledge up --allow-delete namespace:web@c1 deletes it",
      },
    ]);
  });

  it("deletes a namespace holding only Pledge's objects", () => {
    assert.deepEqual(
      keptNamespaces(
        leaving,
        new Map([
          ["web@c1", []],
          ["shop@c2", []],
        ]),
        new Set(),
      ),
      [],
    );
  });

  it("keeps what nobody looked into (plain pulumi up, an unreachable cluster)", () => {
    const kept = keptNamespaces(leaving, undefined, new Set());
    assert.deepEqual(
      kept.map((k) => k.namespace),
      ["web", "shop"],
    );
    assert.match(kept[0]!.notice, /^namespace web on c1 is kept: what it holds was not checked/);
  });

  it("deletes a kept namespace only when the platform owner confirms it by name (all confirms only what Pledge made)", () => {
    const contents = new Map([["web@c1", ["ConfigMap team-notes"]]]);
    assert.deepEqual(keptNamespaces(leaving.slice(0, 1), contents, new Set(["namespace:web@c1"])), []);
    assert.equal(keptNamespaces(leaving.slice(0, 1), contents, new Set(["all"])).length, 1);
    assert.equal(keptNamespaces(leaving.slice(0, 1), contents, new Set(["namespace:web@c2"])).length, 1);
  });

  it("lists at most five objects and counts the rest", () => {
    const many = ["a", "b", "c", "d", "e", "f", "g"].map((n) => `ConfigMap ${n}`);
    const [kept] = keptNamespaces(leaving.slice(0, 1), new Map([["web@c1", many]]), new Set());
    assert.match(
      kept!.notice,
      /holds 7 objects Pledge did not create \(ConfigMap a, ConfigMap b, ConfigMap c, ConfigMap d, ConfigMap e and 2 more\)/,
    );
  });
});

describe("what counts as an object Pledge did not create", () => {
  const none = { objects: new Set<string>(), releases: new Set<string>(), claimPrefixes: [] };
  it("a team's own object does", () => {
    assert.equal(isForeign({ metadata: { name: "team-notes" } }, "ConfigMap", none), true);
    assert.equal(
      isForeign({ metadata: { name: "data-other-0" } }, "PersistentVolumeClaim", { ...none, claimPrefixes: ["data-db"] }),
      true,
    );
  });
  it("Pledge's own objects, owned objects and what Kubernetes makes in every namespace do not", () => {
    assert.equal(isForeign({ metadata: { name: "x" } }, "ConfigMap", { ...none, objects: new Set(["ConfigMap/x"]) }), false);
    const owned = { name: "p", ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "r", uid: "u" }] };
    assert.equal(isForeign({ metadata: owned }, "Pod", none), false);
    assert.equal(isForeign({ metadata: { name: "kube-root-ca.crt" } }, "ConfigMap", none), false);
    assert.equal(isForeign({ metadata: { name: "default" } }, "ServiceAccount", none), false);
    assert.equal(isForeign({ metadata: { name: "e" } }, "Event", none), false);
    assert.equal(isForeign({ metadata: { name: "s" } }, "Endpoints", none), false);
  });
  it("a Helm release Pledge installed and its record are Pledge's, and so are its StatefulSets' volume claims", () => {
    const pledge = { ...none, releases: new Set(["greeter"]), claimPrefixes: ["data-db"] };
    const fromRelease = { name: "greeter", annotations: { "meta.helm.sh/release-name": "greeter" } };
    assert.equal(isForeign({ metadata: fromRelease }, "ConfigMap", pledge), false);
    const record = { name: "sh.helm.release.v1.greeter.v1", labels: { owner: "helm", name: "greeter" } };
    assert.equal(isForeign({ metadata: record }, "Secret", pledge), false);
    assert.equal(isForeign({ metadata: { name: "data-db-0" } }, "PersistentVolumeClaim", pledge), false);
    assert.equal(isForeign({ metadata: { name: "data-db-12" } }, "PersistentVolumeClaim", pledge), false);
  });
});

describe("what Pledge made in a namespace, from the state", () => {
  const provider = "urn:pulumi:test::pledge::pulumi:providers:kubernetes::c1-k8s::id";
  it("collects its objects, Helm releases and StatefulSets' claim templates per cluster and namespace", () => {
    const made = pledgeMade([
      {
        urn: "urn:pulumi:test::pledge::kubernetes:apps/v1:StatefulSet::pg/db@c1/StatefulSet/web/db",
        type: "kubernetes:apps/v1:StatefulSet",
        provider,
        inputs: { spec: { volumeClaimTemplates: [{ metadata: { name: "data" } }] } },
        outputs: { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db", namespace: "web" } },
      },
      {
        urn: "urn:pulumi:test::pledge::kubernetes:helm.sh/v3:Release::greeter",
        type: "kubernetes:helm.sh/v3:Release",
        provider,
        outputs: { name: "greeter", namespace: "web" },
      },
    ]);
    const web = made.get("c1\u0000web")!;
    assert.deepEqual([...web.objects], ["StatefulSet/db"]);
    assert.deepEqual([...web.releases], ["greeter"]);
    assert.deepEqual(web.claimPrefixes, ["data-db"]);
  });
});
