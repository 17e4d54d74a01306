// The digests an update records as applied while a rollout holds objects
// back: a held object's own (last applied) digest instead of the planned one,
// nothing for a held object that did not exist, and no empty owner or cluster.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AppliedDigests } from "../../../src/rollout/applied";
import { appliedWith } from "../../../src/rollout/held";

const wanted: AppliedDigests = {
  "eu-1": {
    "team:shop": { ns: "ns-2", quota: "q-2" },
    "request:redis/cache": { "cache-new": "n-1" },
  },
  "us-1": { "team:shop": { "ns-us": "ns-2" } },
};

describe("appliedWith", () => {
  it("is the planned digests when nothing is held", () => {
    assert.deepEqual(appliedWith(wanted, {}), wanted);
  });

  it("records a held object's digest instead of the planned one", () => {
    const out = appliedWith(wanted, { "eu-1": { quota: { owner: "team:shop", digest: "q-1" } } });
    assert.deepEqual(out, {
      "eu-1": {
        "team:shop": { ns: "ns-2", quota: "q-1" },
        "request:redis/cache": { "cache-new": "n-1" },
      },
      "us-1": { "team:shop": { "ns-us": "ns-2" } },
    });
  });

  it("records a held object the plan deletes, under its own owner", () => {
    const out = appliedWith(wanted, { "us-1": { "old-cm": { owner: "request:redis/old", digest: "o-1" } } });
    assert.deepEqual(out["us-1"], { "team:shop": { "ns-us": "ns-2" }, "request:redis/old": { "old-cm": "o-1" } });
  });

  it("records nothing for a held object without a digest (it did not exist), pruning the emptied owner and cluster", () => {
    const out = appliedWith(wanted, {
      "eu-1": { "cache-new": { owner: "request:redis/cache" } },
      "us-1": { "ns-us": { owner: "team:shop" } },
    });
    assert.deepEqual(out, { "eu-1": { "team:shop": { ns: "ns-2", quota: "q-2" } } });
    assert.ok(!("us-1" in out), "an emptied cluster is left out");
    assert.ok(!("request:redis/cache" in out["eu-1"]!), "an emptied owner is left out");
  });

  it("adds no empty cluster for a held object that did not exist on a cluster the plan does not know", () => {
    assert.deepEqual(appliedWith(wanted, { "ap-1": { x: { owner: "team:shop" } } }), wanted);
  });

  it("leaves the planned digests it was given as they were", () => {
    const before = structuredClone(wanted);
    appliedWith(wanted, { "eu-1": { quota: { owner: "team:shop", digest: "q-1" }, ns: { owner: "team:shop" } } });
    assert.deepEqual(wanted, before);
  });
});
