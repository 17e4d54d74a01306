// The placement rules of docs/placement.md, one test per rule.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LabelSelector } from "../../../src/labels/selectors";
import type { Taint } from "../../../src/labels/taints";
import {
  cluster,
  place,
  previousEligibleOf,
  previousOf,
  promise,
  promiseIn,
  request,
  requestIn,
  verdictOn,
} from "./fleet-builders";

const inEu: LabelSelector = { matchExpressions: [{ key: "region", operator: "In", values: ["eu"] }] };
const gpuTaint: Taint = { key: "gpu", value: "true", effect: "NoSchedule" };
const redis = promise("redis");

describe("promise eligibility", () => {
  it("dependencies go to every eligible cluster", () => {
    const result = place({
      clusters: [cluster("c3", { region: "us" }), cluster("c1", { region: "eu" }), cluster("c2", { region: "eu" })],
      promises: [promise("redis", { selectors: [inEu] })],
    });
    const redisPlacement = promiseIn(result, "redis");
    assert.deepEqual(redisPlacement.eligible, ["c1", "c2"]);
    assert.deepEqual(verdictOn(redisPlacement, "c3"), {
      cluster: "c3",
      verdict: "rejected",
      reasons: ['promise selector: region In (eu) but is "us"'],
    });
    assert.equal(redisPlacement.summary, "eligible on c1, c2 (2/3 clusters); 1 did not match region In (eu).");
  });

  it("requires every destination selector to match", () => {
    const result = place({
      clusters: [cluster("c1", { region: "eu", tier: "prod" }), cluster("c2", { region: "eu", tier: "dev" })],
      promises: [promise("redis", { selectors: [inEu, { matchLabels: { tier: "prod" } }] })],
    });
    assert.deepEqual(promiseIn(result, "redis").eligible, ["c1"]);
  });

  it("taints block unless tolerated", () => {
    const clusters = [
      cluster("plain"),
      cluster("gpu", {}, { taints: [gpuTaint] }),
      cluster("draining", {}, { taints: [{ key: "maintenance", effect: "NoExecute" }] }),
      cluster("spot", {}, { taints: [{ key: "spot", effect: "PreferNoSchedule" }] }),
    ];
    const result = place({
      clusters,
      promises: [promise("redis"), promise("cuda", { tolerations: [{ key: "gpu", operator: "Exists" }] })],
    });
    assert.deepEqual(promiseIn(result, "redis").eligible, ["plain", "spot"]);
    assert.deepEqual(verdictOn(promiseIn(result, "redis"), "gpu").reasons, ["untolerated taint gpu=true:NoSchedule"]);
    assert.deepEqual(verdictOn(promiseIn(result, "redis"), "draining").reasons, ["untolerated taint maintenance:NoExecute"]);
    assert.deepEqual(promiseIn(result, "cuda").eligible, ["gpu", "plain", "spot"]);
  });

  it("required promise limits eligibility, transitively", () => {
    const result = place({
      clusters: [cluster("c1", { region: "eu" }), cluster("c2", { region: "us" })],
      promises: [
        promise("app", { requires: ["postgres"] }),
        promise("postgres", { requires: ["operators"] }),
        promise("operators", { selectors: [inEu] }),
      ],
    });
    assert.deepEqual(promiseIn(result, "postgres").eligible, ["c1"]);
    assert.deepEqual(promiseIn(result, "app").eligible, ["c1"]);
    assert.deepEqual(verdictOn(promiseIn(result, "app"), "c2").reasons, [
      "requires promise postgres, which is not eligible here",
    ]);
  });

  it("a requires-cycle makes its promises eligible nowhere and says so", () => {
    const result = place({
      clusters: [cluster("c1")],
      promises: [promise("a", { requires: ["b"] }), promise("b", { requires: ["a"] }), promise("c", { requires: ["a"] })],
    });
    assert.deepEqual(promiseIn(result, "a").eligible, []);
    assert.equal(promiseIn(result, "a").summary, "0/1 clusters are eligible: 1 is blocked by the requires cycle a -> b -> a.");
    assert.deepEqual(verdictOn(promiseIn(result, "b"), "c1").reasons, ["promises require each other in a cycle: b -> a -> b"]);
    assert.deepEqual(verdictOn(promiseIn(result, "c"), "c1").reasons, ["requires promise a, which is not eligible here"]);
  });

  it("a promise requiring itself is a cycle too", () => {
    const result = place({ clusters: [cluster("c1")], promises: [promise("a", { requires: ["a"] })] });
    assert.deepEqual(verdictOn(promiseIn(result, "a"), "c1").reasons, ["promises require each other in a cycle: a -> a"]);
  });

  it("an unknown required promise makes the promise eligible nowhere and says so", () => {
    const result = place({ clusters: [cluster("c1")], promises: [promise("app", { requires: ["nosuch"] })] });
    assert.deepEqual(promiseIn(result, "app").eligible, []);
    assert.deepEqual(verdictOn(promiseIn(result, "app"), "c1").reasons, ["requires promise nosuch, which does not exist"]);
  });
});

