// Compound promises expanded through buildStackModel: every part becomes a
// request of its own, named `<promise>-<request>-<role>` with the parent's
// team and namespace, its spec defaulted by its own promise, nested compounds
// expanded depth first, and each way a part can be wrong (a cycle, a promise
// the stack does not offer, a bad spec, a name too long, a clashing key) an
// issue naming it. Own-placement parts keep to their team's clusters;
// with-parent parts have no selector of their own.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { catalogue } from "../../../promises";
import { postgres } from "../../../promises/postgres";
import { redis } from "../../../promises/redis";
import { webApp } from "../../../promises/web-app";
import type { RawStackConfig } from "../../../src/config/parse";
import { formatIssue, type Issue } from "../../../src/issues";
import { definePromise, type PledgePromise } from "../../../src/promise/define";
import { buildStackModel, placementFacts, type StackModel } from "../../../src/promise/stack-model";

const clusters = [
  { name: "app-1", source: "local", labels: { workload: "general", env: "dev" } },
  { name: "data-1", source: "local", labels: { workload: "data", env: "dev" } },
  { name: "data-2", source: "local", labels: { workload: "data", env: "prod" } },
];

// A site made of a web app (itself compound): a compound whose part is compound.
const site = definePromise({
  name: "site",
  version: "1.0.0",
  description: "a site",
  schema: z.object({}).strict(),
  compose: () => ({ web: webApp.part({ image: "ghcr.io/acme/site:1", database: {} }, "with-parent") }),
  render: () => [],
});

// Two promises that are each other's part, and one that is its own.
const a: PledgePromise<any> = definePromise({
  name: "a",
  version: "1.0.0",
  description: "a",
  schema: z.object({}).strict(),
  compose: () => ({ next: b.part({}) }),
  render: () => [],
});
const b: PledgePromise<any> = definePromise({
  name: "b",
  version: "1.0.0",
  description: "b",
  schema: z.object({}).strict(),
  compose: () => ({ back: a.part({}) }),
  render: () => [],
});
const loop: PledgePromise<any> = definePromise({
  name: "loop",
  version: "1.0.0",
  description: "its own part",
  schema: z.object({}).strict(),
  compose: () => ({ again: loop.part({}) }),
  render: () => [],
});

// A compound promise with bugs of its own, chosen by the request's spec.
const buggy = definePromise({
  name: "buggy",
  version: "1.0.0",
  description: "a compound promise with bugs",
  schema: z.object({ bug: z.enum(["spec", "role", "password", "throw", "none"]) }).strict(),
  compose: (request) => {
    switch (request.spec.bug) {
      case "spec":
        return { db: postgres.part({ storageGi: 5000 }) };
      case "role":
        return { Db: postgres.part({}) };
      case "password":
        return { db: postgres.part({ storageGi: Number(request.password("x").length) }) };
      case "throw":
        throw new Error("no parts today");
      default:
        return { db: undefined, cache: redis.part({}, "with-parent") };
    }
  },
  render: () => [],
});

const testCatalogue = [...catalogue, site, a, b, loop, buggy];

function raw(requests: unknown[], extra: Partial<RawStackConfig> = {}): RawStackConfig {
  return {
    clusters,
    promises: { "web-app": {}, postgres: {}, redis: {}, site: {}, a: {}, b: {}, loop: {}, buggy: {} },
    requests,
    ...extra,
  };
}

function modelOf(config: RawStackConfig): StackModel {
  const result = buildStackModel(config, testCatalogue);
  if (!result.ok) assert.fail(`unexpected issues:\n${result.issues.map(formatIssue).join("\n")}`);
  return result.model;
}

function issuesOf(config: RawStackConfig): Issue[] {
  const result = buildStackModel(config, testCatalogue);
  assert.equal(result.ok, false, "expected the config to be rejected");
  return result.ok ? [] : result.issues;
}

const shopApp = (spec: object, name = "shop", team = "shop") => ({
  promise: "web-app",
  name,
  team,
  spec: { image: "x", ...spec },
});
const keysOf = (model: StackModel) => model.requests.map((r) => `${r.promise}/${r.name}`);

