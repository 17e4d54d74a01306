// The deletion guard and compound requests: a stateful part that is no longer
// asked for (its parent dropped it, or the parent went) is stopped like any
// stateful request, says whose part it was, and is confirmed by the part's own
// token or by any of its ancestors' (the hint names the outermost). The
// previous parents come from the `requests` output of the last update.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { catalogue } from "../../../promises";
import { webApp } from "../../../promises/web-app";
import { placeFleet } from "../../../src/core/placement";
import { formatIssue } from "../../../src/issues";
import { buildStackOutputs, previousStateOf, requestFactsOf, type PreviousState } from "../../../src/outputs";
import { definePromise } from "../../../src/promise/define";
import { guardDeletions } from "../../../src/promise/deletion-guard";
import { buildStackModel, placementFacts } from "../../../src/promise/stack-model";

// A site whose part is a web app, whose database is a part of it: postgres is a grandchild of the site.
const site = definePromise({
  name: "site",
  version: "1.0.0",
  description: "a site",
  schema: z.object({}).strict(),
  compose: () => ({ web: webApp.part({ image: "ghcr.io/acme/site:1", database: {} }, "with-parent") }),
  render: () => [],
});

const clusters = [
  { name: "c1", source: "local", labels: { workload: "general" } },
  { name: "c2", source: "local", labels: { workload: "data" } },
];
const webShop = (spec: object) => ({ promise: "web-app", name: "shop", team: "shop", spec: { image: "x", ...spec } });

function modelOf(requests: object[], allow: string[] = []) {
  const result = buildStackModel(
    {
      clusters,
      promises: { "web-app": {}, postgres: {}, redis: {}, site: {} },
      requests,
      // Only the rules for stateful requests are under test here, not the share.
      deletions: { allow: [], maxShare: 1 },
      allowDelete: allow,
    },
    [...catalogue, site],
  );
  if (!result.ok) assert.fail(result.issues.map(formatIssue).join("\n"));
  return result.model;
}

/** The guard's verdict on going from `before` to these requests. */
function guard(before: PreviousState, requests: object[], allow: string[] = []): string[] {
  const model = modelOf(requests, allow);
  const placement = placeFleet({ ...placementFacts(model), previous: before.placement });
  return guardDeletions(before, model, placement).map(formatIssue);
}

const previous = (placement: Record<string, string[]>, parents: Record<string, string>): PreviousState => ({
  placement: new Map(Object.entries(placement)),
  clusters: ["c1", "c2"],
  eligible: new Map(),
  parents: new Map(Object.entries(parents)),
  teams: new Map(),
  keptNamespaces: [],
});

const confirm = (token: string) =>
  `(if that is what you want: pledge up --allow-delete ${token} (or add ${token} to pledge:deletions.allow for one update))`;

describe("a stateful part no longer asked for", () => {
  const before = previous(
    { "web-app/shop": ["c1"], "postgres/web-app-shop-db": ["c2"] },
    { "postgres/web-app-shop-db": "web-app/shop" },
  );
  const expected = `request postgres/web-app-shop-db: is no longer asked for (a part of web-app/shop): this update would delete it from c2, and postgres holds data ${confirm("request:web-app/shop")}`;

  it("is stopped when its parent drops it, naming the parent and the parent's confirmation", () => {
    assert.deepEqual(guard(before, [webShop({})]), [expected]);
  });

  it("is stopped when its parent goes too", () => {
    assert.deepEqual(guard(before, []), [expected]);
  });

  it("goes ahead with its own confirmation or its parent's, and not with another's", () => {
    assert.deepEqual(guard(before, [webShop({})], ["request:postgres/web-app-shop-db"]), []);
    assert.deepEqual(guard(before, [webShop({})], ["request:web-app/shop"]), []);
    assert.deepEqual(guard(before, [], ["request:web-app/shop"]), []);
    assert.deepEqual(guard(before, [webShop({})], ["request:redis/web-app-shop-cache"]), [expected]);
  });

  it("kept by its parent needs nothing", () => {
    assert.deepEqual(guard(before, [webShop({ database: {} })]), []);
  });

  it("that the last update did not record as a part is a plain stateful request, confirmed only by its own token", () => {
    const unrecorded = previous({ "web-app/shop": ["c1"], "postgres/web-app-shop-db": ["c2"] }, {});
    const plain = `request postgres/web-app-shop-db: is no longer asked for: this update would delete it from c2, and postgres holds data ${confirm("request:postgres/web-app-shop-db")}`;
    assert.deepEqual(guard(unrecorded, [webShop({})]), [plain]);
    assert.deepEqual(guard(unrecorded, [webShop({})], ["request:web-app/shop"]), [plain]);
  });
});

