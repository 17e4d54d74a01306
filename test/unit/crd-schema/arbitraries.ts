// fast-check arbitraries for request specs, driven by a CRD schema: values that
// are mostly right, with a few mistakes a person makes (a wrong type, a bound
// crossed, a typo in a field name, a missing required field, a null, a bad enum
// value, a repeated list key). Shared with the differential test against a real
// kube-apiserver (test/e2e/kratix-schema.test.ts), where the server, not this
// file, decides what is valid: the generator only has to be rich.
import fc from "fast-check";
import type { CrdSchema, JsonValue } from "../../../src/crd-schema/crd-schema";

/**
 * Strings worth trying for a field, by schema path (spec.name, spec.ports[].name) or format: `likely` ones are
 * drawn four times as often as `unlikely` ones. Which are valid is the server's call; the split only keeps a
 * good share of requests valid. Fields without a pool get free text.
 */
export type SamplePools = Readonly<Record<string, { likely: readonly string[]; unlikely?: readonly string[] }>>;

export const formatSamples: SamplePools = {
  date: { likely: ["2024-02-29", "0000-01-01"], unlikely: ["2023-02-29", "2024-13-01", "2024-1-01", "2024-04-31"] },
  "date-time": {
    likely: ["2024-01-01T10:00:00Z", "2024-01-01t23:59:59.5+02:00", "2024-01-01T10:00:00Zt"],
    unlikely: ["2024-01-01T24:00:00Z", "2024-01-01 10:00:00Z", "2024-01-01T10:00Z"],
  },
  duration: {
    likely: ["1h30m", "-1.5s", "3 days", "1\u00b5s", "2 fortnights"],
    unlikely: ["5", "xyz", ".m", "9223372036854775808ns"],
  },
  ipv4: { likely: ["10.0.0.1", "010.0.0.1", "::ffff:1.2.3.4"], unlikely: ["256.1.1.1", "1.2.3", "1.2.3.4 "] },
  ipv6: {
    likely: ["::1", "2001:db8::8a2e:370:7334", "::ffff:1.2.3.4"],
    unlikely: ["fe80::1%eth0", "1.2.3.4", "::ffff:01.2.3.4", "12345::", "1:2:3:4:5:6:7:8:9"],
  },
  cidr: { likely: ["10.0.0.0/8", "::/0", "010.0.0.0/08"], unlikely: ["10.0.0.0/33", "10.0.0.0"] },
  uuid: {
    likely: ["123e4567-e89b-12d3-a456-426614174000", "123E4567E89B12D3A456426614174000"],
    unlikely: ["123e4567-e89b-12d3-a456", "g23e4567-e89b-12d3-a456-426614174000"],
  },
  hostname: {
    likely: ["example.com", "a", "xn--bcher-kva.example", "b\u00fccher.de"],
    unlikely: ["-bad.com", "exa_mple.com", "a.b"],
  },
  mac: {
    likely: ["01:23:45:67:89:ab", "01-23-45-67-89-ab", "0123.4567.89ab"],
    unlikely: ["01:23:45:67:89", "01:23-45:67:89:ab"],
  },
  "k8s-short-name": { likely: ["web", "web-1"], unlikely: ["Web", "-web", "a".repeat(64)] },
  hexcolor: { likely: ["#fff", "ffffff"], unlikely: ["#ffff", "#GGG"] },
  byte: { likely: ["aGVsbG8=", "aGVsbG8h"], unlikely: ["aGVsbG8", "", "####"] },
  email: { likely: ["a@example.com", "Alice <alice@example.com>"], unlikely: ["not-an-email", "a@b", "<a@b.c"] },
};

const textArb = fc.oneof(
  fc.constantFrom("", "a", "ab", "web-1", "Web", "x y", "日本語", "😀😀😀", "é", "a\nb", "a\rb", "1", "true"),
  fc.string({ unit: fc.constantFrom(..."abz09-_. A\u00e9\u65e5\ud83d\ude00"), maxLength: 8 }),
);

const scalarArb: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constantFrom<JsonValue>(null, true, false, 0, 1, -1, 1.5, "", "x", "10"),
  fc.integer({ min: -1000, max: 1000 }),
  fc.string({ maxLength: 4 }),
);

