// Fields marked x-kubernetes-embedded-resource hold a Kubernetes object: the
// API server checks their apiVersion, kind and metadata like a top-level
// object's (pkg/apiserver/schema/objectmeta: coerce.go while decoding,
// validation.go before storing) and normalises metadata through ObjectMeta,
// which drops empty fields. Pledge covers the metadata a request can sensibly
// carry (name, generateName, namespace, labels, annotations, finalizers); the
// fields the server sets itself (uid, resourceVersion, ownerReferences, ...)
// are refused rather than checked half-way.
import { isDnsLabel, validateLabelKey, validateLabelValue } from "../labels/labels";
import type { ValueIssue, ValuePath } from "./issues";
import { describeValue } from "./issues";
import { isMap } from "./go-values";
import type { CrdSchema, JsonObject, JsonValue } from "./schema";
import { additionalSchema, isEmbeddedResource, propertySchema, setOwn } from "./schema";

const stringFields = ["name", "generateName", "namespace"];
const stringMapFields = ["labels", "annotations"];
const serverSetFields = new Set([
  "selfLink",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "ownerReferences",
  "managedFields",
]);

/** Walks the structure like objectmeta.Coerce does, calling `visit` on every embedded object. */
type Visit = (object: JsonObject, at: ValuePath) => void;

function forEachEmbedded(value: JsonValue, schema: CrdSchema | undefined, at: ValuePath, visit: Visit): void {
  if (!schema) return;
  if (isMap(value)) {
    if (isEmbeddedResource(schema)) visit(value, at);
    for (const key of Object.keys(value)) {
      const property = propertySchema(schema, key);
      if (property) forEachEmbedded(value[key]!, property, [...at, key], visit);
      else if (schema.additionalProperties !== undefined)
        forEachEmbedded(value[key]!, additionalSchema(schema), [...at, key], visit);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => forEachEmbedded(item, schema.items, [...at, i], visit));
  }
}

/** ObjectMeta after a JSON round trip: omitempty drops "", {} and []; a null field is an unset one. */
function normaliseMetadata(metadata: JsonValue, at: ValuePath, issues: ValueIssue[]): JsonObject | undefined {
  if (metadata === null) return {};
  if (!isMap(metadata)) {
    issues.push({ at, kind: "type", message: `must be an object, got ${describeValue(metadata)}` });
    return undefined;
  }
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(metadata)) {
    const where = [...at, key];
    if (item === null) continue;
    if (stringFields.includes(key)) {
      if (typeof item !== "string")
        issues.push({ at: where, kind: "type", message: `must be a string, got ${describeValue(item)}` });
      else if (item !== "") setOwn(out, key, item);
    } else if (stringMapFields.includes(key)) {
      const map = stringMap(item, where, issues);
      if (map && Object.keys(map).length > 0) setOwn(out, key, map);
    } else if (key === "finalizers") {
      if (!Array.isArray(item) || item.some((f) => f !== null && typeof f !== "string")) {
        issues.push({ at: where, kind: "type", message: `must be a list of strings, got ${describeValue(item)}` });
      } else if (item.length > 0)
        setOwn(
          out,
          key,
          item.map((f) => f ?? ""),
        );
    } else if (serverSetFields.has(key)) {
      const message = "is set by the API server; Pledge does not accept it in a request";
      issues.push({ at: where, kind: "value", message, hint: "remove it" });
    } else {
      issues.push({ at: where, kind: "unknown", message: "is not a known field", hint: "remove it or check its spelling" });
    }
  }
  return out;
}

function stringMap(value: JsonValue, at: ValuePath, issues: ValueIssue[]): JsonObject | undefined {
  if (!isMap(value)) {
    issues.push({ at, kind: "type", message: `must be an object of strings, got ${describeValue(value)}` });
    return undefined;
  }
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null && typeof item !== "string") {
      issues.push({ at: [...at, key], kind: "type", message: `must be a string, got ${describeValue(item)}` });
    } else setOwn(out, key, item ?? "");
  }
  return out;
}

/** Decoding: TypeMeta must be strings, metadata must decode as ObjectMeta; metadata is replaced by its normal form. */
export function coerceEmbeddedResources(value: JsonValue, schema: CrdSchema | undefined, issues: ValueIssue[]): void {
  forEachEmbedded(value, schema, [], (object, at) => {
    for (const key of ["apiVersion", "kind"]) {
      if (Object.hasOwn(object, key) && typeof object[key] !== "string") {
        issues.push({ at: [...at, key], kind: "type", message: `must be a string, got ${describeValue(object[key])}` });
      }
    }
    if (Object.hasOwn(object, "metadata")) {
      const metadata = normaliseMetadata(object.metadata!, [...at, "metadata"], issues);
      if (metadata) setOwn(object, "metadata", metadata);
    }
  });
}

