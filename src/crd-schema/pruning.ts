// What the API server does to a custom resource while decoding it, before any
// validation: drop fields the schema does not know (pkg/apiserver/schema/pruning),
// then drop nulls of fields that are neither nullable nor defaulted
// (defaulting/prunenulls.go). With fieldValidation=Strict, which Pledge uses, every
// dropped field is an error instead of a silent loss. Both walks mutate the value
// they are given (always Pledge's own copy).
import type { ValuePath } from "./issues";
import { isMap } from "./go-values";
import type { CrdSchema, JsonValue } from "./schema";
import { additionalSchema, fieldSchema, isEmbeddedResource, isPreserveUnknown, propertySchema } from "./schema";

/** TypeMeta and ObjectMeta of an embedded resource are never pruned by the schema; objectmeta coercion handles them. */
const metaFields = new Set(["apiVersion", "kind", "metadata"]);

/** Removes unknown fields and returns their paths (pruning.PruneWithOptions below the resource root). */
export function pruneUnknownFields(value: JsonValue, schema: CrdSchema | undefined, at: ValuePath = []): ValuePath[] {
  const unknown: ValuePath[] = [];
  prune(value, schema, at, unknown);
  return unknown;
}

function prune(value: JsonValue, schema: CrdSchema | undefined, at: ValuePath, unknown: ValuePath[]): void {
  if (isPreserveUnknown(schema)) {
    keepUnknown(value, schema!, at, unknown);
    return;
  }
  if (isMap(value)) {
    for (const key of Object.keys(value)) {
      if (schema && isEmbeddedResource(schema) && metaFields.has(key)) continue;
      const property = propertySchema(schema, key);
      if (property) prune(value[key]!, property, [...at, key], unknown);
      // additionalProperties: true or false keeps the key but knows nothing below it.
      else if (schema?.additionalProperties !== undefined) prune(value[key]!, additionalSchema(schema), [...at, key], unknown);
      else {
        unknown.push([...at, key]);
        delete value[key];
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => prune(item, schema?.items, [...at, i], unknown));
  }
}

/** skipPrune: under x-kubernetes-preserve-unknown-fields, only what the schema names is pruned, and list items inherit it. */
function keepUnknown(value: JsonValue, schema: CrdSchema | undefined, at: ValuePath, unknown: ValuePath[]): void {
  if (!schema) return;
  if (isMap(value)) {
    for (const key of Object.keys(value)) {
      if (isEmbeddedResource(schema) && metaFields.has(key)) continue;
      const property = propertySchema(schema, key);
      if (property) prune(value[key]!, property, [...at, key], unknown);
      else if (schema.additionalProperties !== undefined) prune(value[key]!, additionalSchema(schema), [...at, key], unknown);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => keepUnknown(item, schema.items, [...at, i], unknown));
  }
}

export const hasDefault = (schema: CrdSchema | undefined) => schema?.default !== undefined && schema.default !== null;

/** PruneNonNullableNullsWithoutDefaults: `field: null` means "not set" unless the field is nullable or has a default. */
export function pruneNulls(value: JsonValue, schema: CrdSchema | undefined): void {
  if (isMap(value)) {
    for (const key of Object.keys(value)) {
      const field = fieldSchema(schema, key);
      if (value[key] === null && field && field.nullable !== true && !hasDefault(field)) delete value[key];
      else pruneNulls(value[key]!, field);
    }
  } else if (Array.isArray(value)) {
    for (const item of value) pruneNulls(item, schema?.items);
  }
}