describe("request placement", () => {
  it("places on the least loaded cluster, then by name", () => {
    const result = place({
      clusters: [cluster("c2"), cluster("c1"), cluster("c3")],
      promises: [redis],
      requests: [request("redis", "a"), request("redis", "b"), request("redis", "c"), request("redis", "d")],
    });
    assert.deepEqual(
      result.requests.map((placement) => placement.clusters),
      [["c1"], ["c2"], ["c3"], ["c1"]],
    );
    assert.equal(requestIn(result, "redis/a").summary, "placed on c1 (1/1)");
    assert.deepEqual(verdictOn(requestIn(result, "redis/a"), "c2"), {
      cluster: "c2",
      verdict: "spare",
      reasons: ["fits, but the request already has its 1 cluster"],
    });
  });

  it("a PreferNoSchedule taint only ranks a cluster lower", () => {
    const spot = cluster("a-spot", {}, { taints: [{ key: "spot", effect: "PreferNoSchedule" }] });
    const result = place({
      clusters: [spot, cluster("b")],
      promises: [redis],
      requests: [request("redis", "one"), request("redis", "two", { count: 2 })],
    });
    assert.deepEqual(requestIn(result, "redis/one").clusters, ["b"]);
    // b is now busier, yet still preferred; the spot cluster is used when needed.
    assert.deepEqual(requestIn(result, "redis/two").clusters, ["b", "a-spot"]);
    assert.deepEqual(verdictOn(requestIn(result, "redis/two"), "a-spot").reasons, [
      "ranked lower for untolerated taint spot:PreferNoSchedule",
    ]);
  });

  it("the request selector limits candidates", () => {
    const result = place({
      clusters: [cluster("c1", { region: "us" }), cluster("c2", { region: "eu" })],
      promises: [redis],
      requests: [request("redis", "a", { selector: inEu })],
    });
    assert.deepEqual(requestIn(result, "redis/a").clusters, ["c2"]);
    assert.deepEqual(verdictOn(requestIn(result, "redis/a"), "c1").reasons, ['request selector: region In (eu) but is "us"']);
  });

  it("a request only goes to clusters eligible for its promise", () => {
    const result = place({
      clusters: [cluster("c1", {}, { taints: [gpuTaint] }), cluster("c2")],
      promises: [redis],
      requests: [request("redis", "a")],
    });
    assert.deepEqual(requestIn(result, "redis/a").clusters, ["c2"]);
    assert.deepEqual(verdictOn(requestIn(result, "redis/a"), "c1").reasons, ["untolerated taint gpu=true:NoSchedule"]);
  });

  it("count defaults to the promise default; a request's count overrides it", () => {
    const clusters = [cluster("c1"), cluster("c2"), cluster("c3")];
    const promises = [promise("redis", { defaults: { count: 2 } })];
    const result = place({
      clusters,
      promises,
      requests: [request("redis", "default"), request("redis", "three", { count: 3 })],
    });
    assert.equal(requestIn(result, "redis/default").wanted, 2);
    assert.equal(requestIn(result, "redis/default").clusters.length, 2);
    assert.deepEqual(requestIn(result, "redis/three").clusters.length, 3);
  });

  it("spreadBy puts replicas on different zones", () => {
    const result = place({
      clusters: [
        cluster("c1", { zone: "eu-1" }),
        cluster("c2", { zone: "eu-1" }),
        cluster("c3", { zone: "eu-2" }),
        cluster("c4"),
      ],
      promises: [redis],
      requests: [request("redis", "a", { count: 3, spreadBy: "zone" })],
    });
    const a = requestIn(result, "redis/a");
    assert.deepEqual(a.clusters, ["c1", "c3"]);
    assert.equal(a.status, "partial");
    assert.deepEqual(verdictOn(a, "c2").reasons, ["spread: zone=eu-1 already used by cluster c1"]);
    assert.deepEqual(verdictOn(a, "c4").reasons, ["spread: no zone label to spread by"]);
    assert.equal(
      a.summary,
      "placed on c1, c3 (2/3); 2/4 clusters are available: 1 has no zone label to spread by, 1 is in zone=eu-1, already used by c1.",
    );
  });

  it("spreadBy defaults to the promise's", () => {
    const result = place({
      clusters: [cluster("c1", { zone: "a" }), cluster("c2", { zone: "a" }), cluster("c3", { zone: "b" })],
      promises: [promise("redis", { defaults: { count: 2, spreadBy: "zone" } })],
      requests: [request("redis", "a")],
    });
    assert.deepEqual(requestIn(result, "redis/a").clusters, ["c1", "c3"]);
  });

  it("capacity full is reported", () => {
    const result = place({
      clusters: [cluster("c1", {}, { capacity: 1 })],
      promises: [redis],
      requests: [request("redis", "a"), request("redis", "b")],
    });
    assert.deepEqual(requestIn(result, "redis/a").clusters, ["c1"]);
    const b = requestIn(result, "redis/b");
    assert.equal(b.status, "unplaced");
    assert.deepEqual(b.clusters, []);
    assert.deepEqual(verdictOn(b, "c1"), { cluster: "c1", verdict: "rejected", reasons: ["full (1/1 requests)"] });
    assert.equal(b.summary, "0/1 clusters are available: 1 is full (1/1 requests).");
  });

  it("capacity counts every promise's requests together", () => {
    const result = place({
      clusters: [cluster("c1", {}, { capacity: 1 }), cluster("c2", {}, { capacity: 1 })],
      promises: [redis, promise("postgres")],
      requests: [request("redis", "a"), request("postgres", "b")],
    });
    assert.deepEqual(requestIn(result, "postgres/b").clusters, ["c1"]);
    assert.deepEqual(requestIn(result, "redis/a").clusters, ["c2"]);
  });

  it("an unplaced summary counts clusters per reason, most common first", () => {
    const result = place({
      // The full cluster sorts first, so listing reasons in cluster order would put it first.
      clusters: [
        cluster("c0", { region: "eu" }, { capacity: 3 }),
        cluster("c1", { region: "us" }),
        cluster("c2", { region: "ap" }),
      ],
      promises: [redis],
      requests: [
        request("redis", "x1"),
        request("redis", "x2"),
        request("redis", "x3"),
        request("redis", "late", { selector: inEu }),
      ],
      previous: { "redis/x1": ["c0"], "redis/x2": ["c0"], "redis/x3": ["c0"] },
    });
    assert.equal(
      requestIn(result, "redis/late").summary,
      "0/3 clusters are available: 2 did not match region In (eu), 1 is full (3/3 requests).",
    );
  });

  it("an unplaced request does not affect others", () => {
    const clusters = [cluster("c1", { region: "us" }), cluster("c2", { region: "us" })];
    const others = [request("redis", "a"), request("redis", "c", { count: 2 })];
    const without = place({ clusters, promises: [redis], requests: others });
    const withIt = place({ clusters, promises: [redis], requests: [...others, request("redis", "b", { selector: inEu })] });
    assert.equal(requestIn(withIt, "redis/b").status, "unplaced");
    assert.deepEqual(
      withIt.requests.filter((placement) => placement.key !== "redis/b"),
      without.requests,
    );
  });

  it("a request for an unknown promise is unplaced with the reason", () => {
    const result = place({ clusters: [cluster("c1")], promises: [redis], requests: [request("mysql", "a")] });
    const a = requestIn(result, "mysql/a");
    assert.equal(a.status, "unplaced");
    assert.equal(a.summary, "unplaced: there is no promise named mysql");
  });

  it("an empty fleet leaves every request unplaced without failing", () => {
    const result = place({ promises: [redis], requests: [request("redis", "a")] });
    assert.equal(requestIn(result, "redis/a").summary, "0/0 clusters are available.");
    assert.equal(promiseIn(result, "redis").summary, "0/0 clusters are eligible.");
  });

  it("count 0 places nothing and is satisfied", () => {
    const result = place({ clusters: [cluster("c1")], promises: [redis], requests: [request("redis", "a", { count: 0 })] });
    assert.equal(requestIn(result, "redis/a").status, "placed");
    assert.deepEqual(requestIn(result, "redis/a").clusters, []);
  });
});

