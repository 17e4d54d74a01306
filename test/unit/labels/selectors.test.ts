// Table-driven, after apimachinery's pkg/labels/selector_test.go.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Labels } from "../../../src/labels/labels";
import {
  formatSelector,
  matchesSelector,
  selectorMismatches,
  validateSelector,
  type LabelSelector,
} from "../../../src/labels/selectors";
import { fleetVocabulary, labelsArb, selectorArb, anyVocabulary } from "../core/arbitraries";

const inEu: LabelSelector = { matchExpressions: [{ key: "region", operator: "In", values: ["eu"] }] };

describe("matchesSelector", () => {
  const cases: { name: string; labels: Labels; selector: LabelSelector; matches: boolean }[] = [
    { name: "empty selector, empty labels", labels: {}, selector: {}, matches: true },
    { name: "empty selector, any labels", labels: { region: "eu" }, selector: {}, matches: true },
    { name: "empty parts", labels: { a: "b" }, selector: { matchLabels: {}, matchExpressions: [] }, matches: true },
    { name: "matchLabels equal", labels: { tier: "prod", x: "y" }, selector: { matchLabels: { tier: "prod" } }, matches: true },
    { name: "matchLabels other value", labels: { tier: "dev" }, selector: { matchLabels: { tier: "prod" } }, matches: false },
    { name: "matchLabels missing key", labels: {}, selector: { matchLabels: { tier: "prod" } }, matches: false },
    { name: "matchLabels empty value, present", labels: { gpu: "" }, selector: { matchLabels: { gpu: "" } }, matches: true },
    { name: "matchLabels empty value, missing", labels: {}, selector: { matchLabels: { gpu: "" } }, matches: false },
    {
      name: "matchLabels all must hold",
      labels: { a: "1", b: "2" },
      selector: { matchLabels: { a: "1", b: "3" } },
      matches: false,
    },
    { name: "In, single value, hit", labels: { region: "eu" }, selector: inEu, matches: true },
    { name: "In, single value, miss", labels: { region: "us" }, selector: inEu, matches: false },
    { name: "In, missing key", labels: {}, selector: inEu, matches: false },
    {
      name: "In, several values, hit",
      labels: { region: "us" },
      selector: { matchExpressions: [{ key: "region", operator: "In", values: ["eu", "us"] }] },
      matches: true,
    },
    {
      name: "In, several values, miss",
      labels: { region: "ap" },
      selector: { matchExpressions: [{ key: "region", operator: "In", values: ["eu", "us"] }] },
      matches: false,
    },
    {
      name: "In, empty value listed",
      labels: { gpu: "" },
      selector: { matchExpressions: [{ key: "gpu", operator: "In", values: [""] }] },
      matches: true,
    },
    {
      name: "NotIn, value listed",
      labels: { region: "eu" },
      selector: { matchExpressions: [{ key: "region", operator: "NotIn", values: ["eu", "us"] }] },
      matches: false,
    },
    {
      name: "NotIn, value not listed",
      labels: { region: "ap" },
      selector: { matchExpressions: [{ key: "region", operator: "NotIn", values: ["eu", "us"] }] },
      matches: true,
    },
    {
      name: "NotIn, missing key matches",
      labels: {},
      selector: { matchExpressions: [{ key: "region", operator: "NotIn", values: ["eu"] }] },
      matches: true,
    },
    {
      name: "Exists, present",
      labels: { gpu: "true" },
      selector: { matchExpressions: [{ key: "gpu", operator: "Exists" }] },
      matches: true,
    },
    {
      name: "Exists, present with empty value",
      labels: { gpu: "" },
      selector: { matchExpressions: [{ key: "gpu", operator: "Exists" }] },
      matches: true,
    },
    {
      name: "Exists, missing",
      labels: { region: "eu" },
      selector: { matchExpressions: [{ key: "gpu", operator: "Exists" }] },
      matches: false,
    },
    {
      name: "DoesNotExist, missing",
      labels: { region: "eu" },
      selector: { matchExpressions: [{ key: "gpu", operator: "DoesNotExist" }] },
      matches: true,
    },
    {
      name: "DoesNotExist, present with empty value",
      labels: { gpu: "" },
      selector: { matchExpressions: [{ key: "gpu", operator: "DoesNotExist" }] },
      matches: false,
    },
    {
      name: "prefixed key",
      labels: { "example.com/team": "a" },
      selector: { matchExpressions: [{ key: "example.com/team", operator: "In", values: ["a"] }] },
      matches: true,
    },
    {
      name: "In and NotIn on one key, allowed value",
      labels: { r: "a" },
      selector: {
        matchExpressions: [
          { key: "r", operator: "In", values: ["a", "b"] },
          { key: "r", operator: "NotIn", values: ["b"] },
        ],
      },
      matches: true,
    },
    {
      name: "In and NotIn on one key, excluded value",
      labels: { r: "b" },
      selector: {
        matchExpressions: [
          { key: "r", operator: "In", values: ["a", "b"] },
          { key: "r", operator: "NotIn", values: ["b"] },
        ],
      },
      matches: false,
    },
    {
      name: "matchLabels and expressions, all hold",
      labels: { tier: "prod", region: "eu" },
      selector: { matchLabels: { tier: "prod" }, ...inEu },
      matches: true,
    },
    {
      name: "matchLabels and expressions, expression fails",
      labels: { tier: "prod", region: "us" },
      selector: { matchLabels: { tier: "prod" }, ...inEu },
      matches: false,
    },
    {
      name: "matchLabels and expressions, label fails",
      labels: { tier: "dev", region: "eu" },
      selector: { matchLabels: { tier: "prod" }, ...inEu },
      matches: false,
    },
    {
      name: "inherited key is not a label (Exists)",
      labels: {},
      selector: { matchExpressions: [{ key: "constructor", operator: "Exists" }] },
      matches: false,
    },
    {
      name: "inherited key is not a label (DoesNotExist)",
      labels: {},
      selector: { matchExpressions: [{ key: "toString", operator: "DoesNotExist" }] },
      matches: true,
    },
    {
      name: "inherited key is not a label (matchLabels)",
      labels: {},
      selector: { matchLabels: { constructor: "x" } },
      matches: false,
    },
  ];
  for (const { name, labels, selector, matches } of cases) {
    it(name, () => assert.equal(matchesSelector(labels, selector), matches));
  }

  it("matches exactly when there is no mismatch to report", () => {
    fc.assert(
      fc.property(labelsArb(fleetVocabulary), selectorArb(fleetVocabulary), (labels, selector) => {
        assert.equal(matchesSelector(labels, selector), selectorMismatches(labels, selector).length === 0);
      }),
    );
  });
});

