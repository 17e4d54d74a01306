// The JSON Schema of a team's request file (requests/<team>.yaml), generated
// from the request file's own schema and each promise's spec schema: an editor
// with the YAML language server completes promise names and spec fields and
// flags mistakes as the team types. Pure.
import { z } from "zod";
import { requestFileSchema } from "../config/schema";
import { compareText } from "../labels/ordering";

interface SchemaSource {
  name: string;
  version: string;
  description: string;
  jsonSchema(): Record<string, unknown>;
}

type JsonObject = Record<string, unknown>;

const withoutDialect = ({ $schema: _dialect, ...rest }: JsonObject): JsonObject => rest;

/** Rewrites a promise schema's own references (`#`, `#/$defs/X`) to where it lives in the file's $defs. */
function rebase(value: unknown, name: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rebase(v, name));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if (key !== "$ref" || typeof v !== "string") return [key, rebase(v, name)];
      if (v === "#") return [key, `#/$defs/${name}`];
      return [key, v.replace(/^#\/\$defs\//, `#/$defs/${name}.`)];
    }),
  );
}

/** Each promise's spec schema under $defs[<promise>], its own $defs beside it as <promise>.<def>, references rebased. */
function specDefinitions(promises: readonly SchemaSource[]): JsonObject {
  const defs: JsonObject = {};
  for (const p of promises) {
    const { $defs: own, ...schema } = withoutDialect(p.jsonSchema()) as JsonObject & { $defs?: JsonObject };
    defs[p.name] = { ...(rebase(schema, p.name) as JsonObject), description: `${p.name} ${p.version}: ${p.description}` };
    for (const [key, def] of Object.entries(own ?? {})) defs[`${p.name}.${key}`] = rebase(def, p.name);
  }
  return defs;
}

export function requestFileJsonSchema(promises: readonly SchemaSource[]): JsonObject {
  const file = z.toJSONSchema(requestFileSchema, { io: "input" }) as JsonObject;
  const properties = file.properties as { requests: { items: JsonObject } };
  const request = properties.requests.items;
  const sorted = [...promises].sort((a, b) => compareText(a.name, b.name));
  const items: JsonObject = {
    ...request,
    properties: {
      ...(request.properties as JsonObject),
      promise: {
        type: "string",
        enum: sorted.map((p) => p.name),
        description: "the service asked for: one of the platform's promises (pledge promises lists them)",
      },
    },
    // The spec is checked against the schema of the promise the request names.
    allOf: sorted.map((p) => ({
      if: { properties: { promise: { const: p.name } }, required: ["promise"] },
      then: { properties: { spec: { $ref: `#/$defs/${p.name}` } } },
    })),
  };
  return {
    ...file,
    $id: "pledge:request-file",
    title: "Pledge request file",
    description: "A team's requests (requests/<team>.yaml); the team is the file name unless team: says otherwise",
    properties: { ...(file.properties as JsonObject), requests: { ...properties.requests, items } },
    $defs: specDefinitions(sorted),
  };
}