describe("stickiness", () => {
  const clusters = [cluster("c1", { region: "eu" }), cluster("c2", { region: "eu" })];

  it("does not move a request when a new matching cluster joins", () => {
    const before = place({ clusters, promises: [redis], requests: [request("redis", "a", { count: 2 })] });
    const after = place({
      clusters: [cluster("c0", { region: "eu" }), ...clusters],
      promises: [redis],
      requests: [request("redis", "a", { count: 2 })],
      previous: previousOf(before),
    });
    assert.deepEqual(requestIn(after, "redis/a").clusters, ["c1", "c2"]);
    assert.deepEqual(requestIn(after, "redis/a").moves, []);
    assert.equal(verdictOn(requestIn(after, "redis/a"), "c1").verdict, "kept");
    assert.equal(verdictOn(requestIn(after, "redis/a"), "c0").verdict, "spare");
  });

  it("does not move a request when its cluster becomes the busiest or over capacity", () => {
    const result = place({
      clusters: [cluster("c1", {}, { capacity: 1 }), cluster("c2")],
      promises: [redis],
      requests: [request("redis", "a"), request("redis", "b"), request("redis", "c")],
      previous: { "redis/a": ["c1"], "redis/b": ["c1"] },
    });
    assert.deepEqual(requestIn(result, "redis/a").clusters, ["c1"]);
    assert.deepEqual(requestIn(result, "redis/b").clusters, ["c1"]);
    assert.deepEqual(verdictOn(requestIn(result, "redis/c"), "c1").reasons, ["full (2/1 requests)"]);
  });

  it("keeps a placement that no longer satisfies spreadBy", () => {
    const result = place({
      clusters: [cluster("c1", { zone: "a" }), cluster("c2", { zone: "a" })],
      promises: [redis],
      requests: [request("redis", "a", { count: 2, spreadBy: "zone" })],
      previous: { "redis/a": ["c1", "c2"] },
    });
    assert.deepEqual(requestIn(result, "redis/a").clusters, ["c1", "c2"]);
  });

  it("moves a request when its cluster leaves and says why", () => {
    const result = place({
      clusters,
      promises: [redis],
      requests: [request("redis", "a")],
      previous: { "redis/a": ["gone"] },
    });
    const a = requestIn(result, "redis/a");
    assert.deepEqual(a.clusters, ["c1"]);
    assert.deepEqual(a.moves, [{ from: "gone", to: "c1", reason: "cluster gone was removed" }]);
  });

  it("moves a request when its cluster no longer matches, and says why", () => {
    const result = place({
      clusters: [cluster("c1", { region: "eu" }), cluster("c2", { region: "us" })],
      promises: [promise("redis", { selectors: [inEu] })],
      requests: [request("redis", "a")],
      previous: { "redis/a": ["c2"] },
    });
    assert.deepEqual(requestIn(result, "redis/a").moves, [
      { from: "c2", to: "c1", reason: "cluster c2 no longer matches region In (eu)" },
    ]);
  });

  it("reports a move without a destination when no replacement fits", () => {
    const result = place({
      clusters: [cluster("c1", {}, { taints: [{ key: "gpu", value: "true", effect: "NoExecute" }] })],
      promises: [redis],
      requests: [request("redis", "a")],
      previous: { "redis/a": ["c1"] },
    });
    const a = requestIn(result, "redis/a");
    assert.equal(a.status, "unplaced");
    assert.deepEqual(a.moves, [{ from: "c1", reason: "cluster c1 now has untolerated taint gpu=true:NoExecute" }]);
  });

  it("count decrease drops extra placements without moves", () => {
    const result = place({
      clusters: [cluster("c1"), cluster("c2"), cluster("c3")],
      promises: [redis],
      requests: [request("redis", "a", { count: 2 })],
      previous: { "redis/a": ["c3", "c1", "c2"] },
    });
    assert.deepEqual(requestIn(result, "redis/a").clusters, ["c3", "c1"]);
    assert.deepEqual(requestIn(result, "redis/a").moves, []);
    assert.equal(verdictOn(requestIn(result, "redis/a"), "c2").verdict, "spare");
  });

  it("count increase keeps existing placements and adds new ones", () => {
    const result = place({
      clusters: [cluster("c1"), cluster("c2"), cluster("c3")],
      promises: [redis],
      requests: [request("redis", "a", { count: 2 })],
      previous: { "redis/a": ["c3"] },
    });
    assert.deepEqual(requestIn(result, "redis/a").clusters, ["c3", "c1"]);
    assert.deepEqual(requestIn(result, "redis/a").moves, []);
  });

  it("pin overrides stickiness", () => {
    const result = place({
      clusters,
      promises: [redis],
      requests: [request("redis", "a", { pin: ["c2"] })],
      previous: { "redis/a": ["c1"] },
    });
    const a = requestIn(result, "redis/a");
    assert.deepEqual(a.clusters, ["c2"]);
    assert.deepEqual(a.moves, [{ from: "c1", to: "c2", reason: "cluster c1 is not in the request's pin list" }]);
    assert.deepEqual(verdictOn(a, "c1").reasons, ["not in pin list"]);
  });

  it("a pin that is not eligible is rejected with its reasons and the request is partial", () => {
    const result = place({
      clusters: [cluster("c1"), cluster("c2", {}, { taints: [gpuTaint] }), cluster("c3")],
      promises: [redis],
      requests: [request("redis", "a", { pin: ["c2", "c1", "ghost"] })],
    });
    const a = requestIn(result, "redis/a");
    assert.deepEqual(a.clusters, ["c1"]);
    assert.equal(a.status, "partial");
    assert.equal(a.wanted, 3);
    assert.deepEqual(verdictOn(a, "c2").reasons, ["untolerated taint gpu=true:NoSchedule"]);
    assert.deepEqual(verdictOn(a, "ghost").reasons, ["there is no cluster named ghost in the fleet"]);
    assert.equal(
      a.summary,
      "placed on c1 (1/3); 1/3 pinned clusters are available: 1 does not exist, 1 has untolerated taint gpu=true:NoSchedule.",
    );
  });

  it("a cluster pinned twice counts once", () => {
    const result = place({
      clusters: [cluster("c1"), cluster("c2")],
      promises: [redis],
      requests: [request("redis", "a", { pin: ["c1", "c1"] })],
    });
    assert.equal(requestIn(result, "redis/a").wanted, 1);
    assert.equal(requestIn(result, "redis/a").summary, "placed on c1 (1/1)");
  });
});

