// How the render plan wires a compound request to its parts: a part on the
// same cluster is handed over as it is (its declared address and credentials
// Secret); a part on another cluster is brought over by an ExternalName
// Service at the address its promise declares for other clusters and a copy
// of its credentials Secret that takes the source Secret's data (and waits for
// it). A part elsewhere whose promise says nothing of remote access, or names
// a Secret it does not render, is a bug in a promise. Parts are planned before
// their parents, and the stack outputs say which request is a part of which.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { placeFleet } from "../../../src/core/placement";
import { formatIssue } from "../../../src/issues";
import { buildStackOutputs, requestFactsOf } from "../../../src/outputs";
import { definePromise, type PartPlacement, type PartView, type PledgePromise } from "../../../src/promise/define";
import type { Manifest } from "../../../src/promise/manifest";
import { partsFirst, planObjects, type PlannedObject } from "../../../src/promise/plan";
import { buildStackModel, placementFacts, type RequestModel, type StackModel } from "../../../src/promise/stack-model";

const storeSchema = z.object({ size: z.number().int().default(1) }).strict();

// A store that says how to reach it on its own cluster (outputs) and from others (remote, on another port).
const store = definePromise({
  name: "store",
  version: "1.0.0",
  description: "a data store",
  schema: storeSchema,
  stateful: true,
  outputs: (request) => ({
    host: `store-${request.name}.${request.namespace}.svc.cluster.local`,
    port: 7000,
    database: request.name,
  }),
  remote: (request, cluster) => ({
    host: `${cluster.name}.store-${request.name}.${request.namespace}.svc.clusterset.local`,
    port: 7001,
    credentialsSecret: `store-${request.name}-creds`,
  }),
  render: (request) => [
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: `store-${request.name}-creds`, namespace: request.namespace },
      stringData: { password: request.password("app") },
    },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `store-${request.name}`, namespace: request.namespace } },
  ],
});

// Reachable on its own cluster only: no remote.
const bare = definePromise({
  name: "bare",
  version: "1.0.0",
  description: "a store without remote access",
  schema: storeSchema,
  outputs: (request) => ({ host: `bare-${request.name}.${request.namespace}.svc.cluster.local`, port: 7000 }),
  render: () => [],
});

// Names a credentials Secret it never renders.
const liar = definePromise({
  name: "liar",
  version: "1.0.0",
  description: "a store that names a Secret it does not render",
  schema: storeSchema,
  remote: (request) => ({ host: `liar-${request.name}.example`, port: 7002, credentialsSecret: "not-rendered" }),
  render: (request) => [{ apiVersion: "v1", kind: "Secret", metadata: { name: "something-else", namespace: request.namespace } }],
});

// Declares no address at all.
const mute = definePromise({
  name: "mute",
  version: "1.0.0",
  description: "a store that declares no address",
  schema: storeSchema,
  render: () => [],
});

/** A compound promise with one part `db` of `partPromise`; its render writes what it was handed into a ConfigMap. */
function compound(name: string, partPromise: PledgePromise<any, any, any>) {
  return definePromise({
    name,
    version: "1.0.0",
    description: `an app with a ${partPromise.name}`,
    schema: z.object({ db: z.enum(["with-parent", "data"]) }).strict(),
    compose: (request) => ({
      db: partPromise.part(
        { size: 2 },
        request.spec.db === "with-parent" ? "with-parent" : ({ selector: { matchLabels: { role: "data" } } } as PartPlacement),
      ),
    }),
    render: (request) => [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `${name}-${request.name}`, namespace: request.namespace },
        data: { db: JSON.stringify(request.parts.db ?? null) },
      },
    ],
  });
}

const catalogue = [
  store,
  bare,
  liar,
  mute,
  compound("app", store),
  compound("app-bare", bare),
  compound("app-liar", liar),
  compound("app-mute", mute),
];

const clusters = [
  { name: "app-1", source: "local", labels: { role: "app" } },
  { name: "data-1", source: "local", labels: { role: "data" } },
];

function modelOf(requests: unknown[]): StackModel {
  const result = buildStackModel(
    {
      clusters,
      promises: Object.fromEntries(catalogue.map((p) => [p.name, {}])),
      requests,
      secretSeed: "wiring-seed",
    },
    catalogue,
  );
  if (!result.ok) assert.fail(result.issues.map(formatIssue).join("\n"));
  return result.model;
}

const appRequest = (promise: string, db: "with-parent" | "data") => ({
  promise,
  name: "x",
  team: "shop",
  selector: { matchLabels: { role: "app" } },
  spec: { db },
});