/** Any small JSON value, for untyped and preserve-unknown-fields places. */
export const jsonArb: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalarArb,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "b", "level", "nested"), tie("value"), { maxKeys: 3 }),
  ),
})).value;

export interface SpecArbOptions {
  /** Chance that one node is deliberately wrong; the rest of the value stays plausible. */
  mistakeRate: number;
  pools?: SamplePools;
}

function numbersAround(schema: CrdSchema, integer: boolean): fc.Arbitrary<number> {
  const edges = [0, 1, -1, 2, 3, 7, 100];
  for (const bound of [schema.minimum, schema.maximum]) {
    if (bound !== undefined) edges.push(bound, bound - 1, bound + 1, bound - 0.5, bound + 0.5);
  }
  if (schema.multipleOf !== undefined) edges.push(schema.multipleOf, schema.multipleOf * 2, schema.multipleOf * 3 + 1);
  const usable = integer ? edges.filter(Number.isInteger) : edges;
  const lo = schema.minimum ?? -50;
  const hi = schema.maximum ?? 50;
  const within = integer
    ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
    : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
  const multiples = schema.multipleOf ? fc.integer({ min: 1, max: 5 }).map((n) => n * schema.multipleOf!) : within;
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...usable) },
    { weight: 2, arbitrary: within },
    { weight: 2, arbitrary: multiples },
  );
}

function stringsFor(schema: CrdSchema, path: string, pools: SamplePools): fc.Arbitrary<string> {
  const pool = pools[path] ?? (schema.format ? formatSamples[schema.format] : undefined);
  const lengths = [schema.minLength, schema.maxLength].filter((n): n is number => n !== undefined);
  const sized = lengths.flatMap((n) => [Math.max(0, n - 1), n, n + 1]).map((n) => "abcdefghijklmnop".slice(0, n));
  if (pool) {
    const unlikely = [...(pool.unlikely ?? [])];
    return fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...pool.likely) },
      { weight: unlikely.length > 0 ? 2 : 0, arbitrary: unlikely.length > 0 ? fc.constantFrom(...unlikely) : textArb },
      { weight: 1, arbitrary: textArb },
    );
  }
  return sized.length > 0 ? fc.oneof(fc.constantFrom(...sized), textArb) : textArb;
}

/** A value of the wrong kind for the schema, or an out-of-place null. */
function mistakeFor(schema: CrdSchema): fc.Arbitrary<JsonValue> {
  const wrong: JsonValue[] = [null, "oops", 12, 2.5, true, [], {}];
  if (schema.enum) wrong.push("not-in-enum");
  if (schema.maximum !== undefined) wrong.push(schema.maximum + 1);
  if (schema.minimum !== undefined) wrong.push(schema.minimum - 1);
  if (schema.maxLength !== undefined) wrong.push("x".repeat(schema.maxLength + 1));
  return fc.constantFrom(...wrong);
}

function enumMembers(schema: CrdSchema): JsonValue[] {
  return (schema.enum ?? []).filter((member) => member !== null);
}

function keysFor(schema: CrdSchema): fc.Arbitrary<string> {
  return fc.constantFrom("a", "b", "c", "zone-1", "x.y");
}

/** The generator: `path` is the schema path (spec.database.engine), used to find sample pools. */
export function valueArb(schema: CrdSchema, path: string, options: SpecArbOptions): fc.Arbitrary<JsonValue> {
  const pools = options.pools ?? {};
  const plausible = plausibleArb(schema, path, options, pools);
  if (options.mistakeRate <= 0) return plausible;
  const weightWrong = Math.max(1, Math.round(options.mistakeRate * 1000));
  return fc.oneof({ weight: 1000 - weightWrong, arbitrary: plausible }, { weight: weightWrong, arbitrary: mistakeFor(schema) });
}

function plausibleArb(schema: CrdSchema, path: string, options: SpecArbOptions, pools: SamplePools): fc.Arbitrary<JsonValue> {
  const members = enumMembers(schema);
  if (members.length > 0) return fc.constantFrom(...members);
  if (schema["x-kubernetes-int-or-string"]) {
    return fc.oneof(numbersAround(schema, true), stringsFor(schema, path, pools), fc.constantFrom("10Mi", "2Gi", "5", "50%"));
  }
  if (schema["x-kubernetes-embedded-resource"]) return embeddedArb();
  switch (schema.type) {
    case "string":
      return stringsFor(schema, path, pools);
    case "integer":
      return numbersAround(schema, true);
    case "number":
      return numbersAround(schema, false);
    case "boolean":
      return fc.boolean();
    case "array":
      return listArb(schema, path, options);
    case "object":
      return objectArb(schema, path, options);
    default:
      return jsonArb;
  }
}

