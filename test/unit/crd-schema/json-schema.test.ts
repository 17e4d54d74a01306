// specJsonSchema: the CRD's OpenAPI dialect rewritten as JSON Schema 2020-12 for editors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { specJsonSchema, type CrdSchema } from "../../../src/crd-schema/crd-schema";

const draft = "https://json-schema.org/draft/2020-12/schema";
const inSpec = (property: CrdSchema) =>
  specJsonSchema({ type: "object", properties: { x: property } }).properties as Record<string, unknown>;

describe("specJsonSchema", () => {
  it("closes objects the API server closes: unknown fields are errors there", () => {
    assert.deepEqual(
      specJsonSchema({
        type: "object",
        required: ["size"],
        properties: { size: { type: "string", enum: ["small", "large"], default: "small" } },
      }),
      {
        $schema: draft,
        type: "object",
        properties: { size: { type: "string", default: "small", enum: ["small", "large"] } },
        required: ["size"],
        additionalProperties: false,
      },
    );
  });

  const cases: { name: string; property: CrdSchema; json: Record<string, unknown> }[] = [
    {
      name: "nullable is a type union with null",
      property: { type: "string", nullable: true },
      json: { type: ["string", "null"] },
    },
    {
      name: "int-or-string is integer or string, without restating its anyOf",
      property: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
      json: { type: ["integer", "string"] },
    },
    {
      name: "preserve-unknown-fields leaves the object open",
      property: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { a: { type: "string" } } },
      json: { type: "object", properties: { a: { type: "string" } } },
    },
    {
      name: "an untyped preserve-unknown-fields value is anything",
      property: { "x-kubernetes-preserve-unknown-fields": true },
      json: {},
    },
    {
      name: "additionalProperties carries its schema",
      property: { type: "object", additionalProperties: { type: "integer" } },
      json: { type: "object", additionalProperties: { type: "integer" } },
    },
    {
      name: "boolean exclusive bounds become numbers",
      property: { type: "number", minimum: 0, exclusiveMinimum: true, maximum: 1 },
      json: { type: "number", exclusiveMinimum: 0, maximum: 1 },
    },
    {
      name: "descriptions, titles and examples are carried over",
      property: { type: "integer", description: "How many.", title: "Replicas", example: 3 },
      json: { type: "integer", title: "Replicas", description: "How many.", examples: [3] },
    },
    {
      name: "a Go pattern JavaScript reads the same way is kept as the JSON Schema pattern",
      property: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.\\d+){0,2}$" },
      json: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.\\d+){0,2}$" },
    },
    {
      name: "a Go pattern JavaScript reads otherwise, or not at all, is left to the server, and said so",
      property: { type: "string", pattern: "\\A[[:alpha:]]+\\z" },
      json: { type: "string", $comment: "the API server also checks the Go pattern \\A[[:alpha:]]+\\z" },
    },
    {
      name: "a dot or a \\s, which JavaScript reads otherwise, is left to the server",
      property: { type: "string", pattern: "^a.b\\s$" },
      json: { type: "string", $comment: "the API server also checks the Go pattern ^a.b\\s$" },
    },
    {
      name: "a pattern that needs a flag is left to the server, and said so",
      property: { type: "string", pattern: "(?i)^ab$" },
      json: { type: "string", $comment: "the API server also checks the Go pattern (?i)^ab$" },
    },
    {
      name: "formats JSON Schema knows are kept under its names",
      property: { type: "string", format: "datetime" },
      json: { type: "string", format: "date-time" },
    },
    { name: "Go-specific formats are dropped", property: { type: "string", format: "duration" }, json: { type: "string" } },
    {
      name: "a set list has unique items",
      property: { type: "array", "x-kubernetes-list-type": "set", items: { type: "string" } },
      json: { type: "array", uniqueItems: true, items: { type: "string" } },
    },
    {
      name: "an embedded resource needs apiVersion and kind",
      property: { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true },
      json: {
        type: "object",
        properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" } },
        required: ["apiVersion", "kind"],
      },
    },
    {
      name: "anyOf parts stay open: only the structural schema closes objects",
      property: {
        type: "object",
        properties: { a: { type: "string" } },
        anyOf: [{ required: ["a"] }, { properties: { a: { minLength: 2 } } }],
      },
      json: {
        type: "object",
        properties: { a: { type: "string" } },
        additionalProperties: false,
        anyOf: [{ required: ["a"] }, { properties: { a: { minLength: 2 } } }],
      },
    },
    {
      name: "items of a preserve-unknown-fields list stay open, as pruning keeps their unknown fields",
      property: {
        type: "array",
        "x-kubernetes-preserve-unknown-fields": true,
        items: { type: "object", properties: { a: { type: "string" } } },
      },
      json: { type: "array", items: { type: "object", properties: { a: { type: "string" } } } },
    },
    {
      name: "but a named field inside a preserve-unknown-fields object is closed again",
      property: {
        type: "object",
        "x-kubernetes-preserve-unknown-fields": true,
        properties: { l: { type: "array", items: { type: "object", properties: { a: { type: "string" } } } } },
      },
      json: {
        type: "object",
        properties: {
          l: { type: "array", items: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false } },
        },
      },
    },
    {
      name: "CEL rules are mentioned",
      property: { type: "integer", "x-kubernetes-validations": [{ rule: "self > 0" }] },
      json: { type: "integer", $comment: "the API server also checks: self > 0" },
    },
  ];
  for (const { name, property, json } of cases) {
    it(name, () => assert.deepEqual(inSpec(property).x, json));
  }
});
