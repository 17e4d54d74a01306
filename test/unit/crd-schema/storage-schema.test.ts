// storageSpecSchema: which schema is a Promise's request schema, and what a
// promise author reads when the CRD cannot provide one.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { storageSpecSchema } from "../../../src/crd-schema/crd-schema";

const specSchema = { type: "object", properties: { size: { type: "string" } } };

function crd(versions: unknown[], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "redis.example.com" },
    spec: { versions },
    ...extra,
  };
}

const version = (name: string, storage: boolean, openAPIV3Schema?: unknown) => ({
  name,
  served: true,
  storage,
  ...(openAPIV3Schema ? { schema: { openAPIV3Schema } } : {}),
});
const withSpec = (spec: unknown, root: Record<string, unknown> = {}) => ({ type: "object", properties: { spec }, ...root });

describe("storageSpecSchema", () => {
  it("picks the storage version's spec schema, not the first version's", () => {
    const result = storageSpecSchema(
      crd([version("v1alpha1", false, withSpec({ type: "object" })), version("v1", true, withSpec(specSchema))]),
    );
    assert.deepEqual(result, { ok: true, schema: specSchema, version: "v1", specRequired: false, specField: "declared" });
  });

  it("a root that keeps unknown fields and declares no spec keeps any spec, null included", () => {
    const result = storageSpecSchema(
      crd([version("v1", true, { type: "object", "x-kubernetes-preserve-unknown-fields": true })]),
    );
    assert.deepEqual(result, {
      ok: true,
      schema: { "x-kubernetes-preserve-unknown-fields": true, nullable: true },
      version: "v1",
      specRequired: false,
      specField: "preserved",
    });
  });

  it("a root that declares no spec takes none: a spec is an unknown field", () => {
    const result = storageSpecSchema(crd([version("v1", true, { type: "object", properties: { status: {} } })]));
    assert.deepEqual(result, { ok: true, schema: {}, version: "v1", specRequired: false, specField: "unknown" });
  });

  it("tells whether the resource requires a spec", () => {
    const result = storageSpecSchema(crd([version("v1", true, withSpec(specSchema, { required: ["spec"] }))]));
    assert.ok(result.ok && result.specRequired);
  });

  it("reads the fixtures of the differential test", () => {
    const fixture = parse(readFileSync(join(__dirname, "../../e2e/fixtures/kratix/scalars.yaml"), "utf8"));
    const result = storageSpecSchema(fixture);
    assert.ok(result.ok && result.version === "v1" && result.schema.required?.includes("size"));
  });

  const failures: { name: string; crd: unknown; issues: { path: string; message: string; hint?: string }[] }[] = [
    { name: "not an object", crd: "redis", issues: [{ path: "crd", message: "must be a CustomResourceDefinition object" }] },
    {
      name: "another kind",
      crd: { ...crd([]), kind: "Promise" },
      issues: [{ path: "crd.kind", message: 'is "Promise"; expected "CustomResourceDefinition"' }],
    },
    {
      name: "an old API version",
      crd: { ...crd([]), apiVersion: "apiextensions.k8s.io/v1beta1" },
      issues: [
        {
          path: "crd.apiVersion",
          message: 'is "apiextensions.k8s.io/v1beta1"; expected "apiextensions.k8s.io/v1"',
          hint: "v1beta1 CRDs are no longer served",
        },
      ],
    },
    { name: "no versions", crd: crd([]), issues: [{ path: "crd.spec.versions", message: "must list at least one version" }] },
    {
      name: "no storage version",
      crd: crd([version("v1", false, withSpec(specSchema))]),
      issues: [
        { path: "crd.spec.versions", message: "has no storage version", hint: "exactly one version must have storage: true" },
      ],
    },
    {
      name: "two storage versions",
      crd: crd([version("v1", true, withSpec(specSchema)), version("v2", true, withSpec(specSchema))]),
      issues: [
        {
          path: "crd.spec.versions",
          message: "has 2 storage versions (v1, v2)",
          hint: "exactly one version must have storage: true",
        },
      ],
    },
    {
      name: "no schema",
      crd: crd([version("v1alpha1", false), version("v1", true)]),
      issues: [
        { path: "crd.spec.versions[1].schema.openAPIV3Schema", message: "is missing: the storage version v1 has no schema" },
      ],
    },
    {
      name: "keywords CRDs may not use, and a pattern Go would not compile",
      crd: crd([
        version(
          "v1",
          true,
          withSpec({ type: "object", properties: { a: { $ref: "#/x" }, b: { type: "string", pattern: "(" } } }),
        ),
      ]),
      issues: [
        {
          path: "crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.a.$ref",
          message: "is not supported in a CRD schema",
        },
        {
          path: "crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.b.pattern",
          message: '"(" is not a valid Go regular expression: missing closing )',
        },
      ],
    },
  ];
  for (const { name, crd: input, issues } of failures) {
    it(`says what is wrong: ${name}`, () => assert.deepEqual(storageSpecSchema(input), { ok: false, issues }));
  }

  it("puts issues under the base path it is given", () => {
    const result = storageSpecSchema(crd([]), "promises/redis/promise.yaml");
    assert.deepEqual(result, {
      ok: false,
      issues: [{ path: "promises/redis/promise.yaml.spec.versions", message: "must list at least one version" }],
    });
  });
});