function listArb(schema: CrdSchema, path: string, options: SpecArbOptions): fc.Arbitrary<JsonValue> {
  const item = schema.items ? valueArb(schema.items, `${path}[]`, options) : jsonArb;
  const maxLength = Math.min(4, (schema.maxItems ?? 3) + 1);
  const minLength = Math.max(0, (schema.minItems ?? 0) - 1);
  return fc.array(item, { minLength, maxLength });
}

function objectArb(schema: CrdSchema, path: string, options: SpecArbOptions): fc.Arbitrary<JsonValue> {
  const required = new Set(schema.required ?? []);
  const properties = Object.entries(schema.properties ?? {});
  // About three optional fields per object: enough to combine, few enough that most requests stay valid.
  const optionalPresence = Math.min(0.6, Math.max(0.12, 3 / Math.max(1, properties.length - required.size)));
  const entries: fc.Arbitrary<[string, JsonValue] | undefined>[] = properties.map(([key, property]) => {
    const value = valueArb(property, `${path}.${key}`, options);
    const presence = required.has(key) ? 0.96 : optionalPresence;
    return fc.oneof(
      { weight: Math.round(presence * 100), arbitrary: value.map((v): [string, JsonValue] => [key, v]) },
      { weight: Math.round((1 - presence) * 100), arbitrary: fc.constant(undefined) },
    );
  });
  const additional = schema.additionalProperties;
  const extras =
    typeof additional === "object"
      ? fc.dictionary(keysFor(schema), valueArb(additional, `${path}[]`, options), { maxKeys: 4 })
      : schema["x-kubernetes-preserve-unknown-fields"]
        ? fc.dictionary(fc.constantFrom("extra", "other"), jsonArb, { maxKeys: 2 })
        : fc.constant({});
  const typoWeight = Math.max(1, Math.round(options.mistakeRate * 100));
  const typo = fc.oneof(
    { weight: 100 - typoWeight, arbitrary: fc.constant(undefined) },
    { weight: typoWeight, arbitrary: fc.constantFrom("bogus", "Size", "metadata", "nam") },
  );
  return fc.tuple(fc.tuple(...entries), extras, typo).map(([fields, more, misspelt]) => {
    const out: Record<string, JsonValue> = {};
    for (const [key, value] of Object.entries(more)) {
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    for (const field of fields) if (field) out[field[0]] = field[1];
    if (misspelt) out[misspelt] = "x";
    return out;
  });
}

function embeddedArb(): fc.Arbitrary<JsonValue> {
  return fc.record(
    {
      apiVersion: fc.constantFrom("v1", "apps/v1", "a/b/c", "", 1),
      kind: fc.constantFrom("ConfigMap", "config-map", "9Lives", ""),
      metadata: fc.oneof(
        fc.constant(null),
        fc.record(
          {
            name: fc.constantFrom("web", "", "a/b", "..", "Web"),
            namespace: fc.constantFrom("default", "Bad_NS", ""),
            labels: fc.dictionary(fc.constantFrom("app", "example.com/tier", "bad key"), fc.constantFrom("web", "", "-x"), {
              maxKeys: 2,
            }),
            annotations: fc.dictionary(fc.constantFrom("note", "Example.com/Note"), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
            unknownMeta: fc.constant("x"),
          },
          { requiredKeys: [] },
        ),
      ),
      data: fc.dictionary(fc.constantFrom("k", "v"), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
    },
    { requiredKeys: [] },
  );
}

/** A request spec: usually an object, sometimes absent (undefined) or null, which exercises the spec's own default. */
export function specArb(schema: CrdSchema, options: SpecArbOptions): fc.Arbitrary<JsonValue | undefined> {
  return fc.oneof(
    { weight: 30, arbitrary: valueArb(schema, "spec", options) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null) },
  );
}
