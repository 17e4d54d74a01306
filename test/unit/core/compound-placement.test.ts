// Placement of compound requests: a part placed on its own goes before its
// parent, which is not placed unless the part is; a part placed with its
// parent lands on exactly the parent's clusters, and the parent only goes
// where such parts' promises can run; a with-parent part that misses a
// cluster leaves the whole compound request unplaced. Requests without
// parents are placed as they always were, and a part can move on its own.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LabelSelector } from "../../../src/labels/selectors";
import type { RequestFacts } from "../../../src/core/placement";
import { cluster, place, promise, request, requestIn, verdictOn } from "./fleet-builders";

const inEu: LabelSelector = { matchExpressions: [{ key: "region", operator: "In", values: ["eu"] }] };
const partOf = (key: string, role: string, withParent: boolean): Pick<RequestFacts, "parent"> => ({
  parent: { key, role, withParent },
});
const app = (more: Partial<RequestFacts> = {}) => request("app", "a", more);
const db = (more: Partial<RequestFacts> = {}) => request("db", "app-a-db", { ...partOf("app/a", "db", false), ...more });
// "aaa" sorts before "app": in plain key order this part would be placed before its parent.
const cache = (more: Partial<RequestFacts> = {}) => request("aaa", "app-a-cache", { ...partOf("app/a", "cache", true), ...more });

describe("a part placed on its own", () => {
  it("is placed before its parent, whose key comes first", () => {
    const clusters = [cluster("c1"), cluster("c2")];
    const promises = [promise("app"), promise("db")];
    // Without the parent link, key order puts app/a on the emptiest cluster first.
    const plain = place({ clusters, promises, requests: [app(), request("db", "app-a-db")] });
    assert.deepEqual(requestIn(plain, "app/a").clusters, ["c1"]);
    assert.deepEqual(requestIn(plain, "db/app-a-db").clusters, ["c2"]);

    const compound = place({ clusters, promises, requests: [app(), db()] });
    assert.deepEqual(requestIn(compound, "db/app-a-db").clusters, ["c1"]);
    assert.deepEqual(requestIn(compound, "app/a").clusters, ["c2"]);
    assert.equal(requestIn(compound, "app/a").status, "placed");
  });

  it("that cannot be placed leaves its parent unplaced, every cluster saying why", () => {
    const result = place({
      clusters: [cluster("c1", { region: "us" }), cluster("c2", { region: "us" })],
      promises: [promise("app"), promise("db", { selectors: [inEu] })],
      requests: [app(), db()],
    });
    const part = requestIn(result, "db/app-a-db");
    assert.equal(part.status, "unplaced");
    assert.equal(part.summary, "0/2 clusters are available: 2 did not match region In (eu).");
    const parent = requestIn(result, "app/a");
    const why = "its db db/app-a-db: 0/2 clusters are available: 2 did not match region In (eu).";
    assert.equal(parent.status, "unplaced");
    assert.deepEqual(parent.clusters, []);
    assert.equal(parent.summary, why);
    assert.deepEqual(verdictOn(parent, "c1"), { cluster: "c1", verdict: "rejected", reasons: [why] });
    assert.deepEqual(verdictOn(parent, "c2"), { cluster: "c2", verdict: "rejected", reasons: [why] });
  });

  it("that cannot be placed also leaves its parent's with-parent parts unplaced", () => {
    const result = place({
      clusters: [cluster("c1", { region: "us" })],
      promises: [promise("app"), promise("aaa"), promise("db", { selectors: [inEu] })],
      requests: [app(), db(), cache()],
    });
    const part = requestIn(result, "aaa/app-a-cache");
    assert.equal(part.status, "unplaced");
    assert.deepEqual(part.clusters, []);
    assert.equal(part.summary, "its parent app/a is not placed");
  });

  it("that cannot be placed keeps its parent from taking capacity others need", () => {
    const result = place({
      clusters: [cluster("c1", { region: "us" }, { capacity: 1 })],
      promises: [promise("app"), promise("db", { selectors: [inEu] }), promise("zz")],
      requests: [app(), db(), request("zz", "later")],
    });
    assert.equal(requestIn(result, "app/a").status, "unplaced");
    assert.deepEqual(requestIn(result, "zz/later").clusters, ["c1"]);
  });

  it("that can no longer be placed takes its parent off the clusters it had, saying why", () => {
    const result = place({
      clusters: [cluster("c1", { region: "us" })],
      promises: [promise("app"), promise("db", { selectors: [inEu] })],
      requests: [app(), db()],
      previous: { "app/a": ["c1"], "db/app-a-db": ["c2"] },
    });
    const part = requestIn(result, "db/app-a-db");
    assert.deepEqual(part.moves, [{ from: "c2", reason: "cluster c2 was removed" }]);
    const parent = requestIn(result, "app/a");
    assert.equal(parent.status, "unplaced");
    assert.deepEqual(parent.clusters, []);
    assert.deepEqual(parent.moves, [{ from: "c1", reason: `its db db/app-a-db: ${part.summary}` }]);
  });

  it("that a parent loses moves on its own, and the parent stays where it was", () => {
    const result = place({
      clusters: [cluster("c1"), cluster("c3")],
      promises: [promise("app"), promise("db")],
      requests: [app(), db()],
      previous: { "app/a": ["c1"], "db/app-a-db": ["c2"] },
    });
    const part = requestIn(result, "db/app-a-db");
    assert.deepEqual(part.clusters, ["c3"]);
    assert.deepEqual(part.moves, [{ from: "c2", to: "c3", reason: "cluster c2 was removed" }]);
    const parent = requestIn(result, "app/a");
    assert.equal(parent.status, "placed");
    assert.deepEqual(parent.clusters, ["c1"]);
    assert.deepEqual(parent.moves, []);
    assert.equal(verdictOn(parent, "c1").verdict, "kept");
  });
});