/** schema.ParseGroupVersion: "v1", "group/version"; more than one "/" is not a group version. */
function groupVersionProblem(apiVersion: string): string | undefined {
  if (apiVersion === "/") return undefined;
  return apiVersion.split("/").length > 2 ? `unexpected GroupVersion string: ${apiVersion}` : undefined;
}

const dns1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function checkTypeMeta(object: JsonObject, at: ValuePath, issues: ValueIssue[]): void {
  for (const key of ["apiVersion", "kind"]) {
    if (!Object.hasOwn(object, key)) issues.push({ at: [...at, key], kind: "value", message: "is required (string)" });
  }
  const { apiVersion, kind } = object;
  if (typeof apiVersion === "string") {
    const problem = apiVersion === "" ? "must not be empty" : groupVersionProblem(apiVersion);
    if (problem) issues.push({ at: [...at, "apiVersion"], kind: "value", message: problem });
  }
  if (typeof kind === "string") {
    if (kind === "") issues.push({ at: [...at, "kind"], kind: "value", message: "must not be empty" });
    else if (kind.length > 63 || !dns1035.test(kind.toLowerCase())) {
      const message = `${describeValue(kind)} must be a letter followed by letters, digits and "-", at most 63`;
      issues.push({ at: [...at, "kind"], kind: "value", message });
    }
  }
}

function checkMetadata(metadata: JsonObject, at: ValuePath, issues: ValueIssue[]): void {
  const { name, generateName, namespace, labels, annotations, finalizers } = metadata;
  // ValidateObjectMeta with path-segment names ("fakename" stands in for a missing name).
  if (typeof name === "string" && (name === "." || name === ".." || /[/%]/.test(name))) {
    const message = `${describeValue(name)} may not be "." or ".." and may not contain "/" or "%"`;
    issues.push({ at: [...at, "name"], kind: "value", message });
  }
  if (typeof generateName === "string" && /[/%]/.test(generateName)) {
    issues.push({
      at: [...at, "generateName"],
      kind: "value",
      message: `${describeValue(generateName)} may not contain "/" or "%"`,
    });
  }
  if (typeof namespace === "string" && !isDnsLabel(namespace)) {
    const message = `${describeValue(namespace)} must be a DNS label (lowercase letters, digits and "-")`;
    issues.push({ at: [...at, "namespace"], kind: "value", message });
  }
  if (isMap(labels)) {
    for (const [key, item] of Object.entries(labels)) {
      const problem = validateLabelKey(key) ?? validateLabelValue(String(item));
      if (problem) issues.push({ at: [...at, "labels", key], kind: "value", message: problem });
    }
  }
  if (isMap(annotations)) {
    let size = 0;
    for (const [key, item] of Object.entries(annotations)) {
      size += Buffer.byteLength(key) + Buffer.byteLength(String(item));
      const problem = validateLabelKey(key.toLowerCase());
      if (problem)
        issues.push({ at: [...at, "annotations", key], kind: "value", message: problem.replace("label key", "annotation key") });
    }
    if (size > 256 * 1024) {
      issues.push({ at: [...at, "annotations"], kind: "value", message: `take ${size} bytes; at most 262144 are allowed` });
    }
  }
  if (Array.isArray(finalizers)) {
    finalizers.forEach((finalizer, i) => {
      const problem = validateLabelKey(String(finalizer));
      if (problem)
        issues.push({ at: [...at, "finalizers", i], kind: "value", message: problem.replace("label key", "finalizer") });
    });
    if (finalizers.includes("orphan") && finalizers.includes("foregroundDeletion")) {
      issues.push({ at: [...at, "finalizers"], kind: "value", message: "may not hold both orphan and foregroundDeletion" });
    }
  }
}

/** Validation: apiVersion and kind are required and well-formed, metadata is valid ObjectMeta. */
export function validateEmbeddedResources(value: JsonValue, schema: CrdSchema | undefined, issues: ValueIssue[]): void {
  forEachEmbedded(value, schema, [], (object, at) => {
    checkTypeMeta(object, at, issues);
    if (isMap(object.metadata)) checkMetadata(object.metadata, [...at, "metadata"], issues);
  });
}
