import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { labelValue, validateLabelKey, validateLabelValue } from "../../../src/labels/labels";
import { labelKeyArb, labelValueArb } from "../core/arbitraries";

const name63 = "a".repeat(63);
const prefix253 = `${"a".repeat(63)}.${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(61)}`;

describe("validateLabelKey", () => {
  const valid = [
    "a",
    "Z",
    "9",
    "region",
    "Tier_2",
    "a-b_c.d",
    "a.b",
    name63,
    "example.com/team",
    "app.kubernetes.io/name",
    "topology.kubernetes.io/zone",
    "a/b",
    "1-2.x/Y",
    `${prefix253}/a`,
    `example.com/${name63}`,
    "constructor",
  ];
  for (const key of valid) {
    it(`accepts ${JSON.stringify(key.length > 40 ? `${key.slice(0, 20)}…(${key.length})` : key)}`, () => {
      assert.equal(validateLabelKey(key), undefined);
    });
  }

  const invalid: [key: string, mentions: string][] = [
    ["", "empty name"],
    ["-a", "start and end"],
    ["a-", "start and end"],
    ["_a", "start and end"],
    ["a.", "start and end"],
    ["a b", "only letters"],
    ["a@b", "only letters"],
    ["zoné", "only letters"],
    ["a".repeat(64), "at most 63"],
    ["/a", "empty prefix"],
    ["a/", "empty name"],
    ["a/b/c", "at most one"],
    ["Example.com/a", "lowercase DNS subdomain"],
    ["exa_mple.com/a", "lowercase DNS subdomain"],
    ["-example.com/a", "lowercase DNS subdomain"],
    ["example..com/a", "lowercase DNS subdomain"],
    ["example.com./a", "lowercase DNS subdomain"],
    [`${prefix253}x/a`, "at most 253"],
    [`example.com/${"a".repeat(64)}`, "at most 63"],
  ];
  for (const [key, mentions] of invalid) {
    it(`rejects ${JSON.stringify(key.length > 40 ? `${key.slice(0, 20)}…(${key.length})` : key)}`, () => {
      const message = validateLabelKey(key);
      assert.ok(message, "expected a message");
      assert.ok(message.includes(mentions), `"${message}" should mention "${mentions}"`);
    });
  }

  it("accepts every key the shared arbitrary generates", () => {
    fc.assert(fc.property(labelKeyArb, (key) => validateLabelKey(key) === undefined));
  });
});

describe("validateLabelValue", () => {
  for (const value of ["", "a", "eu", "A-b_c.D", "1", "true", name63]) {
    it(`accepts ${JSON.stringify(value)}`, () => assert.equal(validateLabelValue(value), undefined));
  }
  const invalid: [value: string, mentions: string][] = [
    ["a".repeat(64), "at most 63"],
    ["-a", "start and end"],
    ["a_", "start and end"],
    [".", "start and end"],
    ["a b", "only letters"],
    ["a/b", "only letters"],
    ["a:b", "only letters"],
    ["é", "only letters"],
    ["eu\n", "only letters"],
  ];
  for (const [value, mentions] of invalid) {
    it(`rejects ${JSON.stringify(value)}`, () => {
      const message = validateLabelValue(value);
      assert.ok(message, "expected a message");
      assert.ok(message.includes(mentions), `"${message}" should mention "${mentions}"`);
    });
  }

  it("accepts every value the shared arbitrary generates", () => {
    fc.assert(fc.property(labelValueArb, (value) => validateLabelValue(value) === undefined));
  });
});

describe("labelValue", () => {
  it("reads only the labels' own keys, so valid keys like constructor are not inherited", () => {
    assert.equal(labelValue({}, "constructor"), undefined);
    assert.equal(labelValue({}, "toString"), undefined);
    assert.equal(labelValue({ constructor: "x" }, "constructor"), "x");
  });
});