describe("selectorMismatches", () => {
  const cases: { labels: Labels; selector: LabelSelector; reasons: string[] }[] = [
    {
      labels: { region: "ap" },
      selector: { matchExpressions: [{ key: "region", operator: "In", values: ["us", "eu"] }] },
      reasons: ['region In (eu, us) but is "ap"'],
    },
    { labels: {}, selector: inEu, reasons: ["region In (eu) but is missing"] },
    {
      labels: { gpu: "true" },
      selector: { matchExpressions: [{ key: "gpu", operator: "DoesNotExist" }] },
      reasons: ['gpu DoesNotExist but is "true"'],
    },
    { labels: {}, selector: { matchExpressions: [{ key: "gpu", operator: "Exists" }] }, reasons: ["gpu Exists but is missing"] },
    {
      labels: { region: "eu" },
      selector: { matchExpressions: [{ key: "region", operator: "NotIn", values: ["eu"] }] },
      reasons: ['region NotIn (eu) but is "eu"'],
    },
    { labels: { tier: "dev" }, selector: { matchLabels: { tier: "prod" } }, reasons: ['tier=prod but is "dev"'] },
    { labels: { gpu: "" }, selector: { matchLabels: { gpu: "true" } }, reasons: ['gpu=true but is ""'] },
    {
      labels: { tier: "dev", region: "us" },
      selector: {
        matchLabels: { zone: "a", tier: "prod" },
        matchExpressions: [
          { key: "region", operator: "In", values: ["eu"] },
          { key: "region", operator: "Exists" },
        ],
      },
      reasons: ['tier=prod but is "dev"', "zone=a but is missing", 'region In (eu) but is "us"'],
    },
    { labels: { tier: "prod" }, selector: { matchLabels: { tier: "prod" } }, reasons: [] },
  ];
  for (const { labels, selector, reasons } of cases) {
    it(`explains ${formatSelector(selector)} against ${JSON.stringify(labels)}`, () => {
      assert.deepEqual(selectorMismatches(labels, selector), reasons);
    });
  }
});

