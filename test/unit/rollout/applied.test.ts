// What each cluster has applied, object by object: owners as keys and back,
// and the digests of the planned objects by cluster and owner (the same form
// the same digest, any change to it another).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ObjectOwner, PlannedObject } from "../../../src/promise/plan";
import { appliedDigestsOf, ownerKeyOf, ownerOfKey, plannedDigests } from "../../../src/rollout/applied";

const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "shop" },
  data,
});

const objects: PlannedObject[] = [
  {
    resourceName: "ns-eu",
    cluster: "eu-1",
    owner: { kind: "team", team: "shop" },
    dependsOn: [],
    content: { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
  },
  {
    resourceName: "op-eu",
    cluster: "eu-1",
    owner: { kind: "dependency", promise: "redis" },
    dependsOn: [],
    content: configMap("operator", { a: "1" }),
  },
  {
    resourceName: "cache-eu",
    cluster: "eu-1",
    owner: { kind: "request", promise: "redis", request: "cache" },
    dependsOn: ["ns-eu"],
    content: configMap("cache", { size: "small" }),
  },
  {
    resourceName: "cache-us",
    cluster: "us-1",
    owner: { kind: "request", promise: "redis", request: "cache" },
    dependsOn: [],
    content: configMap("cache", { size: "small" }),
  },
];

const noExtra = () => undefined;

describe("owner keys", () => {
  const owners: ObjectOwner[] = [
    { kind: "team", team: "shop" },
    { kind: "dependency", promise: "redis" },
    { kind: "request", promise: "redis", request: "cache" },
  ];

  it("writes each kind of owner as one string", () => {
    assert.deepEqual(owners.map(ownerKeyOf), ["team:shop", "promise:redis", "request:redis/cache"]);
  });

  it("reads an owner key back as the owner it stands for", () => {
    for (const owner of owners) assert.deepEqual(ownerOfKey(ownerKeyOf(owner)), owner);
    for (const key of ["team:shop", "promise:redis", "request:redis/cache"]) assert.equal(ownerKeyOf(ownerOfKey(key)), key);
  });
});

describe("plannedDigests", () => {
  it("groups the digests by cluster and owner key, one per resource name", () => {
    const digests = plannedDigests(objects, noExtra, "seed");
    assert.deepEqual(Object.keys(digests).sort(), ["eu-1", "us-1"]);
    assert.deepEqual(Object.keys(digests["eu-1"]!).sort(), ["promise:redis", "request:redis/cache", "team:shop"]);
    assert.deepEqual(Object.keys(digests["eu-1"]!["request:redis/cache"]!), ["cache-eu"]);
    assert.deepEqual(Object.keys(digests["us-1"]!), ["request:redis/cache"]);
    assert.deepEqual(Object.keys(digests["us-1"]!["request:redis/cache"]!), ["cache-us"]);
    for (const owners of Object.values(digests))
      for (const names of Object.values(owners)) for (const d of Object.values(names)) assert.match(d, /^[0-9a-f]{20}$/);
  });

  it("gives the same form the same digest, whatever the order of its keys or where it is", () => {
    const a = plannedDigests(objects, noExtra, "seed");
    const b = plannedDigests(structuredClone(objects).reverse(), noExtra, "seed");
    assert.deepEqual(a, b);
    const reordered = structuredClone(objects);
    reordered[2]!.content = {
      data: { size: "small" },
      metadata: { namespace: "shop", name: "cache" },
      kind: "ConfigMap",
      apiVersion: "v1",
    };
    assert.deepEqual(plannedDigests(reordered, noExtra, "seed"), a);
    assert.equal(a["eu-1"]!["request:redis/cache"]!["cache-eu"], a["us-1"]!["request:redis/cache"]!["cache-us"]);
  });

  it("gives changed content another digest, and only that object", () => {
    const a = plannedDigests(objects, noExtra, "seed");
    const changed = structuredClone(objects);
    changed[2]!.content = configMap("cache", { size: "large" });
    const b = plannedDigests(changed, noExtra, "seed");
    assert.notEqual(b["eu-1"]!["request:redis/cache"]!["cache-eu"], a["eu-1"]!["request:redis/cache"]!["cache-eu"]);
    assert.deepEqual(b["us-1"], a["us-1"]);
    assert.deepEqual(b["eu-1"]!["team:shop"], a["eu-1"]!["team:shop"]);
    assert.deepEqual(b["eu-1"]!["promise:redis"], a["eu-1"]!["promise:redis"]);
  });

  it("takes in what extra says about an object, and a credentials copy's source", () => {
    const a = plannedDigests(objects, noExtra, "seed");
    const withExtra = plannedDigests(objects, (o) => (o.resourceName === "op-eu" ? { chartFiles: "v2" } : undefined), "seed");
    assert.notEqual(withExtra["eu-1"]!["promise:redis"]!["op-eu"], a["eu-1"]!["promise:redis"]!["op-eu"]);
    assert.equal(withExtra["eu-1"]!["team:shop"]!["ns-eu"], a["eu-1"]!["team:shop"]!["ns-eu"]);
    const copying = structuredClone(objects);
    copying[3]!.secretDataFrom = "cache-eu";
    assert.notEqual(
      plannedDigests(copying, noExtra, "seed")["us-1"]!["request:redis/cache"]!["cache-us"],
      a["us-1"]!["request:redis/cache"]!["cache-us"],
    );
  });

  it("keys the digests by the stack's seed", () => {
    const a = plannedDigests(objects, noExtra, "seed");
    const other = plannedDigests(objects, noExtra, "another seed");
    assert.notEqual(other["eu-1"]!["team:shop"]!["ns-eu"], a["eu-1"]!["team:shop"]!["ns-eu"]);
    assert.deepEqual(plannedDigests(objects, noExtra, undefined), plannedDigests(objects, noExtra, undefined));
  });
});

describe("appliedDigestsOf", () => {
  it("reads the stack output back only when it has the shape", () => {
    const digests = plannedDigests(objects, noExtra, "seed");
    assert.deepEqual(appliedDigestsOf(structuredClone(digests)), digests);
    assert.deepEqual(appliedDigestsOf({}), {});
    for (const bad of [
      undefined,
      null,
      [],
      "x",
      { "eu-1": [] },
      { "eu-1": { "team:shop": { ns: 1 } } },
      { "eu-1": { "team:shop": null } },
    ])
      assert.equal(appliedDigestsOf(bad), undefined, JSON.stringify(bad));
  });
});
