// The OpenAPI v3 schema of a CustomResourceDefinition (apiextensions.k8s.io/v1
// JSONSchemaProps), as far as a structural schema may use it, and the small
// reads every other module in src/crd-schema needs. Keywords the API server forbids
// in CRDs ($ref, patternProperties, dependencies, additionalItems, items as a
// list) are not modelled: storageSpecSchema reports them.

/** A JSON value as it travels to the API server. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** One x-kubernetes-validations entry: a CEL rule the API server evaluates, Pledge does not. */
export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export type SchemaType = "object" | "array" | "string" | "integer" | "number" | "boolean";

export interface CrdSchema {
  type?: SchemaType;
  description?: string;
  title?: string;
  default?: JsonValue;
  example?: JsonValue;
  nullable?: boolean;
  format?: string;
  enum?: JsonValue[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  required?: string[];
  properties?: Record<string, CrdSchema>;
  additionalProperties?: boolean | CrdSchema;
  items?: CrdSchema;
  allOf?: CrdSchema[];
  anyOf?: CrdSchema[];
  oneOf?: CrdSchema[];
  not?: CrdSchema;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: "granular" | "atomic";
  "x-kubernetes-validations"?: CelRule[];
}

/** Own properties only: a field called "constructor" or "__proto__" is a field like any other. */
export function ownValue<T>(object: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Sets an own property even for "__proto__", which plain assignment would treat as the prototype. */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

export function propertySchema(schema: CrdSchema | undefined, key: string): CrdSchema | undefined {
  return ownValue(schema?.properties, key);
}

/** The schema of additionalProperties when it is one (`true` and `false` have none). */
export function additionalSchema(schema: CrdSchema | undefined): CrdSchema | undefined {
  const additional = schema?.additionalProperties;
  return typeof additional === "object" ? additional : undefined;
}

/** The structural schema of a field: its property, else additionalProperties (pkg/apiserver/schema/defaulting/prunenulls.go). */
export function fieldSchema(schema: CrdSchema | undefined, key: string): CrdSchema | undefined {
  return propertySchema(schema, key) ?? additionalSchema(schema);
}

export const isPreserveUnknown = (schema: CrdSchema | undefined) => schema?.["x-kubernetes-preserve-unknown-fields"] === true;
export const isIntOrString = (schema: CrdSchema | undefined) => schema?.["x-kubernetes-int-or-string"] === true;
export const isEmbeddedResource = (schema: CrdSchema | undefined) => schema?.["x-kubernetes-embedded-resource"] === true;

/** The value types a schema admits, as kube-openapi sees them: int-or-string is both. */
export function schemaTypes(schema: CrdSchema): readonly string[] {
  if (isIntOrString(schema)) return ["integer", "string"];
  return schema.type ? [schema.type] : [];
}

/** "integer or string", "string", or undefined when any type goes. */
export function describeSchemaType(schema: CrdSchema): string | undefined {
  const types = schemaTypes(schema);
  return types.length === 0 ? undefined : types.join(" or ");
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export function deepCopy<T extends JsonValue | undefined>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => deepCopy(item)) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setOwn(out, key, deepCopy(item as JsonValue));
    return out as T;
  }
  return value;
}
