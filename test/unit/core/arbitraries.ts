// fast-check arbitraries for valid Kubernetes labels and label selectors.
// Shared with the differential test against a real kube-apiserver, so every
// value generated here must be accepted by apimachinery's validation.
import fc from "fast-check";
import type { Labels } from "../../../src/labels/labels";
import type { LabelSelector, LabelSelectorRequirement } from "../../../src/labels/selectors";

const ALPHANUMERIC = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"];
const LOWER_ALPHANUMERIC = [..."abcdefghijklmnopqrstuvwxyz0123456789"];

function bracketed(ends: readonly string[], middle: readonly string[], maxLength: number): fc.Arbitrary<string> {
  const end = fc.constantFrom(...ends);
  return fc.oneof(
    end,
    fc
      .tuple(end, fc.string({ unit: fc.constantFrom(...middle), maxLength: maxLength - 2 }), end)
      .map(([first, inner, last]) => first + inner + last),
  );
}

/** The name part of a label key, and every non-empty label value: at most 63 characters. */
export const labelNameArb: fc.Arbitrary<string> = bracketed(ALPHANUMERIC, [...ALPHANUMERIC, "-", "_", "."], 63);

/** One DNS-1123 label: lowercase, at most 63 characters. */
const dnsLabelArb = bracketed(LOWER_ALPHANUMERIC, [...LOWER_ALPHANUMERIC, "-"], 63);

/** A DNS-1123 subdomain such as "app.example.com": at most 253 characters. */
export const dnsSubdomainArb: fc.Arbitrary<string> = fc
  .array(dnsLabelArb, { minLength: 1, maxLength: 5 })
  .map((labels) => labels.join("."))
  .filter((subdomain) => subdomain.length <= 253);

/** A label key, with or without a prefix: `tier`, `topology.kubernetes.io/zone`. */
export const labelKeyArb: fc.Arbitrary<string> = fc.oneof(
  labelNameArb,
  fc.tuple(dnsSubdomainArb, labelNameArb).map(([prefix, name]) => `${prefix}/${name}`),
);

/** A label value, possibly empty. */
export const labelValueArb: fc.Arbitrary<string> = fc.oneof(fc.constant(""), labelNameArb);

/**
 * Keys and values to draw labels and selectors from. The full arbitraries rarely
 * collide, so tests about matching pass a small vocabulary such as `fleetVocabulary`.
 */
export interface Vocabulary {
  keys: fc.Arbitrary<string>;
  values: fc.Arbitrary<string>;
}

export const anyVocabulary: Vocabulary = { keys: labelKeyArb, values: labelValueArb };

/** Few keys and values, so that labels and selectors often meet. */
export const fleetVocabulary: Vocabulary = {
  keys: fc.constantFrom("region", "zone", "tier", "gpu", "example.com/team"),
  values: fc.constantFrom("eu", "us", "ap", "prod", "true", ""),
};

export function labelsArb(vocabulary: Vocabulary = anyVocabulary, maxKeys = 5): fc.Arbitrary<Labels> {
  return fc.dictionary(vocabulary.keys, vocabulary.values, { maxKeys, noNullPrototype: true });
}

export function requirementArb(vocabulary: Vocabulary = anyVocabulary): fc.Arbitrary<LabelSelectorRequirement> {
  return fc.oneof(
    fc.record({
      key: vocabulary.keys,
      operator: fc.constantFrom("In" as const, "NotIn" as const),
      values: fc.uniqueArray(vocabulary.values, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({ key: vocabulary.keys, operator: fc.constantFrom("Exists" as const, "DoesNotExist" as const) }),
  );
}

/** A valid selector; either part may be absent, so the empty selector is generated too. */
export function selectorArb(vocabulary: Vocabulary = anyVocabulary): fc.Arbitrary<LabelSelector> {
  return fc.record(
    {
      matchLabels: fc.dictionary(vocabulary.keys, vocabulary.values, { maxKeys: 3, noNullPrototype: true }),
      matchExpressions: fc.array(requirementArb(vocabulary), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  );
}