describe("a compound request's parts", () => {
  it("become requests of their own after their parent, named <promise>-<request>-<role>, roles in name order", () => {
    const model = modelOf(raw([shopApp({ database: {}, cache: {} }), { promise: "redis", name: "plain", team: "ops" }]));
    assert.deepEqual(keysOf(model), ["web-app/shop", "redis/web-app-shop-cache", "postgres/web-app-shop-db", "redis/plain"]);
    const cache = model.requests[1]!;
    const db = model.requests[2]!;
    assert.deepEqual(cache.parent, { key: "web-app/shop", role: "cache", withParent: true });
    assert.deepEqual(db.parent, { key: "web-app/shop", role: "db", withParent: false });
    // Messages about a part name its root request in the config (and the part by its key).
    assert.equal(db.configPath, "pledge:requests[0]");
    assert.equal(model.requests[0]!.parent, undefined, "the parent is no part");
    assert.equal(model.requests[3]!.parent, undefined, "a plain request is no part");
  });

  it("take the parent's team and namespace", () => {
    const model = modelOf(raw([shopApp({ database: {}, cache: {} }, "orders", "billing")]));
    for (const r of model.requests) {
      assert.equal(r.team, "billing", `${r.promise}/${r.name}`);
      assert.equal(r.namespace, "billing", `${r.promise}/${r.name}`);
    }
  });

  it("get their spec defaulted by their own promise's schema", () => {
    const model = modelOf(raw([shopApp({ database: { storageGi: 20 }, cache: { size: "large" } })]));
    const part = (key: string) => model.requests.find((r) => `${r.promise}/${r.name}` === key)!;
    assert.deepEqual(part("postgres/web-app-shop-db").spec, { version: "17", storageGi: 20, instances: 1, backups: true });
    assert.deepEqual(part("redis/web-app-shop-cache").spec, { size: "large", version: "8.0", evictionPolicy: "allkeys-lru" });
  });

  it("that compose leaves undefined are not asked for", () => {
    assert.deepEqual(keysOf(modelOf(raw([shopApp({})]))), ["web-app/shop"]);
    assert.deepEqual(keysOf(modelOf(raw([shopApp({ cache: {} })]))), ["web-app/shop", "redis/web-app-shop-cache"]);
    assert.deepEqual(keysOf(modelOf(raw([{ promise: "buggy", name: "x", team: "t", spec: { bug: "none" } }]))), [
      "buggy/x",
      "redis/buggy-x-cache",
    ]);
  });

  it("of a part that is compound itself are expanded too, depth first, each with its own parent", () => {
    const model = modelOf(raw([{ promise: "site", name: "x", team: "web" }]));
    assert.deepEqual(keysOf(model), ["site/x", "web-app/site-x-web", "postgres/web-app-site-x-web-db"]);
    assert.deepEqual(model.requests[1]!.parent, { key: "site/x", role: "web", withParent: true });
    assert.deepEqual(model.requests[2]!.parent, { key: "web-app/site-x-web", role: "db", withParent: false });
    assert.equal(model.requests[2]!.team, "web");
    assert.equal(model.requests[2]!.configPath, "pledge:requests[0]", "a part of a part is in its root request's entry");
  });

  it("reach placement with their parent", () => {
    const facts = placementFacts(modelOf(raw([shopApp({ cache: {} })])));
    assert.deepEqual(facts.requests, [
      { promise: "web-app", name: "shop", selector: undefined, count: undefined, spreadBy: undefined, pin: undefined },
      {
        promise: "redis",
        name: "web-app-shop-cache",
        selector: undefined,
        count: undefined,
        spreadBy: undefined,
        pin: undefined,
        parent: { key: "web-app/shop", role: "cache", withParent: true },
      },
    ]);
  });
});

describe("where parts may go", () => {
  it("an own-placement part has the compound promise's selector; a with-parent part has none", () => {
    const model = modelOf(raw([shopApp({ database: {}, cache: {} })]));
    const db = model.requests.find((r) => r.promise === "postgres")!;
    const cache = model.requests.find((r) => r.promise === "redis")!;
    assert.deepEqual(db.selector, { matchLabels: { workload: "data" } });
    assert.equal("selector" in cache, false);
  });

  it("a team's clusters selector is ANDed into an own-placement part's selector, never into a with-parent part", () => {
    const teams = [{ name: "shop", users: ["ann"], clusters: { matchLabels: { env: "dev" } } }];
    const model = modelOf(raw([shopApp({ database: {}, cache: {} })], { teams }));
    const db = model.requests.find((r) => r.promise === "postgres")!;
    const cache = model.requests.find((r) => r.promise === "redis")!;
    assert.deepEqual(db.selector, {
      matchLabels: { workload: "data" },
      matchExpressions: [{ key: "env", operator: "In", values: ["dev"] }],
    });
    assert.equal(cache.selector, undefined);
    // The parent is narrowed the usual way, so the with-parent part follows it onto the team's clusters.
    assert.deepEqual(model.requests[0]!.selector, { matchExpressions: [{ key: "env", operator: "In", values: ["dev"] }] });
  });

  it("a part of a team without a clusters selector keeps only its own selector", () => {
    const teams = [{ name: "shop", users: ["ann"] }];
    const db = modelOf(raw([shopApp({ database: {} })], { teams })).requests[1]!;
    assert.deepEqual(db.selector, { matchLabels: { workload: "data" } });
  });
});

