// Defaults as the API server applies them (pkg/apiserver/schema/defaulting/algorithm.go):
// top-down in one pass, so a defaulted object gets its own fields' defaults too;
// only where the parent exists (a missing object is not invented to hold a
// default); a null replaces like a missing field unless the field is nullable;
// inside lists and maps, null items take the items' (or values') default. Each
// default is first pruned by its own schema, as the server does when it loads the CRD.
import { isMap } from "./go-values";
import { hasDefault, pruneUnknownFields } from "./pruning";
import type { CrdSchema, JsonValue } from "./schema";
import { additionalSchema, deepCopy, propertySchema, setOwn } from "./schema";

const prunedDefaults = new WeakMap<CrdSchema, JsonValue>();

/** The default of a schema as the server stores it: deep-copied and pruned (defaulting/prune.go). */
function defaultOf(schema: CrdSchema): JsonValue {
  let pruned = prunedDefaults.get(schema);
  if (pruned === undefined) {
    pruned = deepCopy(schema.default ?? null);
    pruneUnknownFields(pruned, schema);
    prunedDefaults.set(schema, pruned);
  }
  return deepCopy(pruned);
}

const isNonNullableNull = (value: JsonValue | undefined, schema: CrdSchema | undefined) =>
  value === null && schema !== undefined && schema.nullable !== true;

/** Applies defaults to `value` in place (structuraldefaulting.Default). */
export function applyDefaults(value: JsonValue, schema: CrdSchema | undefined): void {
  if (!schema) return;
  if (isMap(value)) {
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      if (!hasDefault(property)) continue;
      if (!Object.hasOwn(value, key) || isNonNullableNull(value[key], property)) setOwn(value, key, defaultOf(property));
    }
    const additional = additionalSchema(schema);
    for (const key of Object.keys(value)) {
      const property = propertySchema(schema, key);
      if (property) {
        applyDefaults(value[key]!, property);
      } else if (schema.additionalProperties !== undefined) {
        // Without a default this writes null back: the value stays null and validation decides.
        if (isNonNullableNull(value[key], additional)) setOwn(value, key, hasDefault(additional) ? defaultOf(additional!) : null);
        applyDefaults(value[key]!, additional);
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (isNonNullableNull(item, schema.items)) value[i] = hasDefault(schema.items) ? defaultOf(schema.items!) : null;
      applyDefaults(value[i]!, schema.items);
    });
  }
}

/** The default of the spec itself when the request has no spec (the spec is a property of the resource root). */
export function rootDefault(schema: CrdSchema, value: JsonValue | undefined): JsonValue | undefined {
  if ((value === undefined || isNonNullableNull(value, schema)) && hasDefault(schema)) return defaultOf(schema);
  return value;
}
