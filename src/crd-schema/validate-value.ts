// Schema validation of an already pruned and defaulted value, as kube-openapi's
// SchemaValidator does it for custom resources (pkg/validation/validate:
// schema.go, type.go, validator.go, object_validator.go, slice_validator.go,
// schema_props.go). The order of checks follows SchemaValidator.Validate so a
// reader can put the two side by side; only the words are Pledge's.
import type { ValueIssue, ValuePath } from "./issues";
import { describeValue, plural, withArticle } from "./issues";
import { effectiveFormat, isStringFormat, matchesFormat } from "./formats";
import { goPattern } from "./go-regexp";
import { goFloatToInt64, goKind, isFloatAJsonInteger, isMap, jsonEqual } from "./go-values";
import { numberProblems } from "./numbers";
import type { CrdSchema, JsonObject, JsonValue } from "./schema";
import { describeSchemaType, ownValue, propertySchema, schemaTypes } from "./schema";

const jsonTypeOfKind = {
  null: "null",
  bool: "boolean",
  int64: "integer",
  float64: "number",
  string: "string",
  slice: "array",
  map: "object",
} as const;
/** A type as users name it: "a list", not "an array". */
const nouns: Record<string, string> = { array: "list" };

function expectedTypes(types: readonly string[], format: string | undefined): string {
  if (types.length === 0) return `a string (format ${format})`;
  return types.map((type) => withArticle(nouns[type] ?? type)).join(" or ");
}

/** typeValidator.Validate: true when the value has an acceptable type. */
function typeAccepts(schema: CrdSchema, value: JsonValue, format: string | undefined): boolean {
  const types = schemaTypes(schema);
  const kind = goKind(value);
  if (value === null) return types.length === 0 || schema.nullable === true;
  const jsonType = jsonTypeOfKind[kind];
  const isFloatInt = jsonType === "number" && isFloatAJsonInteger(value as number) && types.includes("integer");
  const isIntFloat = jsonType === "integer" && types.includes("number");
  const valueFormat = kind === "int64" ? "int64" : kind === "float64" ? "float64" : "";
  const stringOrSlice = kind === "string" || kind === "slice";
  if (!stringOrSlice && format && !(types.includes(jsonType) || valueFormat === format || isFloatInt || isIntFloat)) return false;
  // kube-openapi skips the type check for strings and lists under a string format: a list passes `type: string, format: date`.
  if (!(types.includes("number") || types.includes("integer")) && format && stringOrSlice) return true;
  return types.includes(jsonType) || isFloatInt || isIntFloat;
}

/** Go's reflect Convert of a decoded value to an enum member's type, then DeepEqual (basicCommonValidator). */
function enumMemberMatches(value: JsonValue, member: JsonValue): boolean {
  if (member === null || value === null) return false;
  const [valueKind, memberKind] = [goKind(value), goKind(member)];
  if (valueKind === "int64" || valueKind === "float64") {
    const n = value as number;
    // float64 -> int64 truncates: 1.5 matches enum member 1.
    if (memberKind === "int64") return (valueKind === "int64" ? BigInt(n) : goFloatToInt64(n)) === BigInt(member as number);
    if (memberKind === "float64") return n === member;
    // int64 -> string is Go's string(rune(n)): one character, or U+FFFD when n is no code point.
    if (memberKind === "string" && valueKind === "int64") return runeString(n) === member;
    return false;
  }
  if (valueKind !== memberKind) return false;
  return jsonEqual(value, member);
}

function runeString(n: number): string {
  const valid = n >= 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff);
  return valid ? String.fromCodePoint(n) : "\ufffd";
}

function describeEnum(members: readonly JsonValue[]): string {
  return members.map((member) => (typeof member === "string" ? member : JSON.stringify(member))).join(", ");
}

function runeCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Validation result of one subschema, kept apart so anyOf/oneOf/not can weigh it. */
function trial(schema: CrdSchema, value: JsonValue, at: ValuePath, outer: CrdSchema): ValueIssue[] {
  const issues: ValueIssue[] = [];
  validateValue(schema, value, at, issues, outer);
  return issues;
}

function fewestIssues(results: ValueIssue[][]): ValueIssue[] {
  return results.reduce((best, result) => (result.length < best.length ? result : best));
}

function validateJunctors(schema: CrdSchema, value: JsonValue, at: ValuePath, issues: ValueIssue[]): void {
  if (schema.anyOf && schema.anyOf.length > 0) {
    const results = schema.anyOf.map((alternative) => trial(alternative, value, at, schema));
    if (!results.some((result) => result.length === 0)) {
      const message = `matches none of the ${schema.anyOf.length} allowed forms (anyOf); the closest fails as follows`;
      issues.push({ at, kind: "value", message });
      issues.push(...fewestIssues(results));
    }
  }
  if (schema.oneOf && schema.oneOf.length > 0) {
    const results = schema.oneOf.map((alternative) => trial(alternative, value, at, schema));
    const matching = results.filter((result) => result.length === 0).length;
    if (matching === 0) {
      const message = `matches none of the ${schema.oneOf.length} allowed forms (oneOf); the closest fails as follows`;
      issues.push({ at, kind: "value", message });
      issues.push(...fewestIssues(results));
    } else if (matching > 1) {
      issues.push({ at, kind: "value", message: `matches ${matching} of the allowed forms, but must match exactly one (oneOf)` });
    }
  }
  for (const part of schema.allOf ?? []) validateValue(part, value, at, issues, schema);
  if (schema.not && trial(schema.not, value, at, schema).length === 0) {
    issues.push({ at, kind: "value", message: "matches a form the schema rules out (not)" });
  }
}