describe("formatSelector", () => {
  const cases: [LabelSelector, string][] = [
    [{}, ""],
    [
      {
        matchLabels: { tier: "prod" },
        matchExpressions: [
          { key: "region", operator: "In", values: ["us", "eu"] },
          { key: "gpu", operator: "DoesNotExist" },
          { key: "gpu", operator: "Exists" },
        ],
      },
      "tier=prod,region in (eu,us),!gpu,gpu",
    ],
    [{ matchExpressions: [{ key: "region", operator: "NotIn", values: ["ap"] }] }, "region notin (ap)"],
    [{ matchLabels: { b: "2", a: "1" } }, "a=1,b=2"],
  ];
  for (const [selector, text] of cases) {
    it(`writes ${JSON.stringify(text)}`, () => assert.equal(formatSelector(selector), text));
  }
});

describe("validateSelector", () => {
  const cases: { name: string; selector: LabelSelector; problems: string[] }[] = [
    { name: "empty selector", selector: {}, problems: [] },
    {
      name: "every operator used correctly",
      selector: {
        matchLabels: { tier: "prod", "example.com/team": "" },
        matchExpressions: [
          { key: "a", operator: "In", values: ["x"] },
          { key: "b", operator: "NotIn", values: ["x", "y"] },
          { key: "c", operator: "Exists" },
          { key: "d", operator: "DoesNotExist", values: [] },
        ],
      },
      problems: [],
    },
    {
      name: "In without values",
      selector: { matchExpressions: [{ key: "region", operator: "In" }] },
      problems: ["matchExpressions[0].values: must be non-empty for In"],
    },
    {
      name: "NotIn with empty values",
      selector: { matchExpressions: [{ key: "region", operator: "NotIn", values: [] }] },
      problems: ["matchExpressions[0].values: must be non-empty for NotIn"],
    },
    {
      name: "Exists with values",
      selector: {
        matchExpressions: [
          { key: "gpu", operator: "Exists" },
          { key: "gpu", operator: "Exists", values: ["true"] },
        ],
      },
      problems: ["matchExpressions[1].values: must be empty for Exists"],
    },
    {
      name: "DoesNotExist with values",
      selector: { matchExpressions: [{ key: "gpu", operator: "DoesNotExist", values: [""] }] },
      problems: ["matchExpressions[0].values: must be empty for DoesNotExist"],
    },
    {
      name: "unknown operator",
      selector: { matchExpressions: [{ key: "gpu", operator: "Equals" as "In", values: ["x"] }] },
      problems: ['matchExpressions[0].operator: "Equals" is not one of In, NotIn, Exists, DoesNotExist'],
    },
  ];
  for (const { name, selector, problems } of cases) {
    it(name, () => assert.deepEqual(validateSelector(selector), problems));
  }

  it("reports bad keys and values with their paths, all at once", () => {
    const problems = validateSelector({
      matchLabels: { "Bad Key": "ok", tier: "not ok" },
      matchExpressions: [{ key: "-region", operator: "In", values: ["eu", "a/b"] }],
    });
    assert.equal(problems.length, 4, problems.join("\n"));
    assert.match(problems[0] ?? "", /^matchLabels: label key "Bad Key"/);
    assert.match(problems[1] ?? "", /^matchLabels\.tier: label value "not ok"/);
    assert.match(problems[2] ?? "", /^matchExpressions\[0\]\.key: label key "-region"/);
    assert.match(problems[3] ?? "", /^matchExpressions\[0\]\.values\[1\]: label value "a\/b"/);
  });

  it("accepts every selector the shared arbitrary generates", () => {
    fc.assert(fc.property(selectorArb(anyVocabulary), (selector) => validateSelector(selector).length === 0));
  });
});
