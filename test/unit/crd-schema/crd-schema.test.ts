// validateSpec: the rules kube-apiserver applies to a custom resource's spec on
// create, one test per rule, asserting the sentences a user reads. Every rule
// here is also checked against a real API server in test/e2e/kratix-schema.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { celRules, uncheckedRules, validateSpec, type CrdSchema, type JsonValue } from "../../../src/crd-schema/crd-schema";
import { jsonArb, specArb } from "./arbitraries";

const base = "pledge:requests[2].spec";

/** The lines a user sees, as formatIssue() in src/config/issues.ts prints them. */
function problems(schema: CrdSchema, value: unknown, options = {}): string[] {
  const result = validateSpec(schema, value, base, options);
  return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}${i.hint ? ` (${i.hint})` : ""}`);
}

function accepted(schema: CrdSchema, value: unknown, options = {}): JsonValue | undefined {
  const result = validateSpec(schema, value, base, options);
  assert.ok(result.ok, `expected acceptance, got ${JSON.stringify(result)}`);
  return result.value;
}

const object = (properties: Record<string, CrdSchema>, extra: CrdSchema = {}): CrdSchema => ({
  type: "object",
  properties,
  ...extra,
});

type Case = { name: string; schema: CrdSchema; value: unknown; problems: string[] };

function table(cases: Case[]): void {
  for (const c of cases) it(c.name, () => assert.deepEqual(problems(c.schema, c.value), c.problems));
}

describe("types", () => {
  const s = object({
    n: { type: "integer" },
    x: { type: "number" },
    s: { type: "string" },
    b: { type: "boolean" },
    l: { type: "array", items: { type: "string" } },
    o: object({}),
  });
  table([
    {
      name: "each type accepts its own values",
      schema: s,
      value: { n: 1, x: 1.5, s: "a", b: true, l: ["a"], o: {} },
      problems: [],
    },
    {
      name: "an integer field refuses a fraction",
      schema: s,
      value: { n: 1.5 },
      problems: [`${base}.n: must be an integer, got 1.5`],
    },
    {
      name: "an integer field refuses a numeric string",
      schema: s,
      value: { n: "1" },
      problems: [`${base}.n: must be an integer, got "1"`],
    },
    {
      name: "an integer field refuses numbers from 2^63, which arrive as floats",
      schema: s,
      value: { n: 2 ** 63 },
      problems: [`${base}.n: must be an integer, got 9223372036854776000`],
    },
    { name: "a number field takes integers", schema: s, value: { x: 3 }, problems: [] },
    { name: "a string field refuses a number", schema: s, value: { s: 5 }, problems: [`${base}.s: must be a string, got 5`] },
    {
      name: "a boolean field refuses the string true",
      schema: s,
      value: { b: "true" },
      problems: [`${base}.b: must be a boolean, got "true"`],
    },
    {
      name: "objects and lists are named, never printed",
      schema: s,
      value: { s: { password: "hunter2" }, o: ["x"] },
      problems: [`${base}.s: must be a string, got an object`, `${base}.o: must be an object, got a list`],
    },
    {
      name: "a value that JSON cannot carry is refused before anything else",
      schema: s,
      value: { x: Number.NaN },
      problems: [`${base}.x: must be a finite number, got NaN`],
    },
    {
      name: "class instances are refused",
      schema: s,
      value: { o: new Map() },
      problems: [`${base}.o: is not a JSON value (use strings, numbers, booleans, lists and objects)`],
    },
  ]);

  it("reports every problem at once, in one pass", () => {
    assert.equal(problems(s, { n: "x", s: 1, b: 0, unknown: 1 }).length, 4);
  });
});

describe("required, enum and unknown fields", () => {
  const s = object(
    {
      size: { type: "string", enum: ["small", "medium", "large"] },
      name: { type: "string" },
      port: { "x-kubernetes-int-or-string": true },
    },
    { required: ["size", "name", "port"] },
  );
  table([
    {
      name: "a missing required field names its type",
      schema: s,
      value: { size: "small", port: 1 },
      problems: [`${base}.name: is required (string)`],
    },
    {
      name: "int-or-string is described as both",
      schema: s,
      value: { size: "small", name: "a" },
      problems: [`${base}.port: is required (integer or string)`],
    },
    {
      name: "a value outside the enum lists the allowed ones",
      schema: s,
      value: { size: "huge", name: "a", port: 1 },
      problems: [`${base}.size: "huge" is not one of small, medium, large`],
    },
    {
      name: "an unknown field is an error, with a hint",
      schema: s,
      value: { size: "small", name: "a", port: 1, nmae: "b" },
      problems: [`${base}.nmae: is not a known field (remove it or check its spelling)`],
    },
    {
      name: "field names that are not identifiers are quoted",
      schema: s,
      value: {
        size: "small",
        name: "a",
        port: 1,
        "a.b": 1,
      },
      problems: [`${base}["a.b"]: is not a known field (remove it or check its spelling)`],
    },
    {
      name: "metadata inside a spec is just an unknown field",
      schema: s,
      value: {
        size: "small",
        name: "a",
        port: 1,
        metadata: {},
      },
      problems: [`${base}.metadata: is not a known field (remove it or check its spelling)`],
    },
  ]);

  it("an unknown field below a value of the wrong type is not reported twice", () => {
    assert.deepEqual(problems(s, { size: "small", name: { first: "a" }, port: 1 }), [
      `${base}.name: must be a string, got an object`,
    ]);
  });

  it("a field called __proto__ is a field like any other", () => {
    const value = JSON.parse('{"size":"small","name":"a","port":1,"__proto__":{"x":1}}');
    assert.deepEqual(problems(s, value), [`${base}.__proto__: is not a known field (remove it or check its spelling)`]);
  });

  it('enum members match across Go\'s type conversions: 1.5 is 1, 65 is "A"', () => {
    assert.deepEqual(problems(object({ n: { type: "number", enum: [1, 2] } }), { n: 1.5 }), []);
    assert.deepEqual(problems(object({ v: { "x-kubernetes-int-or-string": true, enum: ["A"] } }), { v: 65 }), []);
    assert.deepEqual(problems(object({ v: { "x-kubernetes-int-or-string": true, enum: ["A"] } }), { v: 66 }), [
      `${base}.v: 66 is not one of A`,
    ]);
  });
});

describe("null", () => {
  const s = object({
    plain: { type: "string" },
    nullable: { type: "string", nullable: true },
    defaulted: { type: "string", default: "d" },
    nullableDefaulted: { type: "string", nullable: true, default: "d" },
    nullableEnum: { type: "string", nullable: true, enum: ["a"] },
    list: { type: "array", items: { type: "string" } },
    defaultedItems: { type: "array", items: { type: "string", default: "none" } },
  });

  it("null on a field that is neither nullable nor defaulted means the field is not set", () => {
    assert.deepEqual(accepted(s, { plain: null }), { defaulted: "d", nullableDefaulted: "d" });
  });
  it("null stays on a nullable field, even one with a default", () => {
    assert.deepEqual(accepted(s, { nullable: null, nullableDefaulted: null }), {
      nullable: null,
      nullableDefaulted: null,
      defaulted: "d",
    });
  });
  it("null takes the default of a non-nullable field", () => {
    assert.deepEqual(accepted(s, { defaulted: null }), { defaulted: "d", nullableDefaulted: "d" });
  });
  it("null in a list is an error unless the items have a default", () => {
    assert.deepEqual(problems(s, { list: [null] }), [`${base}.list[0]: must be a string, got null`]);
    assert.deepEqual(accepted(s, { defaultedItems: [null, "x"] }), {
      defaultedItems: ["none", "x"],
      defaulted: "d",
      nullableDefaulted: "d",
    });
  });
  it("null is never in an enum, even on a nullable field (as the API server does it)", () => {
    assert.deepEqual(problems(s, { nullableEnum: null }), [
      `${base}.nullableEnum: null is not one of a (the API server never accepts null where an enum is set, even when the field is nullable)`,
    ]);
  });
});

describe("defaults", () => {
  const s = object(
    {
      database: object(
        {
          engine: { type: "string", default: "postgres" },
          storage: object(
            { sizeGi: { type: "integer", default: 10 }, class: { type: "string", default: "standard" } },
            { default: { sizeGi: 20 } },
          ),
          backups: object({ enabled: { type: "boolean", default: false } }),
        },
        { default: {} },
      ),
      limits: { type: "object", additionalProperties: object({ cpu: { type: "string", default: "100m" } }) },
      perZone: { type: "object", additionalProperties: { type: "integer", default: 1 } },
      members: { type: "array", items: object({ name: { type: "string" }, weight: { type: "integer", default: 1 } }) },
      strict: object({ a: { type: "integer" } }, { default: { a: 1, dropped: true } }),
    },
    { default: {} },
  );

  it("are applied top-down: a defaulted object gets its own fields' defaults", () => {
    assert.deepEqual(accepted(s, {}), {
      database: { engine: "postgres", storage: { sizeGi: 20, class: "standard" } },
      strict: { a: 1 },
    });
  });
  it("only where the parent exists: no object is invented to hold a default", () => {
    assert.deepEqual((accepted(s, {}) as { database: object }).database, {
      engine: "postgres",
      storage: { sizeGi: 20, class: "standard" },
    });
  });
  it("inside additionalProperties, for every value, and for null values", () => {
    const value = accepted(s, { limits: { web: {}, db: { cpu: "1" } }, perZone: { a: null, b: 3 } }) as Record<string, unknown>;
    assert.deepEqual(value.limits, { web: { cpu: "100m" }, db: { cpu: "1" } });
    assert.deepEqual(value.perZone, { a: 1, b: 3 });
  });
  it("inside list items", () => {
    assert.deepEqual((accepted(s, { members: [{ name: "a" }, { name: "b", weight: 3 }] }) as Record<string, unknown>).members, [
      { name: "a", weight: 1 },
      { name: "b", weight: 3 },
    ]);
  });
  it("are pruned by their own schema, as the server stores them", () => {
    assert.deepEqual((accepted(s, {}) as Record<string, unknown>).strict, { a: 1 });
  });
  it("apply to a spec that is absent or null, when the spec has one", () => {
    assert.deepEqual(accepted(s, undefined), accepted(s, {}));
    assert.deepEqual(accepted(s, null), accepted(s, {}));
  });
  it("are validated after they are applied", () => {
    const bad = object({
      n: { type: "integer", maximum: 5, default: 1 },
      o: object({ n: { type: "integer", minimum: 3 } }, { default: { n: 1 } }),
    });
    assert.deepEqual(problems(bad, {}), [`${base}.o.n: must be at least 3, got 1`]);
  });
  it("do not change the value passed in", () => {
    const input = { members: [{ name: "a" }] };
    accepted(s, input);
    assert.deepEqual(input, { members: [{ name: "a" }] });
  });
});

describe("the spec itself", () => {
  const s = object({ a: { type: "string" } });
  it("may be absent unless the resource requires it", () => {
    assert.deepEqual(accepted(s, undefined), undefined);
    assert.deepEqual(problems(s, undefined, { specRequired: true }), [`${base}: is required (object)`]);
  });
  it("null counts as absent when the spec is not nullable", () => {
    assert.deepEqual(problems(s, null, { specRequired: true }), [`${base}: is required (object)`]);
  });
  it("must be an object", () => {
    assert.deepEqual(problems(s, "x"), [`${base}: must be an object, got "x"`]);
  });
});

describe("numbers", () => {
  table([
    {
      name: "minimum and maximum are inclusive",
      schema: object({ n: { type: "integer", minimum: 1, maximum: 3 } }),
      value: { n: 3 },
      problems: [],
    },
    {
      name: "above the maximum",
      schema: object({ n: { type: "integer", minimum: 1, maximum: 3 } }),
      value: { n: 4 },
      problems: [`${base}.n: must be at most 3, got 4`],
    },
    {
      name: "below the minimum",
      schema: object({ n: { type: "integer", minimum: 1 } }),
      value: { n: 0 },
      problems: [`${base}.n: must be at least 1, got 0`],
    },
    {
      name: "exclusive bounds",
      schema: object({ n: { type: "number", minimum: 0, exclusiveMinimum: true } }),
      value: { n: 0 },
      problems: [`${base}.n: must be greater than 0, got 0`],
    },
    {
      name: "multipleOf",
      schema: object({ n: { type: "integer", multipleOf: 3 } }),
      value: { n: 7 },
      problems: [`${base}.n: must be a multiple of 3, got 7`],
    },
    {
      name: "multipleOf on floats tolerates rounding",
      schema: object({ n: { type: "number", multipleOf: 0.1 } }),
      value: { n: 0.30000000000000004 },
      problems: [],
    },
    {
      name: "whole numbers are compared with the bound's integer part: 10 is not below 10.5 (exclusive)",
      schema: object({ n: { type: "number", maximum: 10.5, exclusiveMaximum: true } }),
      value: { n: 10 },
      problems: [
        `${base}.n: must be less than 10.5, got 10 (the API server compares whole numbers with the bound's integer part (10))`,
      ],
    },
    { name: "so 0 passes minimum 0.5", schema: object({ n: { type: "number", minimum: 0.5 } }), value: { n: 0 }, problems: [] },
    {
      name: "a fractional multipleOf turns away every whole number",
      schema: object({ n: { type: "number", multipleOf: 0.5 } }),
      value: { n: 3 },
      problems: [
        `${base}.n: must be a multiple of 0.5, got 3 (the API server truncates multipleOf to 0 for whole numbers, so it rejects this one)`,
      ],
    },
    {
      name: "a bound of the wrong type makes every value fail",
      schema: object({ n: { type: "integer", maximum: 10.5 } }),
      value: { n: 3 },
      problems: [
        `${base}.n: cannot be checked: the schema's maximum 10.5 is not a 64-bit integer, so the API server rejects every value (the promise's CRD schema needs a bound of the field's own type)`,
      ],
    },
    {
      name: "int32 is enforced",
      schema: object({ n: { type: "integer", format: "int32" } }),
      value: { n: 2 ** 31 },
      problems: [`${base}.n: must fit in a 32-bit integer (format int32), got 2147483648`],
    },
    {
      name: "float is enforced",
      schema: object({ n: { type: "number", format: "float" } }),
      value: { n: 1e39 },
      problems: [`${base}.n: must fit in a 32-bit float (format float), got 1e+39`],
    },
  ]);
});

