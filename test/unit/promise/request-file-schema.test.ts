// The JSON Schema an editor checks a team's request file against: the request
// file's own shape, the promise field limited to the promises offered, and each
// request's spec checked against the schema of the promise it names.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import Ajv2020 from "ajv/dist/2020";
import { z } from "zod";
import { definePromise } from "../../../src/promise/define";
import { requestFileJsonSchema } from "../../../src/promise/request-file-schema";

const redis = definePromise({
  name: "redis",
  version: "1.2.0",
  description: "an in-memory cache",
  schema: z.object({ size: z.enum(["small", "large"]).default("small"), persistence: z.boolean().optional() }).strict(),
  render: () => [],
});
const postgres = definePromise({
  name: "postgres",
  version: "2.0.1",
  description: "a relational database",
  schema: z.object({ storageGb: z.number().int().min(1), version: z.string() }).strict(),
  render: () => [],
});

type Json = Record<string, any>;
// Given in an order that is not the names' order.
const schema = requestFileJsonSchema([redis, postgres]) as Json;
const items = schema.properties.requests.items as Json;
/** A promise's branch, with its spec's $ref resolved against the file's $defs. */
const branchOf = (name: string) => {
  const branch = (items.allOf as Json[]).find((b) => b.if.properties.promise.const === name) as Json | undefined;
  if (!branch) return undefined;
  const ref = branch.then.properties.spec.$ref as string;
  const spec = schema.$defs[ref.replace(/^#\/\$defs\//, "")];
  return { ...branch, then: { properties: { spec } } } as Json;
};

/** Every path in the schema at which a key is found. */
function pathsOf(value: unknown, key: string, at = "$"): string[] {
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => [...(k === key ? [`${at}.${k}`] : []), ...pathsOf(v, key, `${at}.${k}`)]);
}

describe("requestFileJsonSchema", () => {
  it("enumerates the promises offered, in name order", () => {
    assert.equal(items.properties.promise.type, "string");
    assert.deepEqual(items.properties.promise.enum, ["postgres", "redis"]);
  });

  it("checks a request's spec against the schema of the promise it names, one if/then per promise", () => {
    assert.equal(items.allOf.length, 2);
    for (const promise of [redis, postgres]) {
      const branch = branchOf(promise.name);
      assert.ok(branch, `no branch for ${promise.name}`);
      assert.deepEqual(branch.if, { properties: { promise: { const: promise.name } }, required: ["promise"] });
      const spec = branch.then.properties.spec as Json;
      const own = promise.jsonSchema() as Json;
      assert.deepEqual(spec.properties, own.properties);
      assert.deepEqual(spec.required, own.required);
      assert.equal(spec.additionalProperties, false);
    }
    assert.deepEqual(Object.keys(branchOf("redis")!.then.properties.spec.properties), ["size", "persistence"]);
    assert.deepEqual(branchOf("postgres")!.then.properties.spec.required, ["storageGb", "version"]);
  });

  it("leaves a spec field with a default optional, as a team may leave it out", () => {
    const spec = branchOf("redis")!.then.properties.spec as Json;
    assert.equal(spec.properties.size.default, "small");
    assert.ok(!(spec.required ?? []).includes("size"), `size is required: ${JSON.stringify(spec.required)}`);
  });

  it("describes each promise's spec with its name, version and description", () => {
    assert.equal(branchOf("redis")!.then.properties.spec.description, "redis 1.2.0: an in-memory cache");
    assert.equal(branchOf("postgres")!.then.properties.spec.description, "postgres 2.0.1: a relational database");
  });

  it("declares its dialect once, at the top, never inside a promise's spec", () => {
    assert.deepEqual(pathsOf(schema, "$schema"), ["$.$schema"]);
    assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  });

  it("keeps the request file's own shape: its fields, what is required, nothing unknown", () => {
    assert.equal(schema.$id, "pledge:request-file");
    assert.deepEqual(Object.keys(schema.properties).sort(), ["requests", "team"]);
    assert.deepEqual(schema.required, ["requests"]);
    assert.equal(schema.additionalProperties, false);
    assert.equal(schema.properties.requests.type, "array");
    assert.deepEqual(items.required, ["promise", "name"], "a request file's requests need no team");
    assert.equal(items.additionalProperties, false);
    for (const field of ["name", "team", "spec", "selector", "count", "spreadBy", "pin"])
      assert.ok(field in items.properties, `requests[] has no ${field}`);
  });

  it("with no promises, allows none and checks no spec", () => {
    const empty = requestFileJsonSchema([]) as Json;
    assert.deepEqual(empty.properties.requests.items.properties.promise.enum, []);
    assert.deepEqual(empty.properties.requests.items.allOf, []);
  });

  it("keeps a promise's own definitions reachable: references are rebased under the file's $defs", () => {
    const port = z.number().int().min(1).meta({ id: "Port" });
    const web = definePromise({
      name: "web",
      version: "1.0.0",
      description: "a web app",
      schema: z.object({ http: port, https: port }).strict(),
      render: () => [],
    });
    const file = requestFileJsonSchema([web]) as Json;
    const validate = new Ajv2020({ strict: false }).compile(file);
    assert.equal(
      validate({ requests: [{ promise: "web", name: "a", spec: { http: 80, https: 443 } }] }),
      true,
      JSON.stringify(validate.errors),
    );
    assert.equal(validate({ requests: [{ promise: "web", name: "a", spec: { http: 0, https: 443 } }] }), false);
  });

  it("is plain JSON: it survives a round trip unchanged", () => {
    assert.deepEqual(JSON.parse(JSON.stringify(schema)), schema);
  });
});
