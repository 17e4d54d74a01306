// What `pledge preview --json | --markdown` tells a reviewer: per request its
// placement, moves and the objects to change on each cluster, every deletion
// named, requests being deleted shown as such, and drift; built from a real
// placement's stack outputs and a hand-made engine report.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChangedObject, ChangeCounts, EngineReport } from "../../../src/cli/engine/engine-events";
import { previewMarkdown, previewSummary } from "../../../src/cli/views/preview-summary";
import { placeFleet } from "../../../src/core/placement";
import { buildStackOutputs } from "../../../src/outputs";

const clusters = [
  { name: "eu-1", labels: { region: "eu" }, taints: [] },
  { name: "us-1", labels: { region: "us" }, taints: [] },
];
// redis/cache was on us-1 and now wants eu: it moves. redis/store stays where it lands, unchanged.
const placement = placeFleet({
  clusters,
  promises: [{ name: "redis", selectors: [], tolerations: [], requires: [], defaults: { count: 1 } }],
  requests: [
    { promise: "redis", name: "cache", selector: { matchLabels: { region: "eu" } } },
    { promise: "redis", name: "store", pin: ["us-1"] },
  ],
  previous: new Map([
    ["redis/cache", ["us-1"]],
    ["redis/store", ["us-1"]],
  ]),
});
const outputs = buildStackOutputs(
  placement,
  clusters.map((c) => c.name),
  {
    teams: new Map([
      ["redis/cache", "shop|ops"],
      ["redis/store", "shop"],
    ]),
    outputs: new Map(),
  },
);

function report(objects: Record<string, ChangedObject[]>): EngineReport {
  const changes = new Map<string, ChangeCounts>();
  for (const [cluster, list] of Object.entries(objects)) {
    const counts: ChangeCounts = {};
    for (const o of list) counts[o.op] = (counts[o.op] ?? 0) + 1;
    changes.set(cluster, counts);
  }
  return { errors: [], failedClusters: new Map(), warnings: [], changes, objects: new Map(Object.entries(objects)) };
}

const request = (name: string) => ({ kind: "request" as const, request: name });
const engine = report({
  "us-1": [
    { op: "delete", name: "redis/cache@us-1/Deployment/shop/cache", owner: request("redis/cache") },
    { op: "delete", name: "redis/cache@us-1/Service/shop/cache", owner: request("redis/cache") },
    { op: "delete", name: "redis/old@us-1/Deployment/shop/old", owner: request("redis/old") },
    { op: "replace", name: "redis@us-1/ConfigMap/pledge-redis/settings", owner: { kind: "dependency", promise: "redis" } },
  ],
  "eu-1": [
    { op: "create", name: "eu-1/Namespace/shop", owner: { kind: "team", team: "shop" } },
    { op: "create", name: "redis/cache@eu-1/Deployment/shop/cache", owner: request("redis/cache") },
    { op: "create", name: "redis/cache@eu-1/Service/shop/cache", owner: request("redis/cache") },
    { op: "update", name: "redis/cache@eu-1/Secret/shop/cache", owner: request("redis/cache") },
  ],
});
const drift = report({
  "us-1": [
    { op: "update", name: "redis/store@us-1/Deployment/shop/store", owner: request("redis/store") },
    { op: "delete", name: "redis/store@us-1/Service/shop/store", owner: request("redis/store") },
  ],
});

describe("previewSummary", () => {
  const summary = previewSummary("dev", outputs, engine, drift);
  const of = (key: string) => summary.requests.find((r) => r.request === key)!;

  it("counts each request's changes per cluster, from the objects it owns", () => {
    assert.deepEqual(of("redis/cache").changes, {
      "us-1": { delete: 2 },
      "eu-1": { create: 2, update: 1 },
    });
    assert.deepEqual(of("redis/store").changes, {});
  });

  it("carries each request's placement, team and moves from the outputs", () => {
    const cache = of("redis/cache");
    assert.equal(cache.team, "shop|ops");
    assert.equal(cache.status, "placed");
    assert.deepEqual(cache.clusters, ["eu-1"]);
    assert.deepEqual(
      cache.moves.map((m) => [m.from, m.to]),
      [["us-1", "eu-1"]],
    );
    assert.deepEqual(of("redis/store").moves, []);
  });

  it("a request with deletions but no longer in the outputs is shown as deleted", () => {
    assert.deepEqual(of("redis/old"), {
      request: "redis/old",
      team: "",
      status: "deleted",
      clusters: [],
      summary: "no longer requested: deleted",
      moves: [],
      changes: { "us-1": { delete: 1 } },
    });
    assert.deepEqual(
      summary.requests.map((r) => r.request),
      ["redis/cache", "redis/old", "redis/store"],
    );
  });

  it("lists every deletion by resource name, replacements marked, whoever owns them", () => {
    assert.deepEqual(summary.deletions, {
      "us-1": [
        "redis/cache@us-1/Deployment/shop/cache",
        "redis/cache@us-1/Service/shop/cache",
        "redis/old@us-1/Deployment/shop/old",
        "redis@us-1/ConfigMap/pledge-redis/settings (replaced)",
      ],
    });
  });

  it("gives each cluster's totals, teams' and promises' objects included, in cluster order", () => {
    assert.deepEqual(Object.entries(summary.clusters), [
      ["eu-1", { create: 3, update: 1 }],
      ["us-1", { delete: 3, replace: 1 }],
    ]);
  });

  it("names the drift to put back: changed or deleted outside Pledge", () => {
    assert.deepEqual(summary.drift, {
      "us-1": ["redis/store@us-1/Deployment/shop/store changed", "redis/store@us-1/Service/shop/store deleted"],
    });
    assert.deepEqual(previewSummary("dev", outputs, engine, undefined).drift, {});
  });

  it("a run with nothing to change has no request changes and no deletions", () => {
    const quiet = previewSummary("dev", outputs, report({}), undefined);
    assert.deepEqual(
      quiet.requests.map((r) => [r.request, r.changes]),
      [
        ["redis/cache", {}],
        ["redis/store", {}],
      ],
    );
    assert.deepEqual(quiet.deletions, {});
    assert.deepEqual(quiet.clusters, {});
  });
});