describe("strings", () => {
  const s = object({
    short: { type: "string", maxLength: 3, minLength: 2 },
    id: { type: "string", pattern: "^[a-z]+$" },
    day: { type: "string", format: "date" },
  });
  table([
    { name: "lengths count Unicode code points, as Go counts runes", schema: s, value: { short: "😀😀😀" }, problems: [] },
    {
      name: "too long",
      schema: s,
      value: { short: "abcd" },
      problems: [`${base}.short: has 4 characters; at most 3 are allowed`],
    },
    {
      name: "too short",
      schema: s,
      value: { short: "a" },
      problems: [`${base}.short: has 1 character; at least 2 are required`],
    },
    { name: "pattern", schema: s, value: { id: "Abc" }, problems: [`${base}.id: "Abc" does not match the pattern ^[a-z]+$`] },
    { name: "a lone surrogate arrives as U+FFFD, one character", schema: s, value: { short: "a\ud800" }, problems: [] },
    {
      name: "format",
      schema: s,
      value: { day: "2023-02-29" },
      problems: [`${base}.day: "2023-02-29" does not have the format date`],
    },
    {
      name: "a list passes a string field with a format (kube-openapi skips the type check)",
      schema: s,
      value: { day: ["x"] },
      problems: [],
    },
    {
      name: "unknown formats are ignored",
      schema: object({ f: { type: "string", format: "colour" } }),
      value: { f: "anything" },
      problems: [],
    },
  ]);
  it("accepted strings come back with lone surrogates replaced", () => {
    assert.deepEqual(accepted(s, { short: "a\ud800" }), { short: "a\ufffd" });
  });
});