describe("determinism and programmer errors", () => {
  it("gives the same answer whatever the order of the inputs", () => {
    const clusters = [cluster("c1", { zone: "a" }), cluster("c2", { zone: "b" }), cluster("c3", { zone: "a" })];
    const promises = [redis, promise("pg", { requires: ["redis"] })];
    const requests = [request("redis", "a", { count: 2, spreadBy: "zone" }), request("pg", "b"), request("redis", "c")];
    const forward = place({ clusters, promises, requests });
    const backward = place({
      clusters: [...clusters].reverse(),
      promises: [...promises].reverse(),
      requests: [...requests].reverse(),
    });
    assert.deepEqual(backward, forward);
  });

  it("throws on duplicate cluster names", () => {
    assert.throws(() => place({ clusters: [cluster("c1"), cluster("c1")] }), /two clusters are named "c1"/);
  });

  it("throws on duplicate requests", () => {
    assert.throws(
      () => place({ promises: [redis], requests: [request("redis", "a"), request("redis", "a")] }),
      /two requests are named "redis\/a"/,
    );
  });
});

describe("a cluster that cannot be reached", () => {
  it("keeps its requests but takes no new one until it is back", () => {
    const clusters = [cluster("c1"), cluster("c2", {}, { unreachable: "connection refused" })];
    const result = place({
      clusters,
      promises: [redis],
      requests: [request("redis", "kept"), request("redis", "new")],
      previous: { "redis/kept": ["c2"] },
    });
    assert.deepEqual(
      requestIn(result, "redis/kept").clusters,
      ["c2"],
      "sticky: a cluster that is down does not lose its workloads",
    );
    assert.deepEqual(requestIn(result, "redis/new").clusters, ["c1"]);
    assert.deepEqual(verdictOn(requestIn(result, "redis/new"), "c2"), {
      cluster: "c2",
      verdict: "rejected",
      reasons: ["unreachable (connection refused): takes no new requests until it is back"],
    });
  });

  it("says so when no other cluster can take a request", () => {
    const result = place({
      clusters: [cluster("c1", {}, { unreachable: "timed out" })],
      promises: [redis],
      requests: [request("redis", "new")],
    });
    assert.equal(requestIn(result, "redis/new").summary, "0/1 clusters are available: 1 is unreachable.");
  });
});