describe("a stateful part of a part", () => {
  const before = previous(
    { "site/x": ["c1"], "web-app/site-x-web": ["c1"], "postgres/web-app-site-x-web-db": ["c2"] },
    { "postgres/web-app-site-x-web-db": "web-app/site-x-web", "web-app/site-x-web": "site/x" },
  );

  it("names its own parent, and the hint names the outermost request's confirmation", () => {
    assert.deepEqual(guard(before, []), [
      `request postgres/web-app-site-x-web-db: is no longer asked for (a part of web-app/site-x-web): this update would delete it from c2, and postgres holds data ${confirm("request:site/x")}`,
    ]);
  });

  it("goes ahead with the confirmation of any of its ancestors", () => {
    for (const token of ["request:postgres/web-app-site-x-web-db", "request:web-app/site-x-web", "request:site/x"])
      assert.deepEqual(guard(before, [], [token]), [], token);
  });
});

describe("previousStateOf", () => {
  it("reads each part's parent key from the requests output, ignoring anything malformed", () => {
    const state = previousStateOf({
      placements: { "postgres/web-app-shop-db": ["c2"], "web-app/shop": ["c1"] },
      requests: {
        "postgres/web-app-shop-db": { status: "placed", parent: { key: "web-app/shop", role: "db" } },
        "web-app/shop": { status: "placed", parts: { db: "postgres/web-app-shop-db" } },
        "redis/a": { parent: "web-app/shop" },
        "redis/b": { parent: { key: 7 } },
        "redis/c": null,
      },
    });
    assert.deepEqual([...state.parents], [["postgres/web-app-shop-db", "web-app/shop"]]);
  });

  it("has no parents when the last update published no requests", () => {
    assert.deepEqual([...previousStateOf({ placements: {} }).parents], []);
    assert.deepEqual([...previousStateOf({ requests: [] }).parents], []);
  });

  it("reads back what buildStackOutputs published for compound requests, nested or with several parts", () => {
    const model = modelOf([{ promise: "site", name: "x", team: "web" }, webShop({ database: {}, cache: {} })]);
    const placement = placeFleet({ ...placementFacts(model), previous: new Map() });
    const outputs = buildStackOutputs(
      placement,
      model.clusters.map((c) => c.name),
      requestFactsOf(model.requests, new Map()),
    );
    const state = previousStateOf(JSON.parse(JSON.stringify(outputs)));
    assert.deepEqual([...state.parents].sort(), [
      ["postgres/web-app-shop-db", "web-app/shop"],
      ["postgres/web-app-site-x-web-db", "web-app/site-x-web"],
      ["redis/web-app-shop-cache", "web-app/shop"],
      ["web-app/site-x-web", "site/x"],
    ]);
    assert.deepEqual(state.placement.get("postgres/web-app-site-x-web-db"), ["c2"]);
    assert.deepEqual(outputs.requests["web-app/shop"]!.parts, {
      cache: "redis/web-app-shop-cache",
      db: "postgres/web-app-shop-db",
    });
    assert.deepEqual(outputs.requests["site/x"]!.parts, { web: "web-app/site-x-web" });
    assert.deepEqual(outputs.requests["web-app/site-x-web"]!.parts, { db: "postgres/web-app-site-x-web-db" });
  });
});

describe("a stateful part that moves", () => {
  it("is confirmed by its compound parent's confirmation, and previous parents that loop do not hang the guard", () => {
    const db = definePromise({
      name: "db",
      version: "1.0.0",
      description: "db",
      schema: z.object({}),
      stateful: true,
      render: () => [],
    });
    const offered = { promise: db, selectors: [], tolerations: [], placement: { count: 1 } };
    const clusters = ["c1", "c2"].map((name) => ({ name, labels: {}, taints: [] }));
    const placement = placeFleet({
      clusters,
      promises: [{ name: "db", selectors: [], tolerations: [], requires: [], defaults: { count: 1 } }],
      requests: [{ promise: "db", name: "app-a-db", pin: ["c2"] }],
      previous: new Map([["db/app-a-db", ["c1"]]]),
    });
    const model = (allow: string[]) =>
      ({
        clusters: clusters.map((c) => ({ ...c, configPath: "x" })),
        promises: [offered],
        requests: [],
        deletions: { allow, maxShare: 1 },
        teams: undefined,
        secretSeed: undefined,
      }) as never;
    const previous = {
      placement: new Map([["db/app-a-db", ["c1"]]]),
      clusters: ["c1", "c2"],
      eligible: new Map(),
      parents: new Map([
        ["db/app-a-db", "app/a"],
        ["app/a", "db/app-a-db"],
      ]),
      teams: new Map(),
      keptNamespaces: [],
    };
    const refused = guardDeletions(previous, model([]), placement);
    assert.equal(refused.length, 1);
    assert.match(refused[0]!.message, /^would move off c1 to c2/);
    assert.deepEqual(guardDeletions(previous, model(["request:app/a"]), placement), []);
  });
});