describe("lists", () => {
  const s = object({
    tags: { type: "array", maxItems: 2, minItems: 1, "x-kubernetes-list-type": "set", items: { type: "string" } },
    ports: {
      type: "array",
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["name", "protocol"],
      items: object({ name: { type: "string" }, protocol: { type: "string", default: "TCP" } }, { required: ["name"] }),
    },
  });
  table([
    {
      name: "maxItems",
      schema: s,
      value: { tags: ["a", "b", "c"] },
      problems: [`${base}.tags: has 3 items; at most 2 are allowed`],
    },
    { name: "minItems", schema: s, value: { tags: [] }, problems: [`${base}.tags: has 0 items; at least 1 are required`] },
    {
      name: "a set repeats nothing",
      schema: s,
      value: { tags: ["a", "a"] },
      problems: [`${base}.tags[1]: repeats item [0]; the items of this list must be unique`],
    },
    {
      name: "a map list repeats no key, defaults included",
      schema: s,
      value: { ports: [{ name: "http" }, { name: "http", protocol: "TCP" }] },
      problems: [
        `${base}.ports[1]: has the same key as item [0] (name: "http", protocol: "TCP"); the list is keyed by name, protocol`,
      ],
    },
    {
      name: "different keys are fine",
      schema: s,
      value: { ports: [{ name: "http" }, { name: "http", protocol: "UDP" }] },
      problems: [],
    },
  ]);
});

