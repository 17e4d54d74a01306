// A request's schema is a CRD (a Kratix Promise's, for one); Pledge checks a
// request's spec against it before anything is applied, with the answer
// kube-apiserver would give to `kubectl create --dry-run=server
// --validate=strict` and the same defaulted spec. The steps are the server's,
// in its order (apiextensions-apiserver
// pkg/apiserver/customresource_handler.go, then
// pkg/registry/customresource/strategy.go):
//   decode:   prune unknown fields (an error under strict field validation),
//             drop nulls of non-nullable fields without a default, check
//             embedded objects' TypeMeta/ObjectMeta, apply defaults;
//   validate: the OpenAPI schema (kube-openapi), embedded objects, list-type
//             set/map uniqueness. CEL rules (x-kubernetes-validations) are not
//             evaluated: uncheckedRules() lists them for the caller to mention.
//   store:    the stored object is decoded once more (prune nulls, default),
//             which is what a create returns.
import { applyDefaults, rootDefault } from "./defaulting";
import { coerceEmbeddedResources, validateEmbeddedResources } from "./embedded-resource";
import { approximateFormats, effectiveFormat, isStringFormat } from "./formats";
import { goPattern } from "./go-regexp";
import { toJsonValue } from "./go-values";
import type { Issue, ValueIssue } from "./issues";
import { toConfigIssues } from "./issues";
import { validateListTypes } from "./list-types";
import { hasDefault, pruneNulls, pruneUnknownFields } from "./pruning";
import type { CrdSchema, JsonValue } from "./schema";
import { additionalSchema, schemaTypes } from "./schema";
import type { SpecField } from "./storage-schema";
import { validateValue } from "./validate-value";

export type { Issue } from "./issues";
export type { CelRule, CrdSchema, JsonObject, JsonValue } from "./schema";
export { specJsonSchema } from "./json-schema";
export { storageSpecSchema, type SpecField, type StorageSpecSchema } from "./storage-schema";

export type SpecValidation = { ok: true; value: JsonValue | undefined } | { ok: false; issues: Issue[] };

export interface ValidateSpecOptions {
  /** The resource root lists `spec` as required (storageSpecSchema tells). */
  specRequired?: boolean;
  /** How the resource root holds spec (storageSpecSchema tells); default "declared". */
  specField?: SpecField;
}

/** Decoding as the server does it; mutates `spec`, returns its problems. */
function decode(spec: JsonValue, schema: CrdSchema, issues: ValueIssue[]): void {
  for (const at of pruneUnknownFields(spec, schema)) {
    issues.push({ at, kind: "unknown", message: "is not a known field", hint: "remove it or check its spelling" });
  }
  pruneNulls(spec, schema);
  coerceEmbeddedResources(spec, schema, issues);
}

/**
 * Checks a request's spec against the CRD's spec schema and returns the spec
 * the API server would store: defaulted, unknown nothing, nulls of unset
 * fields gone. Every problem is reported at once, with full key paths under
 * `basePath` (e.g. `pledge:requests[2].spec.size`).
 */
export function validateSpec(
  schema: CrdSchema,
  value: unknown,
  basePath: string,
  options: ValidateSpecOptions = {},
): SpecValidation {
  const issues: ValueIssue[] = [];
  if (options.specField === "unknown" && value !== undefined) {
    // The root declares no spec and keeps no unknown fields: strict field validation refuses any spec, null included.
    issues.push({ at: [], kind: "unknown", message: "is not a known field", hint: "the CRD declares no spec: leave it out" });
    return { ok: false, issues: toConfigIssues(basePath, issues) };
  }
  let spec = toJsonValue(value, [], issues);
  if (issues.length > 0) return { ok: false, issues: toConfigIssues(basePath, issues) };
  // The spec is a field of the resource root: the same null and default rules apply to it.
  if (spec === null && schema.nullable !== true && !hasDefault(schema)) spec = undefined;
  if (spec !== undefined) decode(spec, schema, issues);
  spec = rootDefault(schema, spec);
  if (spec === undefined) {
    if (options.specRequired) issues.push({ at: [], kind: "value", message: "is required (object)" });
  } else {
    applyDefaults(spec, schema);
    validateValue(schema, spec, [], issues);
    validateEmbeddedResources(spec, schema, issues);
    validateListTypes(spec, schema, issues);
  }
  if (issues.length > 0) return { ok: false, issues: toConfigIssues(basePath, issues) };
  if (spec !== undefined) {
    // The create response is the stored object decoded again.
    pruneNulls(spec, schema);
    applyDefaults(spec, schema);
  }
  return { ok: true, value: spec };
}

/** A check in the schema that validateSpec does not make (or makes only approximately); the API server does. */
export interface UncheckedRule {
  /** Where it applies, `[*]` standing for every list item or map value. */
  path: string;
  kind: "cel" | "pattern" | "format";
  /** The CEL rule, the pattern or the format. */
  rule: string;
  /** The message the server gives when a CEL rule fails. */
  message?: string;
  /** Why Pledge does not check it. */
  reason: string;
}

function walkSchema(schema: CrdSchema, path: string, visit: (schema: CrdSchema, path: string) => void): void {
  visit(schema, path);
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    walkSchema(property, /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`, visit);
  }
  const additional = additionalSchema(schema);
  if (additional) walkSchema(additional, `${path}[*]`, visit);
  if (schema.items) walkSchema(schema.items, `${path}[*]`, visit);
  for (const part of [
    ...(schema.allOf ?? []),
    ...(schema.anyOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.not ? [schema.not] : []),
  ]) {
    walkSchema(part, path, visit);
  }
}

/**
 * What the API server will check that validateSpec does not: CEL rules
 * (x-kubernetes-validations), patterns Go would not compile (the server
 * refuses such a CRD), formats checked only approximately. A caller tells the
 * user these are checked on apply.
 */
export function uncheckedRules(schema: CrdSchema, basePath: string): UncheckedRule[] {
  const out: UncheckedRule[] = [];
  walkSchema(schema, basePath, (node, path) => {
    for (const rule of node["x-kubernetes-validations"] ?? []) {
      const message = rule.message ?? (rule.messageExpression ? `(computed: ${rule.messageExpression})` : undefined);
      const reason = "CEL rules are evaluated by the API server only";
      out.push({ path, kind: "cel", rule: rule.rule, ...(message ? { message } : {}), reason });
    }
    if (node.pattern) {
      const pattern = goPattern(node.pattern);
      if (!pattern.ok) {
        const reason = `not a valid Go regular expression (${pattern.reason}): the API server refuses the CRD`;
        out.push({ path, kind: "pattern", rule: node.pattern, reason });
      }
    }
    const format = effectiveFormat(node.format, schemaTypes(node));
    if (format && isStringFormat(format) && approximateFormats.has(format.replaceAll("-", ""))) {
      out.push({
        path,
        kind: "format",
        rule: format,
        reason: "checked approximately; the API server's parser is stricter at the edges",
      });
    }
  });
  return out;
}

/** Only the CEL rules, path + rule + message. */
export function celRules(schema: CrdSchema, basePath: string): UncheckedRule[] {
  return uncheckedRules(schema, basePath).filter((rule) => rule.kind === "cel");
}