describe("cordon: a NoSchedule taint takes no new work and keeps what runs", () => {
  const maintenance: Taint = { key: "maintenance", value: "true", effect: "NoSchedule" };
  const threeRequests = () => [
    request("redis", "a", { pin: ["c2"] }),
    request("redis", "b"),
    request("redis", "c", { selector: { matchLabels: {} } }),
  ];
  // Three requests, two of them on c2 (a pinned there, b placed there when c1 was full).
  const before = () =>
    place({
      clusters: [cluster("c1"), cluster("c2")],
      promises: [redis],
      requests: threeRequests(),
      previous: { "redis/b": ["c2"], "redis/c": ["c1"] },
    });
  const cordoned = (extra: Parameters<typeof place>[0] = {}) => {
    const first = before();
    return place({
      clusters: [cluster("c1"), cluster("c2", {}, { taints: [maintenance] })],
      promises: [redis],
      requests: threeRequests(),
      previous: previousOf(first),
      previousEligible: previousEligibleOf(first),
      ...extra,
    });
  };

  it("keeps every request placed on the cordoned cluster, pinned or not, with no move", () => {
    const first = before();
    const onC2 = first.requests.filter((r) => r.clusters.includes("c2")).map((r) => r.key);
    assert.ok(onC2.length >= 2, `the fixture puts at least two requests on c2 (${onC2.join(", ")})`);
    const result = cordoned();
    for (const key of onC2) {
      const placed = requestIn(result, key);
      assert.deepEqual(placed.clusters, ["c2"], key);
      assert.deepEqual(placed.moves, [], key);
      assert.equal(placed.status, "placed", key);
      assert.deepEqual(verdictOn(placed, "c2"), {
        cluster: "c2",
        verdict: "kept",
        reasons: ["placed here before", `cordoned by maintenance=true:NoSchedule: keeps ${key}, takes no new requests`],
      });
    }
  });

  it("keeps the promise's dependencies on the cordoned cluster and says why", () => {
    const redisPlacement = promiseIn(cordoned(), "redis");
    assert.deepEqual(redisPlacement.eligible, ["c1", "c2"]);
    assert.deepEqual(verdictOn(redisPlacement, "c2"), {
      cluster: "c2",
      verdict: "kept",
      reasons: ["cordoned by maintenance=true:NoSchedule: keeps its dependencies, takes no new requests"],
    });
    assert.equal(
      redisPlacement.summary,
      "eligible on c1, c2 (2/2 clusters); 1 is cordoned by maintenance=true:NoSchedule (keeps what runs there).",
    );
  });

  it("places no new request on the cordoned cluster, and a new pin to it stays unplaced", () => {
    const result = cordoned({
      requests: [request("redis", "new", { count: 2 }), request("redis", "pinned", { pin: ["c2"] })],
      previous: {},
    });
    assert.deepEqual(requestIn(result, "redis/new").clusters, ["c1"]);
    assert.deepEqual(verdictOn(requestIn(result, "redis/new"), "c2").reasons, [
      "cordoned by maintenance=true:NoSchedule: takes no new requests",
    ]);
    const pinned = requestIn(result, "redis/pinned");
    assert.equal(pinned.status, "unplaced");
    assert.equal(
      pinned.summary,
      "0/1 pinned clusters are available: 1 is cordoned by maintenance=true:NoSchedule (keeps what runs there).",
    );
  });

  it("installs no new dependencies on a cordoned cluster that did not run the promise", () => {
    const result = cordoned({ promises: [redis, promise("postgres")] });
    assert.deepEqual(promiseIn(result, "postgres").eligible, ["c1"]);
    assert.deepEqual(verdictOn(promiseIn(result, "postgres"), "c2").reasons, ["untolerated taint maintenance=true:NoSchedule"]);
  });

  it("lifting the cordon changes nothing", () => {
    const first = before();
    const during = cordoned();
    const after = place({
      clusters: [cluster("c1"), cluster("c2")],
      promises: [redis],
      requests: threeRequests(),
      previous: previousOf(during),
      previousEligible: previousEligibleOf(during),
    });
    assert.deepEqual(
      after.requests.map((r) => [r.key, r.clusters]),
      first.requests.map((r) => [r.key, r.clusters]),
    );
    assert.deepEqual(promiseIn(after, "redis").eligible, ["c1", "c2"]);
  });

  it("keeps, where a request is kept, the promises its promise requires, even those that never ran there", () => {
    const result = place({
      clusters: [cluster("c1"), cluster("c2", {}, { taints: [maintenance] })],
      promises: [promise("app", { requires: ["base"] }), promise("base")],
      requests: [request("app", "x")],
      previous: { "app/x": ["c2"] },
    });
    assert.deepEqual(requestIn(result, "app/x").clusters, ["c2"]);
    assert.deepEqual(requestIn(result, "app/x").moves, []);
    assert.deepEqual(promiseIn(result, "base").eligible, ["c1", "c2"]);
  });

  it("NoExecute evicts: requests move off and the dependencies go", () => {
    const first = before();
    const result = place({
      clusters: [cluster("c1"), cluster("c2", {}, { taints: [{ ...maintenance, effect: "NoExecute" }] })],
      promises: [redis],
      requests: [request("redis", "b"), request("redis", "c", { selector: { matchLabels: {} } })],
      previous: previousOf(first),
      previousEligible: previousEligibleOf(first),
    });
    assert.deepEqual(promiseIn(result, "redis").eligible, ["c1"]);
    for (const placed of result.requests) assert.deepEqual(placed.clusters, ["c1"], placed.key);
    const moved = result.requests.flatMap((r) => r.moves);
    assert.ok(moved.length >= 1);
    for (const move of moved)
      assert.deepEqual(move, { from: "c2", to: "c1", reason: "cluster c2 now has untolerated taint maintenance=true:NoExecute" });
  });

  it("a cordon with a NoExecute taint beside it evicts", () => {
    const first = before();
    const result = cordoned({
      clusters: [cluster("c1"), cluster("c2", {}, { taints: [maintenance, { key: "drain", effect: "NoExecute" }] })],
      previous: previousOf(first),
      previousEligible: previousEligibleOf(first),
    });
    assert.deepEqual(promiseIn(result, "redis").eligible, ["c1"]);
    assert.equal(requestIn(result, "redis/a").status, "unplaced");
  });
});
