// What a change does on each cluster, from its applied digests and the plan's:
// what a staged rollout holds back (creates, updates and deletes of an owner on
// the cluster before and after), what goes at once (an owner arriving or
// leaving), and one id for the whole held change.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AppliedDigests } from "../../../src/rollout/applied";
import { changeId, clusterChanges, clustersWithHeldChanges } from "../../../src/rollout/changes";

const applied: AppliedDigests = {
  "eu-1": {
    "team:shop": { ns: "d-ns", quota: "d-quota" },
    "request:redis/cache": { "cache-deploy": "d1", "cache-svc": "d2", "cache-old": "d3" },
  },
  "us-1": {
    "team:shop": { "ns-us": "d-ns" },
  },
};

describe("clusterChanges", () => {
  it("holds creates, updates and deletes of an owner on the cluster before and after, in name order", () => {
    const wanted: AppliedDigests = {
      "eu-1": {
        "team:shop": { ns: "d-ns", quota: "d-quota" },
        "request:redis/cache": { "cache-deploy": "d1-new", "cache-svc": "d2", "cache-pdb": "d4" },
      },
      "us-1": applied["us-1"]!,
    };
    const changes = clusterChanges(wanted, applied, false);
    assert.deepEqual([...changes.keys()], ["eu-1"], "a cluster whose digests did not change has no change");
    assert.deepEqual(changes.get("eu-1"), {
      held: [
        { name: "cache-deploy", owner: "request:redis/cache", kind: "update", wanted: "d1-new" },
        { name: "cache-old", owner: "request:redis/cache", kind: "delete" },
        { name: "cache-pdb", owner: "request:redis/cache", kind: "create", wanted: "d4" },
      ],
      free: 0,
    });
    assert.deepEqual(clustersWithHeldChanges(changes), ["eu-1"]);
  });

  it("lists held changes in name order across owners", () => {
    const wanted: AppliedDigests = {
      "eu-1": {
        "team:shop": { ns: "d-ns", quota: "d-quota-2" },
        "request:redis/cache": { "cache-deploy": "d1-new", "cache-svc": "d2", "cache-old": "d3" },
      },
    };
    assert.deepEqual(
      clusterChanges(wanted, { "eu-1": applied["eu-1"]! }, false)
        .get("eu-1")!
        .held.map((h) => h.name),
      ["cache-deploy", "quota"],
    );
  });

  it("finds no change when every digest is the same", () => {
    const changes = clusterChanges(structuredClone(applied), applied, true);
    assert.equal(changes.size, 0);
    assert.deepEqual(clustersWithHeldChanges(changes), []);
  });

  it("lets a new request's objects go at once, counting them as free", () => {
    const wanted: AppliedDigests = {
      ...applied,
      "us-1": { "team:shop": { "ns-us": "d-ns" }, "request:redis/new": { a: "x", b: "y" } },
    };
    const changes = clusterChanges(wanted, applied, false);
    assert.deepEqual(changes.get("us-1"), { held: [], free: 2 });
    assert.deepEqual(clustersWithHeldChanges(changes), [], "nothing is held: no rollout");
  });

  it("holds a new request's objects as creates with holdNew", () => {
    const wanted: AppliedDigests = {
      ...applied,
      "us-1": { "team:shop": { "ns-us": "d-ns" }, "request:redis/new": { a: "x" } },
    };
    const changes = clusterChanges(wanted, applied, true);
    assert.deepEqual(changes.get("us-1"), {
      held: [{ name: "a", owner: "request:redis/new", kind: "create", wanted: "x" }],
      free: 0,
    });
    assert.deepEqual(clustersWithHeldChanges(changes), ["us-1"]);
  });

  it("lets a new cluster's objects go at once, and holds them with holdNew", () => {
    const wanted: AppliedDigests = { ...applied, "ap-1": { "team:shop": { "ns-ap": "d-ns", "quota-ap": "q" } } };
    assert.deepEqual(clusterChanges(wanted, applied, false).get("ap-1"), { held: [], free: 2 });
    assert.deepEqual(
      clusterChanges(wanted, applied, true)
        .get("ap-1")!
        .held.map((h) => [h.name, h.kind]),
      [
        ["ns-ap", "create"],
        ["quota-ap", "create"],
      ],
    );
  });

  it("lets a leaving owner's deletes go at once, even with holdNew", () => {
    const wanted: AppliedDigests = { ...applied, "eu-1": { "team:shop": applied["eu-1"]!["team:shop"]! } };
    for (const holdNew of [false, true]) {
      const changes = clusterChanges(wanted, applied, holdNew);
      assert.deepEqual(changes.get("eu-1"), { held: [], free: 3 }, `holdNew ${holdNew}`);
    }
  });

  it("lets a removed cluster's deletes go at once", () => {
    const wanted: AppliedDigests = { "eu-1": applied["eu-1"]! };
    assert.deepEqual(clusterChanges(wanted, applied, true).get("us-1"), { held: [], free: 1 });
  });

  it("counts held and free changes on the same cluster apart", () => {
    const wanted: AppliedDigests = {
      "eu-1": {
        "team:shop": { ns: "d-ns", quota: "d-quota-2" },
        "promise:redis": { operator: "op" },
      },
      "us-1": applied["us-1"]!,
    };
    assert.deepEqual(clusterChanges(wanted, applied, false).get("eu-1"), {
      held: [{ name: "quota", owner: "team:shop", kind: "update", wanted: "d-quota-2" }],
      free: 4, // the request's 3 deletes and the promise's create
    });
  });

  it("lists the changed clusters in name order", () => {
    const wanted: AppliedDigests = {
      "us-1": { "team:shop": { "ns-us": "changed" } },
      "eu-1": { "team:shop": { ns: "changed", quota: "d-quota" } },
    };
    const before: AppliedDigests = { "us-1": applied["us-1"]!, "eu-1": { "team:shop": applied["eu-1"]!["team:shop"]! } };
    const changes = clusterChanges(wanted, before, false);
    assert.deepEqual([...changes.keys()], ["eu-1", "us-1"]);
    assert.deepEqual(clustersWithHeldChanges(changes), ["eu-1", "us-1"]);
  });
});

