// A Git-delivered cluster's files: the Kratix layout (dependencies/ and
// resources/<team>/<promise>/<request>/), placeholders, namespaces Flux never
// prunes, charts as their objects, Secrets handed over with a keyed digest,
// and an unreachable cluster's directory held as it is.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import type { ClusterModel } from "../../../src/fleet/model";
import type { StateStoreEntry } from "../../../src/config/state-stores";
import { gitopsDeliveries, type DeliveriesInput } from "../../../src/gitops/deliveries";
import { secretDigestAnnotation } from "../../../src/gitops/secret-files";
import type { PlannedObject } from "../../../src/promise/plan";
import type { RequestModel } from "../../../src/promise/model-types";

const recipient = "age1qnunujr057gudaplylwa7kjr6sfeuxe9aawxx4htwawxz3s2ts2qapwfz9";
const store: StateStoreEntry = {
  name: "fleet",
  url: "http://127.0.0.1:1/fleet.git",
  branch: "main",
  path: "clusters",
  configPath: "pledge:stateStores[0]",
};
const cluster = (name: string, git: boolean) =>
  ({
    name,
    source: "kubeconfig",
    labels: {},
    taints: [],
    clusterIdentifier: name,
    configPath: "x",
    cloud: "onprem",
    ...(git ? { delivery: { gitops: { store: "fleet", ageRecipient: recipient } } } : {}),
  }) as unknown as ClusterModel;
const requests = [{ promise: "web", name: "shop", namespace: "team-a" }] as unknown as RequestModel[];

const objects: PlannedObject[] = [
  {
    resourceName: "ns",
    cluster: "edge",
    owner: { kind: "team", team: "team-a" },
    dependsOn: [],
    content: { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } },
  },
  {
    resourceName: "dep-chart",
    cluster: "edge",
    owner: { kind: "dependency", promise: "web" },
    dependsOn: [],
    content: { block: "helm-chart", chart: { path: "charts/web" } } as never,
  },
  {
    resourceName: "cm",
    cluster: "edge",
    owner: { kind: "request", promise: "web", request: "shop" },
    dependsOn: [],
    content: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "shop", namespace: "team-a" }, data: { a: "1" } },
  },
  {
    resourceName: "pw",
    cluster: "edge",
    owner: { kind: "request", promise: "web", request: "shop" },
    dependsOn: [],
    content: {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "shop-db", namespace: "team-a" },
      stringData: { password: "s3cret-value" },
    },
  },
  {
    resourceName: "elsewhere",
    cluster: "dc",
    owner: { kind: "request", promise: "web", request: "shop" },
    dependsOn: [],
    content: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "shop", namespace: "team-a" } },
  },
];

function input(extra: Partial<DeliveriesInput> = {}): DeliveriesInput {
  return {
    clusters: [cluster("edge", true), cluster("dc", false)],
    stores: [store],
    requests,
    objects,
    expanded: new Map([
      ["dep-chart", [{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web-operator", namespace: "web-system" } }]],
    ]),
    unreachable: new Set(),
    digestKey: "seed-1",
    ...extra,
  };
}

describe("gitopsDeliveries", () => {
  it("writes each object of the Git-delivered cluster under its owner's directory, with placeholders, and nothing of the direct cluster", () => {
    const { stores, issues } = gitopsDeliveries(input());
    assert.deepEqual(issues, []);
    assert.equal(stores.length, 1);
    assert.deepEqual(stores[0]!.prefixes, { "clusters/edge": { cluster: "edge", ageRecipient: recipient } });
    assert.deepEqual(Object.keys(stores[0]!.files), [
      "clusters/edge/dependencies/pledge-placeholder.yaml",
      "clusters/edge/dependencies/web/deployment-web-system-web-operator.yaml",
      "clusters/edge/resources/pledge-placeholder.yaml",
      "clusters/edge/resources/team-a/environment/namespace-team-a.yaml",
      "clusters/edge/resources/team-a/web/shop/configmap-team-a-shop.yaml",
      "clusters/edge/resources/team-a/web/shop/secret-team-a-shop-db.yaml",
    ]);
    const ns = stores[0]!.files["clusters/edge/resources/team-a/environment/namespace-team-a.yaml"]!;
    assert.ok("text" in ns);
    assert.equal(
      parse(ns.text).metadata.annotations["kustomize.toolkit.fluxcd.io/prune"],
      "disabled",
      "Flux never prunes a team namespace",
    );
    const cm = stores[0]!.files["clusters/edge/resources/team-a/web/shop/configmap-team-a-shop.yaml"]!;
    assert.deepEqual("text" in cm && parse(cm.text), objects[2]!.content);
  });

  it("hands a Secret over with a digest keyed by the seed: same content same digest, other content or seed another", () => {
    const secretOf = (i: DeliveriesInput) => {
      const file = gitopsDeliveries(i).stores[0]!.files["clusters/edge/resources/team-a/web/shop/secret-team-a-shop-db.yaml"]!;
      assert.ok("secret" in file, "a Secret is handed over as a secret, never as text");
      return file;
    };
    const first = secretOf(input());
    assert.equal(first.ageRecipient, recipient);
    assert.equal(parse(first.secret).metadata.annotations[secretDigestAnnotation], first.digest);
    assert.equal(secretOf(input()).digest, first.digest, "stable across runs");
    assert.notEqual(secretOf(input({ digestKey: "seed-2" })).digest, first.digest);
    const changed = objects.map((o) =>
      o.resourceName === "pw" ? { ...o, content: { ...(o.content as object), stringData: { password: "other" } } } : o,
    ) as PlannedObject[];
    assert.notEqual(secretOf(input({ objects: changed })).digest, first.digest);
    assert.doesNotMatch(first.digest, /s3cret/);
  });

  it("refuses Secrets for a Git-delivered cluster when the stack has no secret seed to key their digest", () => {
    const { stores, issues } = gitopsDeliveries(input({ digestKey: undefined }));
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.path, "pledge:secretSeed");
    assert.match(issues[0]!.message, /is not set, and Secrets for Git-delivered cluster edge carry a digest keyed by it/);
    assert.deepEqual(stores[0]!.files, {}, "nothing is written for it");
  });

  it("holds an unreachable cluster's directory: no files, listed as held", () => {
    const { stores } = gitopsDeliveries(input({ unreachable: new Set(["edge"]) }));
    assert.deepEqual(stores[0]!.held, ["clusters/edge"]);
    assert.deepEqual(stores[0]!.files, {});
  });

  it("takes a credentials copy's data from the planned Secret, and refuses one a chart renders", () => {
    const copy: PlannedObject = {
      resourceName: "copy",
      cluster: "edge",
      owner: { kind: "request", promise: "web", request: "shop" },
      dependsOn: ["pw"],
      secretDataFrom: "pw",
      content: { apiVersion: "v1", kind: "Secret", metadata: { name: "copy", namespace: "team-a" } },
    };
    const ok = gitopsDeliveries(input({ objects: [...objects, copy] }));
    const file = ok.stores[0]!.files["clusters/edge/resources/team-a/web/shop/secret-team-a-copy.yaml"]!;
    assert.ok("secret" in file);
    assert.equal(parse(file.secret).data.password, Buffer.from("s3cret-value").toString("base64"));
    const bad = gitopsDeliveries(input({ objects: [...objects, { ...copy, secretDataFrom: "dep-chart" }] }));
    assert.match(bad.issues[0]!.message, /copies credentials from dep-chart, which a chart or YAML file renders/);
  });
});