describe("previewMarkdown", () => {
  const markdown = previewMarkdown(previewSummary("dev", outputs, engine, drift));
  const rows = markdown.split("\n").filter((line) => line.startsWith("| `"));

  it("has one row per request that changes, moves or is not placed, and none for the others", () => {
    assert.deepEqual(
      rows.map((r) => /^\| `([^`]+)`/.exec(r)![1]),
      ["redis/cache", "redis/old"],
    );
  });

  it("escapes | in cells, puts moves in bold, and lists each cluster's changes", () => {
    const cells = rows[0]!.split(/ \| /);
    assert.deepEqual(cells.slice(0, 3), [
      "| `redis/cache`",
      "shop\\|ops",
      "placed on eu-1<br>placed on eu-1 (1/1)<br>**moves off us-1 to eu-1**: cluster us-1 no longer matches region=eu",
    ]);
    assert.deepEqual(cells[3]!.replace(/ \|$/, "").split("<br>").sort(), ["eu-1: 2 to create, 1 to update", "us-1: 2 to delete"]);
    // Every row keeps the table's four columns.
    for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length, 6, row);
  });

  it("lists a request that moves even when the engine plans nothing for it", () => {
    const text = previewMarkdown(previewSummary("dev", outputs, report({}), undefined));
    const listed = text.split("\n").filter((line) => line.startsWith("| `"));
    assert.equal(listed.length, 1);
    assert.match(listed[0]!, /^\| `redis\/cache` \| .*\*\*moves off us-1 to eu-1\*\*.* \| - \|$/);
  });

  it("lists a request that is not placed even when nothing of it changes, and names it at the end", () => {
    const stuck = buildStackOutputs(
      placeFleet({
        clusters,
        promises: [{ name: "redis", selectors: [], tolerations: [], requires: [], defaults: { count: 1 } }],
        requests: [{ promise: "redis", name: "far", selector: { matchLabels: { region: "ap" } } }],
        previous: new Map(),
      }),
      clusters.map((c) => c.name),
    );
    const text = previewMarkdown(previewSummary("dev", stuck, report({}), undefined));
    assert.match(text, /\n\| `redis\/far` \|  \| unplaced<br>[^|]+ \| - \|\n/);
    assert.match(text, /\n\*\*Not fully placed\*\*: `redis\/far` \(see `pledge explain <request>`\)\n$/);
  });

  it("shows a request being deleted with its deletions", () => {
    assert.equal(rows[1], "| `redis/old` |  | deleted<br>no longer requested: deleted | us-1: 1 to delete |");
  });

  it("gives the clusters' totals, the deletions and the drift", () => {
    assert.match(markdown, /^### Pledge preview of stack `dev`\n/);
    assert.match(markdown, /\n\| eu-1 \| 3 to create, 1 to update \|\n\| us-1 \| 1 to replace, 3 to delete \|\n/);
    assert.match(
      markdown,
      /\n- us-1: `redis\/cache@us-1\/Deployment\/shop\/cache`, `redis\/cache@us-1\/Service\/shop\/cache`, `redis\/old@us-1\/Deployment\/shop\/old`, `redis@us-1\/ConfigMap\/pledge-redis\/settings \(replaced\)`\n/,
    );
    assert.match(
      markdown,
      /\*\*Drift\*\*.*\n\n- us-1: redis\/store@us-1\/Deployment\/shop\/store changed, redis\/store@us-1\/Service\/shop\/store deleted\n/,
    );
  });

  it("a quiet run says so, without deletions or drift sections", () => {
    // Placed where they were: no moves either.
    const settled = buildStackOutputs(
      placeFleet({
        clusters,
        promises: [{ name: "redis", selectors: [], tolerations: [], requires: [], defaults: { count: 1 } }],
        requests: [{ promise: "redis", name: "store" }],
        previous: new Map([["redis/store", ["us-1"]]]),
      }),
      clusters.map((c) => c.name),
    );
    const quiet = previewMarkdown(previewSummary("dev", settled, report({}), undefined));
    assert.equal(
      quiet,
      "### Pledge preview of stack `dev`\n\nNo request changes.\n\n| cluster | changes |\n|---|---|\n| (all) | no changes |\n",
    );
  });
});