describe("parts that cannot be", () => {
  it("promises that are each other's part form a cycle, named in order", () => {
    const issues = issuesOf(raw([{ promise: "a", name: "x", team: "t" }]));
    assert.deepEqual(issues, [
      {
        path: "pledge:requests[0] (b/a-x-next, part back)",
        message: "compound promises form a cycle: a → b → a",
        hint: "a promise cannot be a part of itself, directly or through others; tell the promises' authors",
      },
    ]);
  });

  it("a promise that is its own part is a cycle too", () => {
    assert.deepEqual(
      issuesOf(raw([{ promise: "loop", name: "x", team: "t" }])).map((i) => i.message),
      ["compound promises form a cycle: loop → loop"],
    );
  });

  it("a part whose promise the stack does not offer is an issue naming the promise", () => {
    const issues = issuesOf(raw([shopApp({ database: {} })], { promises: { "web-app": {}, redis: {} } }));
    assert.deepEqual(issues, [
      {
        path: "pledge:requests[0] (web-app/shop, part db)",
        message: "needs promise postgres, which this stack does not offer",
        hint: "add postgres to pledge:promises",
      },
    ]);
  });

  it("a part spec its promise's schema refuses is a bug in the compound promise", () => {
    const issues = issuesOf(raw([{ promise: "buggy", name: "x", team: "t", spec: { bug: "spec" } }]));
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.kind, "promise");
    assert.equal(issues[0]!.path, "pledge:requests[0] (buggy/x, part db).spec.storageGi");
    assert.equal(issues[0]!.hint, "this is a bug in the compound promise");
  });

  it("a part name that is not lowercase letters, digits and '-' is a bug in the promise", () => {
    assert.deepEqual(issuesOf(raw([{ promise: "buggy", name: "x", team: "t", spec: { bug: "role" } }])), [
      {
        kind: "promise",
        path: "pledge:requests[0] (buggy/x, part Db)",
        message: "part name \"Db\" must be lowercase letters, digits and '-'",
        hint: "this is a bug in the promise",
      },
    ]);
  });

  it("a compose that throws, or asks for a password, is a bug in the promise", () => {
    assert.deepEqual(
      issuesOf(
        raw([
          { promise: "buggy", name: "x", team: "t", spec: { bug: "throw" } },
          { promise: "buggy", name: "y", team: "t", spec: { bug: "password" } },
        ]),
      ).map(formatIssue),
      [
        "pledge:requests[0] (buggy/x): compose failed: no parts today (this is a bug in the promise)",
        "pledge:requests[1] (buggy/y): compose failed: compose cannot use passwords: a part's render can (this is a bug in the promise)",
      ],
    );
  });

  it("a part name too long for a DNS label is an issue asking to shorten the request's name", () => {
    const name = "a".repeat(52); // web-app- + 52 + -db = 63: just fits
    assert.deepEqual(keysOf(modelOf(raw([shopApp({ database: {} }, name)])))[1], `postgres/web-app-${name}-db`);
    const longer = `${name}b`;
    const issues = issuesOf(raw([shopApp({ database: {} }, longer)]));
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.path, `pledge:requests[0] (web-app/${longer}, part db)`);
    assert.match(issues[0]!.message, new RegExp(`^its request name: "web-app-${longer}-db" must be a DNS label`));
    assert.equal(issues[0]!.hint, "shorten the request's name");
  });

  it("a part whose key a user request also has is an issue, whichever comes first", () => {
    const user = { promise: "postgres", name: "web-app-shop-db", team: "shop" };
    for (const requests of [
      [shopApp({ database: {} }), user],
      [user, shopApp({ database: {} })],
    ]) {
      const at = requests[0] === user ? 1 : 0;
      assert.deepEqual(issuesOf(raw(requests)), [
        {
          path: `pledge:requests[${at}] (web-app/shop, part db)`,
          message: "its request postgres/web-app-shop-db is also asked for elsewhere",
          hint: "rename one of them",
        },
      ]);
    }
  });
});