describe("a part placed with its parent", () => {
  it("lands on exactly its parent's clusters, even when its key comes first", () => {
    const result = place({
      clusters: [cluster("c1"), cluster("c2"), cluster("c3")],
      promises: [promise("app"), promise("aaa")],
      requests: [app({ count: 2 }), cache()],
    });
    const parent = requestIn(result, "app/a");
    const part = requestIn(result, "aaa/app-a-cache");
    // On its own (count 1, least loaded) the part would have gone to c1 before the parent; c3 after it.
    assert.deepEqual(parent.clusters, ["c1", "c2"]);
    assert.deepEqual(part.clusters, ["c1", "c2"]);
    assert.equal(part.wanted, 2);
    assert.equal(part.status, "placed");
  });

  it("follows its parent when the parent moves", () => {
    const result = place({
      clusters: [cluster("c1"), cluster("c3")],
      promises: [promise("app"), promise("aaa"), promise("x")],
      // x/other keeps c1, so the parent moves to c3; on its own the part would then take c1.
      requests: [app(), cache(), request("x", "other")],
      previous: { "app/a": ["c2"], "aaa/app-a-cache": ["c2"], "x/other": ["c1"] },
    });
    assert.deepEqual(requestIn(result, "app/a").moves, [{ from: "c2", to: "c3", reason: "cluster c2 was removed" }]);
    assert.deepEqual(requestIn(result, "aaa/app-a-cache").clusters, ["c3"]);
    assert.deepEqual(requestIn(result, "aaa/app-a-cache").moves, [{ from: "c2", to: "c3", reason: "cluster c2 was removed" }]);
  });

  it("keeps its parent to clusters where the part's promise can run, and says so for the others", () => {
    const result = place({
      clusters: [cluster("c1", { region: "us" }), cluster("c2", { region: "eu" })],
      promises: [promise("app"), promise("aaa", { selectors: [inEu] })],
      requests: [app(), cache()],
    });
    const parent = requestIn(result, "app/a");
    assert.deepEqual(parent.clusters, ["c2"]);
    assert.deepEqual(verdictOn(parent, "c1"), {
      cluster: "c1",
      verdict: "rejected",
      reasons: ["its part cache (promise aaa) cannot run here"],
    });
    assert.deepEqual(requestIn(result, "aaa/app-a-cache").clusters, ["c2"]);
  });

  it("brings its own with-parent parts' promises into its parent's choice, named by their path", () => {
    const result = place({
      clusters: [cluster("c1", { region: "us" }), cluster("c2", { region: "eu" }), cluster("c3", { region: "eu", tier: "gold" })],
      promises: [
        promise("app"),
        promise("aaa", { selectors: [inEu] }),
        promise("metrics", { selectors: [{ matchLabels: { tier: "gold" } }] }),
      ],
      requests: [app(), cache(), request("metrics", "aaa-app-a-cache-metrics", partOf("aaa/app-a-cache", "metrics", true))],
    });
    const parent = requestIn(result, "app/a");
    assert.deepEqual(parent.clusters, ["c3"]);
    assert.deepEqual(verdictOn(parent, "c1").reasons, [
      "its part cache (promise aaa) cannot run here",
      "its part cache.metrics (promise metrics) cannot run here",
    ]);
    assert.deepEqual(verdictOn(parent, "c2").reasons, ["its part cache.metrics (promise metrics) cannot run here"]);
    assert.deepEqual(requestIn(result, "metrics/aaa-app-a-cache-metrics").clusters, ["c3"]);
  });

  it("blocked by capacity leaves its parent unplaced, and the parent's other with-parent parts too", () => {
    const queue = request("queue", "app-a-queue", partOf("app/a", "queue", true));
    const result = place({
      clusters: [cluster("c1", {}, { capacity: 2 })],
      promises: [promise("app"), promise("aaa"), promise("queue")],
      requests: [app(), cache(), queue],
    });
    const full = requestIn(result, "queue/app-a-queue");
    assert.equal(full.status, "unplaced");
    assert.deepEqual(verdictOn(full, "c1").reasons, ["full (2/2 requests)"]);
    const parent = requestIn(result, "app/a");
    assert.equal(parent.status, "unplaced");
    assert.deepEqual(parent.clusters, []);
    assert.equal(parent.summary, `its queue queue/app-a-queue: ${full.summary}`);
    const other = requestIn(result, "aaa/app-a-cache");
    assert.equal(other.status, "unplaced");
    assert.deepEqual(other.clusters, []);
    assert.equal(other.summary, "its parent app/a is not placed");
    assert.deepEqual(
      result.requests.filter((r) => r.status === "placed"),
      [],
    );
  });
});