function validateString(schema: CrdSchema, text: string, at: ValuePath, issues: ValueIssue[]): void {
  // kube-openapi's stringValidator stops at the first failure: maxLength, minLength, pattern.
  const length = runeCount(text);
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    issues.push({ at, kind: "value", message: `has ${plural(length, "character")}; at most ${schema.maxLength} are allowed` });
    return;
  }
  if (schema.minLength !== undefined && length < schema.minLength) {
    issues.push({ at, kind: "value", message: `has ${plural(length, "character")}; at least ${schema.minLength} are required` });
    return;
  }
  if (schema.pattern) {
    const pattern = goPattern(schema.pattern);
    // A pattern Go would not compile is left to the server (which refuses the CRD); uncheckedRules() lists it.
    if (pattern.ok && !pattern.test(text)) {
      issues.push({ at, kind: "value", message: `${describeValue(text)} does not match the pattern ${schema.pattern}` });
    }
  }
}

function validateList(schema: CrdSchema, list: JsonValue[], at: ValuePath, issues: ValueIssue[]): void {
  if (schema.items) list.forEach((item, i) => validateValue(schema.items!, item, [...at, i], issues));
  if (schema.minItems !== undefined && list.length < schema.minItems) {
    issues.push({ at, kind: "value", message: `has ${plural(list.length, "item")}; at least ${schema.minItems} are required` });
  }
  if (schema.maxItems !== undefined && list.length > schema.maxItems) {
    issues.push({ at, kind: "value", message: `has ${plural(list.length, "item")}; at most ${schema.maxItems} are allowed` });
  }
  if (schema.uniqueItems && list.some((item, i) => list.slice(0, i).some((earlier) => jsonEqual(earlier, item)))) {
    issues.push({ at, kind: "value", message: "has duplicate items; every item must be different (uniqueItems)" });
  }
}

function validateObject(schema: CrdSchema, object: JsonObject, at: ValuePath, issues: ValueIssue[], outer?: CrdSchema): void {
  const count = Object.keys(object).length;
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    issues.push({ at, kind: "value", message: `has ${plural(count, "field")}; at least ${schema.minProperties} are required` });
  }
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    issues.push({ at, kind: "value", message: `has ${plural(count, "field")}; at most ${schema.maxProperties} are allowed` });
  }
  const additional = schema.additionalProperties;
  for (const [key, item] of Object.entries(object)) {
    if (propertySchema(schema, key)) continue;
    if (additional === false) {
      issues.push({
        at: [...at, key],
        kind: "unknown",
        message: "is not a known field",
        hint: "remove it or check its spelling",
      });
    } else if (typeof additional === "object") validateValue(additional, item, [...at, key], issues);
  }
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (Object.hasOwn(object, key)) validateValue(property, object[key]!, [...at, key], issues);
  }
  for (const key of schema.required ?? []) {
    if (Object.hasOwn(object, key)) continue;
    // A required list inside anyOf/oneOf names fields the enclosing schema describes.
    const type = describeSchemaType(ownValue(schema.properties, key) ?? ownValue(outer?.properties, key) ?? {});
    issues.push({ at: [...at, key], kind: "value", message: type ? `is required (${type})` : "is required" });
  }
}

function validateEnum(schema: CrdSchema, value: JsonValue, at: ValuePath, issues: ValueIssue[]): void {
  if (!schema.enum || schema.enum.length === 0) return;
  if (schema.enum.some((member) => enumMemberMatches(value, member))) return;
  const issue: ValueIssue = { at, kind: "value", message: `${describeValue(value)} is not one of ${describeEnum(schema.enum)}` };
  if (value === null) issue.hint = "the API server never accepts null where an enum is set, even when the field is nullable";
  issues.push(issue);
}

/**
 * Every problem of `value` under `schema`, appended to `issues` (kube-openapi SchemaValidator.Validate).
 * `outer` is the enclosing schema of an allOf/anyOf/oneOf/not part, for messages only.
 */
export function validateValue(schema: CrdSchema, value: JsonValue, at: ValuePath, issues: ValueIssue[], outer?: CrdSchema): void {
  const types = schemaTypes(schema);
  const format = effectiveFormat(schema.format, types);
  const typeChecked = types.length > 0 || format !== undefined;
  const typeFailed = typeChecked && !typeAccepts(schema, value, format);
  if (typeFailed) {
    const got = value === null ? "null" : describeValue(value);
    issues.push({ at, kind: "type", message: `must be ${expectedTypes(types, format)}, got ${got}` });
  }
  if (value === null) {
    validateEnum(schema, value, at, issues);
    return;
  }
  // With the type wrong, anyOf/oneOf would only say it again (int-or-string is anyOf integer, string).
  if (!typeFailed) validateJunctors(schema, value, at, issues);
  if (typeof value === "string") {
    validateString(schema, value, at, issues);
    if (format && isStringFormat(format) && !matchesFormat(format, value)) {
      issues.push({ at, kind: "value", message: `${describeValue(value)} does not have the format ${format}` });
    }
  }
  if (typeof value === "number") {
    for (const problem of numberProblems(schema, value, format, typeFailed)) issues.push({ at, kind: "value", ...problem });
  }
  if (Array.isArray(value)) validateList(schema, value, at, issues);
  validateEnum(schema, value, at, issues);
  if (isMap(value)) validateObject(schema, value, at, issues, outer);
}