function planOf(requests: unknown[]) {
  const model = modelOf(requests);
  const placement = placeFleet({ ...placementFacts(model), previous: new Map() });
  const { plan, issues } = planObjects({
    clusters: model.clusters,
    promises: model.promises,
    requests: model.requests,
    placement,
    teams: model.teams,
    secretSeed: model.secretSeed,
  });
  const object = (name: string): PlannedObject => {
    const found = plan.objects.find((o) => o.resourceName === name);
    assert.ok(found, `no ${name} in the plan:\n${plan.objects.map((o) => o.resourceName).join("\n")}`);
    return found;
  };
  /** What the compound's render was handed as its part `db`, on a cluster. */
  const handed = (promise: string, cluster: string): PartView | null =>
    JSON.parse(((object(`${promise}/x@${cluster}/ConfigMap/shop/${promise}-x`).content as Manifest).data as { db: string }).db);
  return { model, placement, plan, issues, object, handed };
}

const bridges = (objects: readonly PlannedObject[]) =>
  objects.filter(
    (o) =>
      o.secretDataFrom !== undefined || ((o.content as Manifest).spec as { type?: string } | undefined)?.type === "ExternalName",
  );

describe("a part on the parent's cluster", () => {
  const { issues, plan, placement, handed } = planOf([appRequest("app", "with-parent")]);

  it("is planned without issues, on the parent's cluster", () => {
    assert.deepEqual(issues, []);
    assert.deepEqual(
      placement.requests.map((r) => [r.key, r.clusters]),
      [
        ["app/x", ["app-1"]],
        ["store/app-x-db", ["app-1"]],
      ],
    );
  });

  it("is handed to the render with its own outputs' address and its remote's credentials Secret", () => {
    assert.deepEqual(handed("app", "app-1"), {
      key: "store/app-x-db",
      clusters: ["app-1"],
      sameCluster: true,
      host: "store-app-x-db.shop.svc.cluster.local",
      port: 7000,
      outputs: { host: "store-app-x-db.shop.svc.cluster.local", port: 7000, database: "app-x-db" },
      credentialsSecret: "store-app-x-db-creds",
    });
  });

  it("needs no bridge: no ExternalName Service, no credentials copy", () => {
    assert.deepEqual(bridges(plan.objects), []);
    assert.deepEqual(
      plan.objects.filter((o) => o.owner.kind === "request" && o.resourceName.startsWith("app/x@")).map((o) => o.resourceName),
      ["app/x@app-1/ConfigMap/shop/app-x"],
    );
  });

  it("whose promise declares no address is a bug in that promise", () => {
    const { issues: found, handed: seen } = planOf([appRequest("app-mute", "with-parent")]);
    assert.deepEqual(found, [
      {
        kind: "promise",
        path: "pledge:requests[0] (app-mute/x on app-1, part db mute/app-mute-x-db)",
        message: "promise mute declares no address (outputs host and port, or remote)",
        hint: "this is a bug in the part's promise",
      },
    ]);
    assert.equal(seen("app-mute", "app-1"), null);
  });
});