describe("open-ended values", () => {
  const s = object({
    size: {
      "x-kubernetes-int-or-string": true,
      anyOf: [{ type: "integer" }, { type: "string" }],
      pattern: "^[0-9]+Gi$",
      minimum: 1,
    },
    config: {
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
      properties: { level: { type: "string", default: "low" } },
    },
    anything: { "x-kubernetes-preserve-unknown-fields": true },
    loose: { type: "object", additionalProperties: true },
  });
  table([
    { name: "int-or-string takes an integer", schema: s, value: { size: 3 }, problems: [] },
    {
      name: "int-or-string takes a string; the pattern applies to strings",
      schema: s,
      value: { size: "3Ti" },
      problems: [`${base}.size: "3Ti" does not match the pattern ^[0-9]+Gi$`],
    },
    {
      name: "int-or-string refuses a fraction, said once",
      schema: s,
      value: { size: 1.5 },
      problems: [`${base}.size: must be an integer or a string, got 1.5`],
    },
    {
      name: "preserve-unknown-fields keeps unknown fields",
      schema: s,
      value: { config: { extra: { deep: 1 } }, anything: [1, { a: null }] },
      problems: [],
    },
    {
      name: "additionalProperties: true keeps keys but not what is below them",
      schema: s,
      value: {
        loose: { a: 1, b: { c: 1 } },
      },
      problems: [`${base}.loose.b.c: is not a known field (remove it or check its spelling)`],
    },
  ]);
  it("known fields under preserve-unknown-fields still get defaults", () => {
    assert.deepEqual(accepted(s, { config: { extra: 1 } }), { config: { extra: 1, level: "low" } });
  });
});

