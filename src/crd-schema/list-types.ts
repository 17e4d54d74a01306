// Uniqueness the API server enforces for x-kubernetes-list-type: set (whole
// items) and map (the x-kubernetes-list-map-keys of each item), from
// pkg/apiserver/schema/listtype/validation.go. Like the server, each repeated
// value is reported once, at its second appearance.
import type { ValueIssue, ValuePath } from "./issues";
import { describeValue } from "./issues";
import { canonicalJson, goKind, isMap } from "./go-values";
import type { CrdSchema, JsonValue } from "./schema";
import { additionalSchema, propertySchema } from "./schema";

/** Go map keys: scalars compare by kind and value, compound items by their JSON text. */
function identity(value: JsonValue | undefined): string {
  if (value === undefined) return "unspecified";
  const kind = goKind(value);
  return kind === "map" || kind === "slice" ? `json:${canonicalJson(value)}` : `${kind}:${JSON.stringify(value)}`;
}

/** Index of each second appearance, with the index of the first. */
function repeats(keys: readonly string[]): [number, number][] {
  const first = new Map<string, number>();
  const reported = new Set<string>();
  const out: [number, number][] = [];
  keys.forEach((key, i) => {
    if (!first.has(key)) first.set(key, i);
    else if (!reported.has(key)) {
      reported.add(key);
      out.push([i, first.get(key)!]);
    }
  });
  return out;
}

/** One key field: its value (undefined when absent or the item is null). Several: the object of those present. */
function keyOf(item: JsonValue, keyFields: readonly string[]): JsonValue | undefined {
  const present = keyFields.filter((field) => isMap(item) && Object.hasOwn(item, field));
  if (keyFields.length === 1) return present.length === 1 ? (item as Record<string, JsonValue>)[keyFields[0]!] : undefined;
  return Object.fromEntries(present.map((field) => [field, (item as Record<string, JsonValue>)[field]!]));
}

function describeKey(item: JsonValue, keyFields: readonly string[]): string {
  if (!isMap(item)) return "no key";
  const parts = keyFields.filter((field) => Object.hasOwn(item, field)).map((field) => `${field}: ${describeValue(item[field])}`);
  return parts.length > 0 ? parts.join(", ") : "no key";
}

function checkList(list: JsonValue[], schema: CrdSchema, at: ValuePath, issues: ValueIssue[]): void {
  const listType = schema["x-kubernetes-list-type"];
  if (listType === "set") {
    for (const [i, earlier] of repeats(list.map(identity))) {
      issues.push({ at: [...at, i], kind: "value", message: `repeats item [${earlier}]; the items of this list must be unique` });
    }
  } else if (listType === "map") {
    const keyFields = schema["x-kubernetes-list-map-keys"] ?? [];
    const keyed = keyFields.join(", ");
    const notObject = list.findIndex((item) => item !== null && !isMap(item));
    if (notObject >= 0) {
      issues.push({ at: [...at, notObject], kind: "value", message: `must be an object: the list is keyed by ${keyed}` });
    } else {
      const keys = list.map((item) => identity(keyOf(item, keyFields)));
      for (const [i, earlier] of repeats(keys)) {
        issues.push({
          at: [...at, i],
          kind: "value",
          message: `has the same key as item [${earlier}] (${describeKey(list[i]!, keyFields)}); the list is keyed by ${keyed}`,
        });
      }
    }
  }
  if (schema.items) list.forEach((item, i) => walk(item, schema.items!, [...at, i], issues));
}

function walk(value: JsonValue, schema: CrdSchema, at: ValuePath, issues: ValueIssue[]): void {
  if (Array.isArray(value)) checkList(value, schema, at, issues);
  else if (isMap(value)) {
    const additional = additionalSchema(schema);
    for (const [key, item] of Object.entries(value)) {
      const property = propertySchema(schema, key) ?? additional;
      if (property) walk(item, property, [...at, key], issues);
    }
  }
}

/** Duplicate items of set lists and duplicate keys of map lists anywhere in the value (ValidateListSetsAndMaps). */
export function validateListTypes(value: JsonValue, schema: CrdSchema, issues: ValueIssue[]): void {
  walk(value, schema, [], issues);
}