describe("a compound request that cannot be placed whole", () => {
  it("gives back the capacity it took, so requests after it can use the cluster", () => {
    const result = place({
      clusters: [cluster("c1", {}, { capacity: 1 })],
      promises: [promise("app"), promise("aaa"), promise("zz")],
      requests: [app(), cache(), request("zz", "later")],
    });
    assert.equal(requestIn(result, "app/a").status, "unplaced");
    assert.equal(requestIn(result, "aaa/app-a-cache").status, "unplaced");
    const later = requestIn(result, "zz/later");
    assert.deepEqual([later.status, later.clusters], ["placed", ["c1"]], later.summary);
  });
});

describe("without compound requests", () => {
  it("requests are served in key order against capacity, as before", () => {
    const result = place({
      clusters: [cluster("c1", {}, { capacity: 1 }), cluster("c2", {}, { capacity: 1 })],
      promises: [promise("redis"), promise("postgres")],
      requests: [request("redis", "c"), request("redis", "a"), request("postgres", "b")],
    });
    assert.deepEqual(
      result.requests.map((r) => [r.key, r.clusters]),
      [
        ["postgres/b", ["c1"]],
        ["redis/a", ["c2"]],
        ["redis/c", []],
      ],
    );
    assert.equal(requestIn(result, "redis/c").summary, "0/2 clusters are available: 2 are full (1/1 requests).");
  });

  it("kept placements are reserved before new ones are chosen, as before", () => {
    const result = place({
      clusters: [cluster("c1", {}, { capacity: 1 }), cluster("c2", {}, { capacity: 1 })],
      promises: [promise("redis")],
      requests: [request("redis", "a"), request("redis", "b")],
      previous: { "redis/b": ["c1"] },
    });
    assert.deepEqual(requestIn(result, "redis/a").clusters, ["c2"]);
    assert.deepEqual(requestIn(result, "redis/b").clusters, ["c1"]);
  });
});

describe("a with-parent part kept where it was", () => {
  it("still counts against its cluster's capacity on the next run", () => {
    const clusters = [cluster("c1", {}, { capacity: 2 })];
    const promises = [promise("app"), promise("aaa"), promise("zz")];
    const requests = [app(), cache(), request("zz", "later")];
    const first = place({ clusters, promises, requests });
    assert.deepEqual(
      ["app/a", "aaa/app-a-cache", "zz/later"].map((k) => requestIn(first, k).status),
      ["placed", "placed", "unplaced"],
    );
    const previous = new Map(first.requests.map((r) => [r.key, r.clusters]));
    const second = place({ clusters, promises, requests, previous });
    assert.equal(requestIn(second, "zz/later").status, "unplaced", "c1 holds the app and its cache: it is full");
  });
});

describe("a compound request on a cordoned cluster", () => {
  const maintenance = { key: "maintenance", effect: "NoSchedule" as const };
  it("keeps running there, and a part added with its parent joins it there when its promise runs there", () => {
    const promises = [promise("app"), promise("aaa")];
    const cordoned = [cluster("c1"), cluster("c2", {}, { taints: [maintenance] })];
    const result = place({
      clusters: cordoned,
      promises,
      requests: [app(), cache()],
      previous: { "app/a": ["c2"] },
      previousEligible: new Map([
        ["app", ["c1", "c2"]],
        ["aaa", ["c1", "c2"]],
      ]),
    });
    assert.deepEqual(requestIn(result, "app/a").clusters, ["c2"]);
    assert.deepEqual(requestIn(result, "app/a").moves, []);
    assert.deepEqual(requestIn(result, "aaa/app-a-cache").clusters, ["c2"]);
    assert.equal(requestIn(result, "aaa/app-a-cache").status, "placed");
  });

  it("takes no new compound request", () => {
    const result = place({
      clusters: [cluster("c1", {}, { taints: [maintenance] })],
      promises: [promise("app"), promise("aaa")],
      requests: [app(), cache()],
      previousEligible: new Map([
        ["app", ["c1"]],
        ["aaa", ["c1"]],
      ]),
    });
    assert.equal(requestIn(result, "app/a").status, "unplaced");
  });
});