describe("allOf, anyOf, oneOf, not", () => {
  const s = object({
    choice: object({ a: { type: "string" }, b: { type: "string" } }, { oneOf: [{ required: ["a"] }, { required: ["b"] }] }),
    either: object({ x: { type: "integer" }, y: { type: "integer" } }, { anyOf: [{ required: ["x"] }, { required: ["y"] }] }),
    notBoth: object({ p: { type: "boolean" }, q: { type: "boolean" } }, { not: { required: ["p", "q"] } }),
    between: { type: "integer", allOf: [{ minimum: 0 }, { maximum: 10 }] },
  });
  table([
    { name: "oneOf: exactly one", schema: s, value: { choice: { a: "1" } }, problems: [] },
    {
      name: "oneOf: two is too many",
      schema: s,
      value: { choice: { a: "1", b: "2" } },
      problems: [`${base}.choice: matches 2 of the allowed forms, but must match exactly one (oneOf)`],
    },
    {
      name: "oneOf: none, with the closest form's problem",
      schema: s,
      value: { choice: {} },
      problems: [
        `${base}.choice: matches none of the 2 allowed forms (oneOf); the closest fails as follows`,
        `${base}.choice.a: is required (string)`,
      ],
    },
    { name: "anyOf: one is enough", schema: s, value: { either: { x: 1, y: 2 } }, problems: [] },
    {
      name: "not",
      schema: s,
      value: { notBoth: { p: true, q: true } },
      problems: [`${base}.notBoth: matches a form the schema rules out (not)`],
    },
    {
      name: "allOf: every part holds",
      schema: s,
      value: { between: 11 },
      problems: [`${base}.between: must be at most 10, got 11`],
    },
  ]);
});

describe("embedded resources", () => {
  const s = object({
    template: { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true },
  });
  table([
    {
      name: "need apiVersion and kind",
      schema: s,
      value: { template: {} },
      problems: [`${base}.template.apiVersion: is required (string)`, `${base}.template.kind: is required (string)`],
    },
    {
      name: "apiVersion has at most one slash",
      schema: s,
      value: { template: { apiVersion: "a/b/c", kind: "X" } },
      problems: [`${base}.template.apiVersion: unexpected GroupVersion string: a/b/c`],
    },
    {
      name: "kind is a DNS-1035 label in any case",
      schema: s,
      value: { template: { apiVersion: "v1", kind: "9Lives" } },
      problems: [`${base}.template.kind: "9Lives" must be a letter followed by letters, digits and "-", at most 63`],
    },
    {
      name: "metadata is ObjectMeta: unknown fields are errors",
      schema: s,
      value: {
        template: { apiVersion: "v1", kind: "X", metadata: { nmae: "x" } },
      },
      problems: [`${base}.template.metadata.nmae: is not a known field (remove it or check its spelling)`],
    },
    {
      name: "labels follow label syntax",
      schema: s,
      value: {
        template: { apiVersion: "v1", kind: "X", metadata: { labels: { "a b": "x" } } },
      },
      problems: [
        `${base}.template.metadata.labels["a b"]: label key "a b" must use only letters, digits, "-", "_" and ".", and start and end with a letter or digit`,
      ],
    },
  ]);
  it("metadata is normalised as ObjectMeta: empty fields go", () => {
    assert.deepEqual(
      accepted(s, { template: { apiVersion: "v1", kind: "X", metadata: { name: "", labels: {} }, data: { a: "b" } } }),
      {
        template: { apiVersion: "v1", kind: "X", metadata: {}, data: { a: "b" } },
      },
    );
  });
});