describe("a part on another cluster", () => {
  const { issues, plan, placement, object, handed } = planOf([appRequest("app", "data")]);
  const source = "store/app-x-db@data-1/Secret/shop/store-app-x-db-creds";

  it("is placed apart from its parent, without issues", () => {
    assert.deepEqual(issues, []);
    assert.deepEqual(
      placement.requests.map((r) => [r.key, r.clusters]),
      [
        ["app/x", ["app-1"]],
        ["store/app-x-db", ["data-1"]],
      ],
    );
  });

  it("gets an ExternalName Service on the parent's cluster, named after the part, at its remote address", () => {
    const service = object("app/x@app-1/Service/shop/app-x-db");
    assert.equal(service.cluster, "app-1");
    assert.deepEqual(service.owner, { kind: "request", promise: "app", request: "x" });
    const manifest = service.content as Manifest;
    assert.deepEqual(manifest.spec, {
      type: "ExternalName",
      externalName: "data-1.store-app-x-db.shop.svc.clusterset.local",
      ports: [{ name: "service", port: 7001 }],
    });
    assert.equal(manifest.metadata.namespace, "shop");
    assert.equal(manifest.metadata.labels?.["pledge.dev/part-of"], "x");
    assert.equal(manifest.metadata.labels?.["pledge.dev/part"], "db");
  });

  it("gets a copy of its credentials Secret that takes the source Secret's data and waits for it", () => {
    assert.equal(object(source).cluster, "data-1", "the source is the part's own Secret, on the part's cluster");
    const copy = object("app/x@app-1/Secret/shop/store-app-x-db-creds");
    assert.equal(copy.cluster, "app-1");
    assert.equal(copy.secretDataFrom, source);
    assert.ok(copy.dependsOn.includes(source), copy.dependsOn.join(", "));
    const manifest = copy.content as Manifest;
    assert.equal(manifest.data, undefined, "the copy carries no data of its own");
    assert.equal(manifest.stringData, undefined, "the copy carries no data of its own");
    const names = plan.objects.map((o) => o.resourceName);
    assert.ok(names.indexOf(source) < names.indexOf(copy.resourceName), "the source is planned first");
  });

  it("is handed to the render at the bridge's in-cluster address, with the copy and the part's outputs", () => {
    assert.deepEqual(handed("app", "app-1"), {
      key: "store/app-x-db",
      clusters: ["data-1"],
      sameCluster: false,
      host: "app-x-db.shop.svc.cluster.local",
      port: 7001,
      outputs: { host: "store-app-x-db.shop.svc.cluster.local", port: 7000, database: "app-x-db" },
      credentialsSecret: "store-app-x-db-creds",
    });
  });

  it("whose promise declares no remote access is a bug in that promise, with no bridge", () => {
    const { issues: found, plan: p, handed: seen } = planOf([appRequest("app-bare", "data")]);
    assert.deepEqual(found, [
      {
        kind: "promise",
        path: "pledge:requests[0] (app-bare/x on app-1, part db bare/app-bare-x-db)",
        message: "the part runs on data-1, another cluster, and promise bare declares no remote address",
        hint: "give bare a remote(request, cluster), or place the part with its parent",
      },
    ]);
    assert.deepEqual(bridges(p.objects), []);
    assert.equal(seen("app-bare", "app-1"), null);
  });

  it("whose promise names a credentials Secret it does not render is a bug in that promise", () => {
    const { issues: found } = planOf([appRequest("app-liar", "data")]);
    assert.deepEqual(found, [
      {
        kind: "promise",
        path: "pledge:requests[0] (app-liar/x on app-1, part db liar/app-liar-x-db)",
        message: "promise liar names Secret not-rendered for its credentials, but does not render it on data-1",
        hint: "Pledge copies only Secrets the part's promise renders",
      },
    ]);
  });
});

describe("order and outputs", () => {
  it("parts are planned before their parents, the deepest first, otherwise in the order given", () => {
    const requests: RequestModel[] = [
      { promise: "app", name: "x", team: "t", namespace: "t", spec: {}, configPath: "p" },
      {
        promise: "web",
        name: "app-x-web",
        team: "t",
        namespace: "t",
        spec: {},
        configPath: "p",
        parent: { key: "app/x", role: "web", withParent: true },
      },
      {
        promise: "db",
        name: "web-app-x-web-db",
        team: "t",
        namespace: "t",
        spec: {},
        configPath: "p",
        parent: { key: "web/app-x-web", role: "db", withParent: false },
      },
      { promise: "other", name: "y", team: "t", namespace: "t", spec: {}, configPath: "p" },
    ];
    const placements = ["app/x", "db/web-app-x-web-db", "other/y", "web/app-x-web"].map((key) => ({ key }));
    assert.deepEqual(
      partsFirst(placements, requests).map((p) => p.key),
      ["db/web-app-x-web-db", "web/app-x-web", "app/x", "other/y"],
    );
  });

  it("in the plan, a part's objects come before its parent's, whose key sorts first", () => {
    const { plan } = planOf([appRequest("app", "data")]);
    const names = plan.objects.filter((o) => o.owner.kind === "request").map((o) => o.resourceName);
    const firstParent = names.findIndex((n) => n.startsWith("app/x@"));
    const lastPart = names.findLastIndex((n) => n.startsWith("store/app-x-db@"));
    assert.ok(lastPart >= 0 && firstParent > lastPart, names.join("\n"));
  });

  it("the stack outputs name each part's parent and role, and each parent's parts", () => {
    const { model, placement, plan } = planOf([appRequest("app", "data"), { promise: "store", name: "alone", team: "ops" }]);
    const outputs = buildStackOutputs(
      placement,
      model.clusters.map((c) => c.name),
      requestFactsOf(model.requests, plan.outputs),
    );
    assert.deepEqual(outputs.requests["store/app-x-db"]!.parent, { key: "app/x", role: "db" });
    assert.equal(outputs.requests["store/app-x-db"]!.parts, undefined);
    assert.equal(outputs.requests["store/app-x-db"]!.team, "shop");
    assert.deepEqual(outputs.requests["store/app-x-db"]!.outputs, {
      "data-1": { host: "store-app-x-db.shop.svc.cluster.local", port: 7000, database: "app-x-db" },
    });
    assert.deepEqual(outputs.requests["app/x"]!.parts, { db: "store/app-x-db" });
    assert.equal(outputs.requests["app/x"]!.parent, undefined);
    assert.equal("parent" in outputs.requests["store/alone"]!, false);
    assert.equal("parts" in outputs.requests["store/alone"]!, false);
  });
});
