// JSON values as the API server holds them after decoding. Its decoder
// (sigs.k8s.io/json, "preserve ints") turns a number without a "." that fits in
// 64 bits into an int64 and every other number into a float64, and several
// checks in kube-openapi differ between the two. Pledge sends what
// JSON.stringify writes, which never puts a "." in a whole number below 1e21, so
// the kind follows from the JavaScript number alone.
import type { JsonObject, JsonValue } from "./schema";
import { isPlainObject, setOwn } from "./schema";
import type { ValueIssue, ValuePath } from "./issues";

export type GoKind = "null" | "bool" | "int64" | "float64" | "string" | "slice" | "map";

const twoTo63 = 2 ** 63;

/** Whether the API server decodes this number as an int64 (else float64). */
export function isInt64(value: number): boolean {
  return Number.isInteger(value) && value >= -twoTo63 && value < twoTo63;
}

export function goKind(value: JsonValue): GoKind {
  if (value === null) return "null";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return isInt64(value) ? "int64" : "float64";
  if (typeof value === "string") return "string";
  return Array.isArray(value) ? "slice" : "map";
}

export const isMap = (value: JsonValue | undefined): value is JsonObject => isPlainObject(value);

/** Go's int64(f) on amd64: truncation, and the "integer indefinite" value (MinInt64) when f does not fit. */
export function goFloatToInt64(value: number): bigint {
  if (!Number.isFinite(value) || value >= twoTo63 || value < -twoTo63) return -(2n ** 63n);
  return BigInt(Math.trunc(value));
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64): the shortest round-trip digits, never an exponent. */
export function formatFloatFixed(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, first, rest = "", exponentText] = match;
  const digits = first! + rest;
  const exponent = Number(exponentText);
  if (exponent >= rest.length) return sign + digits + "0".repeat(exponent - rest.length);
  if (exponent >= 0) return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
}

/** swag.IsFloat64AJSONInteger: whole within 2^53, with a relative tolerance of 1e-9 for positive numbers. */
export function isFloatAJsonInteger(value: number): boolean {
  const max = 2 ** 53 - 1;
  if (!Number.isFinite(value) || value < -max || value > max) return false;
  if (Number.isInteger(value)) return true;
  // Negative numbers: Go's uint64(f) wraps on amd64, so only whole numbers pass (handled above).
  if (value < 0) return false;
  const whole = Math.trunc(value);
  if (whole === 0) return false;
  return (value - whole) / Math.min(value + whole, Number.MAX_VALUE) < 1e-9;
}

/** JSON equality with Go's reflect.DeepEqual on decoded values (equal numbers always share a kind here). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/** json.Marshal with sorted keys: equal texts for equal values, which is how list-type=set compares compound items. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isMap(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The value as the API server receives it from JSON.stringify: undefined fields
 * dropped, undefined list items null, lone surrogates replaced by U+FFFD (Go's
 * decoder does the same). What JSON cannot carry faithfully (NaN, Infinity,
 * bigint, functions, class instances) is an issue instead of a silent change.
 */
export function toJsonValue(value: unknown, at: ValuePath, issues: ValueIssue[]): JsonValue | undefined {
  switch (typeof value) {
    case "undefined":
      return undefined;
    case "boolean":
      return value;
    case "string":
      return wellFormed(value);
    case "number":
      if (Number.isFinite(value)) return Object.is(value, -0) ? 0 : value;
      issues.push({ at, kind: "type", message: `must be a finite number, got ${String(value)}` });
      return undefined;
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) return value.map((item, i) => toJsonValue(item, [...at, i], issues) ?? null);
      if (!isPlainObject(value)) break;
      const out: JsonObject = {};
      for (const [key, item] of Object.entries(value)) {
        const converted = toJsonValue(item, [...at, key], issues);
        if (converted !== undefined) setOwn(out, wellFormed(key), converted);
      }
      return out;
    }
  }
  issues.push({ at, kind: "type", message: "is not a JSON value (use strings, numbers, booleans, lists and objects)" });
  return undefined;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** String.prototype.toWellFormed (ES2024, newer than this project's lib setting). */
export function wellFormed(text: string): string {
  return text.replace(loneSurrogate, "\uFFFD");
}