describe("uncheckedRules", () => {
  const s = object(
    {
      ports: {
        type: "array",
        items: object(
          { port: { type: "integer" } },
          { "x-kubernetes-validations": [{ rule: "self.port > 0", message: "port must be positive" }] },
        ),
      },
      bytes: { type: "string", pattern: "\\C" },
      mail: { type: "string", format: "email" },
    },
    { "x-kubernetes-validations": [{ rule: "has(self.ports)", messageExpression: "'ports: ' + string(size(self))" }] },
  );
  it("lists CEL rules with where they apply, the rule and the message", () => {
    assert.deepEqual(celRules(s, base), [
      {
        path: base,
        kind: "cel",
        rule: "has(self.ports)",
        message: "(computed: 'ports: ' + string(size(self)))",
        reason: "CEL rules are evaluated by the API server only",
      },
      {
        path: `${base}.ports[*]`,
        kind: "cel",
        rule: "self.port > 0",
        message: "port must be positive",
        reason: "CEL rules are evaluated by the API server only",
      },
    ]);
  });
  it("lists patterns Go would not compile and formats checked approximately", () => {
    assert.deepEqual(
      uncheckedRules(s, base)
        .filter((rule) => rule.kind !== "cel")
        .map(({ path, kind, rule }) => ({ path, kind, rule })),
      [
        { path: `${base}.bytes`, kind: "pattern", rule: "\\C" },
        { path: `${base}.mail`, kind: "format", rule: "email" },
      ],
    );
  });
  it("a pattern Go would not compile is left to the server, not failed", () => {
    assert.deepEqual(problems(s, { bytes: "anything" }), []);
  });
});

describe("properties", () => {
  const schema: CrdSchema = object(
    {
      size: { type: "string", enum: ["small", "large"] },
      replicas: { type: "integer", minimum: 1, maximum: 5, default: 1 },
      nested: object({ a: { type: "integer", default: 2 }, b: { type: "string", nullable: true } }, { default: {} }),
      members: {
        type: "array",
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["name"],
        items: object({ name: { type: "string" }, w: { type: "integer", default: 1 } }, { required: ["name"] }),
      },
      labels: { type: "object", additionalProperties: { type: "string", default: "x" } },
      size2: { "x-kubernetes-int-or-string": true },
      extra: { "x-kubernetes-preserve-unknown-fields": true },
    },
    { required: ["size"] },
  );
  const specs = specArb(schema, { mistakeRate: 0.05 });

  it("the spec a valid request returns is valid, and returns itself (defaulting is a fixpoint)", () => {
    fc.assert(
      fc.property(specs, (spec) => {
        const first = validateSpec(schema, spec, base);
        if (!first.ok) return;
        const again = validateSpec(schema, first.value, base);
        assert.deepEqual(again, first);
      }),
    );
  });

  it("is deterministic: the same spec, the same answer", () => {
    fc.assert(
      fc.property(specs, (spec) =>
        assert.deepEqual(validateSpec(schema, spec, base), validateSpec(schema, structuredClone(spec), base)),
      ),
    );
  });

  it("never throws, whatever the value, and every issue has a path under the base", () => {
    fc.assert(
      fc.property(fc.oneof(jsonArb, specs), (spec) => {
        const result = validateSpec(schema, spec, base);
        if (!result.ok) {
          assert.ok(result.issues.length > 0);
          for (const issue of result.issues) assert.ok(issue.path.startsWith(base), issue.path);
        }
      }),
    );
  });

  it("an accepted spec holds no field the schema does not know", () => {
    fc.assert(
      fc.property(specs, (spec) => {
        const result = validateSpec(schema, spec, base);
        if (!result.ok || result.value === undefined || result.value === null) return;
        const known = new Set([...Object.keys(schema.properties!)]);
        for (const key of Object.keys(result.value as object)) assert.ok(known.has(key), key);
      }),
    );
  });
});
