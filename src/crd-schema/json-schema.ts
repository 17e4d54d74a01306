// A JSON Schema (draft 2020-12) of a request's spec, for editors: the CRD's
// OpenAPI v3 dialect rewritten where JSON Schema says the same thing
// differently (nullable, int-or-string, boolean exclusive bounds), with
// additionalProperties: false wherever the API server would refuse an unknown
// field. Some server rules have no JSON Schema form (CEL, list-map keys, the
// number quirks in numbers.ts); editors then accept a little more than the server.
import { effectiveFormat } from "./formats";
import { portablePattern } from "./go-regexp";
import type { CrdSchema, JsonObject, JsonValue } from "./schema";
import { deepCopy, isEmbeddedResource, isIntOrString, isPreserveUnknown, schemaTypes, setOwn } from "./schema";

/** Formats JSON Schema names the same way; other formats (Go durations, k8s names, ...) would mislead an editor. */
const jsonSchemaFormats: Record<string, string> = {
  datetime: "date-time",
  date: "date",
  email: "email",
  hostname: "hostname",
  ipv4: "ipv4",
  ipv6: "ipv6",
  uri: "uri",
  uuid: "uuid",
};

function typeOf(schema: CrdSchema): JsonValue | undefined {
  const types: string[] = [...schemaTypes(schema)];
  if (types.length === 0) return undefined;
  if (schema.nullable) types.push("null");
  return types.length === 1 ? types[0]! : types;
}

/**
 * `inheritedPreserve`: a list item under x-kubernetes-preserve-unknown-fields keeps unknown fields too (pruning's skipPrune).
 * `inJunctor`: inside allOf/anyOf/oneOf/not only value checks apply; unknown fields are the structural schema's business.
 */
function convert(schema: CrdSchema, inheritedPreserve: boolean, inJunctor = false): JsonObject {
  const out: JsonObject = {};
  const put = (key: string, value: JsonValue | undefined) => {
    if (value !== undefined) setOwn(out, key, value);
  };
  put("type", typeOf(schema));
  put("title", schema.title);
  put("description", schema.description);
  put("default", schema.default === undefined ? undefined : deepCopy(schema.default));
  put("examples", schema.example === undefined ? undefined : [deepCopy(schema.example)]);
  put(
    "enum",
    schema.enum?.map((member) => deepCopy(member)),
  );
  const format = effectiveFormat(schema.format, schemaTypes(schema));
  put("format", format ? jsonSchemaFormats[format.replaceAll("-", "")] : undefined);
  if (schema.pattern) {
    const pattern = portablePattern(schema.pattern);
    if (pattern !== undefined) put("pattern", pattern);
    else put("$comment", `the API server also checks the Go pattern ${schema.pattern}`);
  }
  const sameInBoth = [
    ...(["minLength", "maxLength", "minItems", "maxItems"] as const),
    ...(["minProperties", "maxProperties", "multipleOf", "uniqueItems"] as const),
  ];
  for (const key of sameInBoth) put(key, schema[key]);
  if (schema.minimum !== undefined) put(schema.exclusiveMinimum ? "exclusiveMinimum" : "minimum", schema.minimum);
  if (schema.maximum !== undefined) put(schema.exclusiveMaximum ? "exclusiveMaximum" : "maximum", schema.maximum);
  if (schema["x-kubernetes-list-type"] === "set") put("uniqueItems", true);

  const preserve = isPreserveUnknown(schema) || inheritedPreserve;
  const properties: JsonObject = {};
  for (const [key, property] of Object.entries(schema.properties ?? {}))
    setOwn(properties, key, convert(property, false, inJunctor));
  const required = [...(schema.required ?? [])];
  if (isEmbeddedResource(schema)) {
    for (const key of ["apiVersion", "kind"]) {
      if (!Object.hasOwn(properties, key)) setOwn(properties, key, { type: "string" });
      if (!required.includes(key)) required.push(key);
    }
    if (!Object.hasOwn(properties, "metadata")) setOwn(properties, "metadata", { type: "object" });
  }
  if (Object.keys(properties).length > 0) put("properties", properties);
  if (required.length > 0) put("required", required);
  const additional = schema.additionalProperties;
  const closed = !preserve && !inJunctor && (schema.type === "object" || schema.properties !== undefined);
  if (typeof additional === "object") put("additionalProperties", convert(additional, false, inJunctor));
  else if (additional === false || (additional === undefined && closed)) put("additionalProperties", false);
  if (schema.items) put("items", convert(schema.items, preserve, inJunctor));
  for (const key of ["allOf", "anyOf", "oneOf"] as const) {
    // The int-or-string anyOf only restates the type.
    if (key === "anyOf" && isIntOrString(schema)) continue;
    put(
      key,
      schema[key]?.map((part) => convert(part, preserve, true)),
    );
  }
  if (schema.not) put("not", convert(schema.not, preserve, true));
  const rules = schema["x-kubernetes-validations"];
  if (rules && rules.length > 0) {
    const comment = `the API server also checks: ${rules.map((rule) => rule.rule).join("; ")}`;
    put("$comment", out.$comment ? `${String(out.$comment)}; ${comment}` : comment);
  }
  return out;
}

/** A JSON Schema document for the spec of a request. */
export function specJsonSchema(schema: CrdSchema): JsonObject {
  return { $schema: "https://json-schema.org/draft/2020-12/schema", ...convert(schema, false) };
}