describe("changeId", () => {
  const wantedWith = (digest: string): AppliedDigests => ({
    ...applied,
    "us-1": { "team:shop": { "ns-us": digest } },
  });

  it("is the same for the same change, and another when a wanted digest differs", () => {
    const a = changeId(clusterChanges(wantedWith("v2"), applied, false));
    const b = changeId(clusterChanges(wantedWith("v2"), structuredClone(applied), false));
    const c = changeId(clusterChanges(wantedWith("v3"), applied, false));
    assert.match(a, /^[0-9a-f]{16}$/);
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it("ignores what goes at once (free changes)", () => {
    const held = changeId(clusterChanges(wantedWith("v2"), applied, false));
    const withArrival = changeId(
      clusterChanges({ ...wantedWith("v2"), "ap-1": { "team:shop": { "ns-ap": "n" } } }, applied, false),
    );
    assert.equal(held, withArrival);
  });

  it("tells apart the same digest on another cluster, and a delete", () => {
    const onUs = changeId(clusterChanges(wantedWith("v2"), applied, false));
    const onEu = changeId(
      clusterChanges(
        { ...applied, "eu-1": { ...applied["eu-1"]!, "team:shop": { ns: "v2", quota: "d-quota" } } },
        applied,
        false,
      ),
    );
    const deletes = clusterChanges({ ...applied, "eu-1": { ...applied["eu-1"]!, "team:shop": { ns: "d-ns" } } }, applied, false);
    assert.deepEqual(deletes.get("eu-1")!.held, [{ name: "quota", owner: "team:shop", kind: "delete" }]);
    const deleted = changeId(deletes);
    assert.notEqual(onUs, onEu);
    assert.notEqual(onUs, deleted);
  });
});
