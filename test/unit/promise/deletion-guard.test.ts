// The deletion guard's rules: what an update may not delete without the
// platform owner's confirmation, and the exact sentences that say so.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { catalogue } from "../../../promises";
import { placeFleet } from "../../../src/core/placement";
import { formatIssue } from "../../../src/issues";
import type { PreviousState } from "../../../src/outputs";
import { guardDeletions } from "../../../src/promise/deletion-guard";
import { buildStackModel, placementFacts } from "../../../src/promise/stack-model";

const cluster = (name: string) => ({ name, source: "local", labels: { workload: "general" } });
const redis = (name: string) => ({ promise: "redis", name, team: "shop" });
const postgres = (name: string) => ({ promise: "postgres", name, team: "shop" });

/** The guard's verdict on going from `before` (what the last update left) to this config. */
function guard(
  before: PreviousState,
  config: { clusters: string[]; requests: object[]; allow?: string[]; maxShare?: number },
): string[] {
  const result = buildStackModel(
    {
      clusters: config.clusters.map(cluster),
      promises: { redis: {}, postgres: {} },
      requests: config.requests,
      deletions: { allow: [], ...(config.maxShare !== undefined ? { maxShare: config.maxShare } : {}) },
      allowDelete: config.allow ?? [],
    },
    catalogue,
  );
  if (!result.ok) assert.fail(result.issues.map(formatIssue).join("\n"));
  const placement = placeFleet({ ...placementFacts(result.model), previous: before.placement });
  return guardDeletions(before, result.model, placement).map(formatIssue);
}

const previous = (
  placement: Record<string, string[]>,
  clusters: string[],
  eligible: Record<string, string[]> = {},
  parents: Record<string, string> = {},
): PreviousState => ({
  placement: new Map(Object.entries(placement)),
  clusters,
  eligible: new Map(Object.entries(eligible)),
  parents: new Map(Object.entries(parents)),
  teams: new Map(),
  keptNamespaces: [],
});

describe("removing a cluster", () => {
  const before = previous({ "redis/a": ["c2"], "redis/b": ["c1"] }, ["c1", "c2"], {
    redis: ["c1", "c2"],
    postgres: ["c1", "c2"],
  });

  it("that runs requests or dependencies needs confirmation, naming what would go", () => {
    assert.deepEqual(guard(before, { clusters: ["c1"], requests: [redis("a"), redis("b")] }), [
      "cluster c2: is no longer in pledge:clusters: this update would delete requests redis/a and the dependencies of redis, postgres on it (if that is what you want: pledge up --allow-delete cluster:c2 (or add cluster:c2 to pledge:deletions.allow for one update))",
    ]);
  });

  it("goes ahead when confirmed", () => {
    assert.deepEqual(guard(before, { clusters: ["c1"], requests: [redis("a"), redis("b")], allow: ["cluster:c2"] }), []);
  });

  it("that ran nothing of Pledge's needs nothing", () => {
    assert.deepEqual(
      guard(previous({ "redis/b": ["c1"] }, ["c1", "c2"], { redis: ["c1"] }), { clusters: ["c1"], requests: [redis("b")] }),
      [],
    );
  });
});

describe("stateful requests", () => {
  it("a deleted request of a stateful promise needs confirmation; a stateless one does not", () => {
    const before = previous({ "postgres/orders": ["c1"], "redis/cache": ["c1"], "redis/x": ["c1"], "redis/y": ["c1"] }, ["c1"]);
    const kept = [redis("x"), redis("y")];
    assert.deepEqual(guard(before, { clusters: ["c1"], requests: kept }), [
      "request postgres/orders: is no longer asked for: this update would delete it from c1, and postgres holds data (if that is what you want: pledge up --allow-delete request:postgres/orders (or add request:postgres/orders to pledge:deletions.allow for one update))",
    ]);
    assert.deepEqual(
      guard(before, { clusters: ["c1"], requests: kept, allow: ["request:postgres/orders"] }),
      [],
      "redis/cache goes without a word",
    );
  });

  it("a stateful request moving off a cluster needs confirmation, unless that cluster's removal was confirmed", () => {
    const before = previous({ "postgres/orders": ["c2"] }, ["c1", "c2"], { postgres: ["c1", "c2"] });
    assert.deepEqual(guard(before, { clusters: ["c1"], requests: [postgres("orders")] }), [
      "cluster c2: is no longer in pledge:clusters: this update would delete requests postgres/orders and the dependencies of postgres on it (if that is what you want: pledge up --allow-delete cluster:c2 (or add cluster:c2 to pledge:deletions.allow for one update))",
      "request postgres/orders: would move off c2 to c1 (cluster c2 was removed): its data stays behind and is deleted, and postgres holds data (if that is what you want: pledge up --allow-delete request:postgres/orders (or add request:postgres/orders to pledge:deletions.allow for one update))",
    ]);
    assert.deepEqual(guard(before, { clusters: ["c1"], requests: [postgres("orders")], allow: ["cluster:c2"] }), []);
  });
});

describe("many placements at once", () => {
  const before = previous({ "redis/a": ["c1"], "redis/b": ["c1"], "redis/c": ["c1"], "redis/d": ["c1"] }, ["c1"]);

  it("removing more than maxShare of the placements needs confirmation", () => {
    assert.deepEqual(guard(before, { clusters: ["c1"], requests: [redis("a")] }), [
      "pledge:deletions.maxShare: this update would remove 3 of 4 request placements (redis/b@c1, redis/c@c1, redis/d@c1), more than 50% at once (if that is what you want: pledge up --allow-delete many (or add many to pledge:deletions.allow for one update))",
    ]);
    assert.deepEqual(guard(before, { clusters: ["c1"], requests: [redis("a")], allow: ["many"] }), []);
  });

  it("up to maxShare goes ahead, and the share is configurable", () => {
    assert.deepEqual(guard(before, { clusters: ["c1"], requests: [redis("a"), redis("b")] }), []);
    assert.equal(guard(before, { clusters: ["c1"], requests: [redis("a"), redis("b")], maxShare: 0.25 }).length, 1);
  });

  it("the first update and a stack that loses a single placement are never stopped", () => {
    assert.deepEqual(guard(previous({}, []), { clusters: ["c1"], requests: [redis("a")] }), []);
    assert.deepEqual(guard(previous({ "redis/a": ["c1"] }, ["c1"]), { clusters: ["c1"], requests: [] }), []);
  });
});

it("all confirms everything", () => {
  const before = previous({ "postgres/orders": ["c2"], "redis/a": ["c2"] }, ["c1", "c2"], { postgres: ["c2"] });
  assert.deepEqual(guard(before, { clusters: ["c1"], requests: [], allow: ["all"] }), []);
});
