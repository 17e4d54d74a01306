// The request schema a CRD declares (a Kratix Promise's, for one): the storage
// version's openAPIV3Schema.properties.spec (apiextensions.k8s.io/v1). A CRD
// need not declare a spec: under a root with x-kubernetes-preserve-unknown-fields
// any spec is kept as written, and otherwise a spec is an unknown field. The CRD
// may come from a file nobody has applied yet, so the few schema keywords the
// API server would refuse, and patterns Go would not compile, are reported here
// rather than misread later.
import { goPattern } from "./go-regexp";
import type { Issue } from "./issues";
import { joinPath } from "./issues";
import type { CrdSchema } from "./schema";
import { isPlainObject, isPreserveUnknown } from "./schema";

/**
 * How the resource root holds spec. `declared`: openAPIV3Schema.properties.spec.
 * `preserved`: no such property, but the root keeps unknown fields, so any spec is stored as written.
 * `unknown`: no such property, so a spec is an unknown field (strict field validation refuses it).
 */
export type SpecField = "declared" | "preserved" | "unknown";

export type StorageSpecSchema =
  { ok: true; schema: CrdSchema; version: string; specRequired: boolean; specField: SpecField } | { ok: false; issues: Issue[] };

/** Keywords a v1 CRD schema may not use (apis/apiextensions/validation/validation.go). */
const forbiddenKeywords = ["$ref", "$schema", "id", "definitions", "dependencies", "patternProperties", "additionalItems"];

function schemaProblems(schema: unknown, path: string, out: Issue[]): void {
  if (!isPlainObject(schema)) {
    out.push({ path, message: "must be a schema object" });
    return;
  }
  for (const keyword of forbiddenKeywords) {
    if (Object.hasOwn(schema, keyword)) out.push({ path: `${path}.${keyword}`, message: "is not supported in a CRD schema" });
  }
  if (Array.isArray(schema.items)) out.push({ path: `${path}.items`, message: "must be one schema, not a list" });
  if (typeof schema.pattern === "string") {
    const pattern = goPattern(schema.pattern);
    if (!pattern.ok) {
      const message = `${JSON.stringify(schema.pattern)} is not a valid Go regular expression: ${pattern.reason}`;
      out.push({ path: `${path}.pattern`, message });
    }
  }
  const properties = schema.properties;
  if (isPlainObject(properties)) {
    for (const [key, property] of Object.entries(properties))
      schemaProblems(property, joinPath(`${path}.properties`, [key]), out);
  }
  for (const key of ["items", "not"] as const) {
    if (isPlainObject(schema[key])) schemaProblems(schema[key], `${path}.${key}`, out);
  }
  if (isPlainObject(schema.additionalProperties))
    schemaProblems(schema.additionalProperties, `${path}.additionalProperties`, out);
  for (const key of ["allOf", "anyOf", "oneOf"] as const) {
    const parts = schema[key];
    if (Array.isArray(parts)) parts.forEach((part, i) => schemaProblems(part, `${path}.${key}[${i}]`, out));
  }
}

function fail(path: string, message: string, hint?: string): StorageSpecSchema {
  return { ok: false, issues: [{ path, message, ...(hint ? { hint } : {}) }] };
}

/** Picks the storage version's spec schema from a CRD object, with what is wrong when there is none. */
export function storageSpecSchema(crd: unknown, basePath = "crd"): StorageSpecSchema {
  if (!isPlainObject(crd)) return fail(basePath, "must be a CustomResourceDefinition object");
  if (crd.kind !== "CustomResourceDefinition") {
    return fail(`${basePath}.kind`, `is ${JSON.stringify(crd.kind)}; expected "CustomResourceDefinition"`);
  }
  if (crd.apiVersion !== "apiextensions.k8s.io/v1") {
    const message = `is ${JSON.stringify(crd.apiVersion)}; expected "apiextensions.k8s.io/v1"`;
    return fail(`${basePath}.apiVersion`, message, "v1beta1 CRDs are no longer served");
  }
  const spec = crd.spec;
  const versions = isPlainObject(spec) ? spec.versions : undefined;
  if (!Array.isArray(versions) || versions.length === 0)
    return fail(`${basePath}.spec.versions`, "must list at least one version");
  const storage = versions.flatMap((version, i) => (isPlainObject(version) && version.storage === true ? [{ version, i }] : []));
  if (storage.length !== 1) {
    const names = storage.map(({ version }) => String(version.name)).join(", ");
    return fail(
      `${basePath}.spec.versions`,
      storage.length === 0 ? "has no storage version" : `has ${storage.length} storage versions (${names})`,
      "exactly one version must have storage: true",
    );
  }
  const { version, i } = storage[0]!;
  const versionPath = `${basePath}.spec.versions[${i}]`;
  const schemaHolder = version.schema;
  const root = isPlainObject(schemaHolder) ? schemaHolder.openAPIV3Schema : undefined;
  if (!isPlainObject(root)) {
    return fail(`${versionPath}.schema.openAPIV3Schema`, `is missing: the storage version ${String(version.name)} has no schema`);
  }
  const properties = root.properties;
  const specSchema = isPlainObject(properties) && Object.hasOwn(properties, "spec") ? properties.spec : undefined;
  const specPath = `${versionPath}.schema.openAPIV3Schema.properties.spec`;
  const specRequired = Array.isArray(root.required) && root.required.includes("spec");
  const versionName = String(version.name);
  if (specSchema === undefined) {
    // Under a root that keeps unknown fields, a spec is one of them: anything, null included, kept as written.
    if (isPreserveUnknown(root as CrdSchema)) {
      const schema: CrdSchema = { "x-kubernetes-preserve-unknown-fields": true, nullable: true };
      return { ok: true, schema, version: versionName, specRequired, specField: "preserved" };
    }
    return { ok: true, schema: {}, version: versionName, specRequired, specField: "unknown" };
  }
  const issues: Issue[] = [];
  schemaProblems(specSchema, specPath, issues);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, schema: specSchema as CrdSchema, version: versionName, specRequired, specField: "declared" };
}
