// Kratix's scheduling rules as an imported promise carries them: one squashed
// selector (the first entry wins a key), strict-match destinations as a taint
// the promise tolerates only when it has selectors, and a request's placement
// selector under the Promise's. The strict-match table is decided by Pledge's
// own eligibility rules (src/core), and checked against a transcription of
// Kratix's scheduler for any labels.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assessPromises } from "../../../src/core/eligibility";
import type { ClusterFacts } from "../../../src/core/facts";
import { kratixStrictMatchTaint, placementWithinPromise, squashDestinationSelectors } from "../../../src/kratix/scheduling";
import { andSelectors, matchesSelector } from "../../../src/labels/selectors";
import { imported, promiseYaml, where } from "./helpers";

describe("destination selectors are squashed into one", () => {
  const table: { name: string; entries: Record<string, string>[]; squashed: Record<string, string>; notices: string[] }[] = [
    { name: "no selectors select every cluster", entries: [], squashed: {}, notices: [] },
    {
      name: "keys of every entry are ANDed",
      entries: [{ env: "dev" }, { zone: "eu" }],
      squashed: { env: "dev", zone: "eu" },
      notices: [],
    },
    {
      name: "the first entry wins a key named twice, and the later value gets a notice",
      entries: [{ env: "dev" }, { env: "prod", zone: "eu" }],
      squashed: { env: "dev", zone: "eu" },
      notices: [
        `${where}: spec.destinationSelectors[1].matchLabels.env: "prod" is overridden by spec.destinationSelectors[0] ("dev"): Kratix squashes the selectors into one map and the first entry wins`,
      ],
    },
    {
      name: "a key named twice with one value is no conflict",
      entries: [{ env: "dev" }, { env: "dev" }],
      squashed: { env: "dev" },
      notices: [],
    },
  ];
  for (const c of table) {
    it(c.name, () => {
      const result = squashDestinationSelectors(c.entries, where);
      assert.deepEqual(result.matchLabels, c.squashed);
      assert.deepEqual(
        result.notices.map((n) => `${n.path}: ${n.message}`),
        c.notices,
      );
    });
  }

  it("an imported promise has the squashed map as its only destination selector", () => {
    const promise = imported(
      promiseYaml({ destinationSelectors: [{ matchLabels: { env: "dev" } }, { matchLabels: { env: "prod" } }] }),
    );
    assert.deepEqual(promise.destinationSelectors, [{ matchLabels: { env: "dev" } }]);
  });
});

/** Eligibility of an imported promise with these selectors, on one cluster, by Pledge's own rules. */
function eligible(selectors: Record<string, string>[], labels: Record<string, string>, strict: boolean): boolean {
  const promise = imported(promiseYaml({ destinationSelectors: selectors.map((matchLabels) => ({ matchLabels })) }));
  const cluster: ClusterFacts = { name: "c1", labels, taints: strict ? [kratixStrictMatchTaint] : [] };
  const facts = {
    name: promise.name,
    selectors: promise.destinationSelectors,
    tolerations: promise.tolerations,
    requires: [],
    defaults: promise.placement,
  };
  return assessPromises([cluster], [facts]).get(promise.name)!.eligible.includes("c1");
}

/** Kratix's scheduler (internal/controller/scheduler.go getDestinationsForWorkloadGroup), transcribed. */
function kratixSelects(selectors: Record<string, string>[], labels: Record<string, string>, strict: boolean): boolean {
  const squashed: Record<string, string> = {};
  for (const entry of [...selectors].reverse()) Object.assign(squashed, entry);
  const matches = Object.entries(squashed).every(([key, value]) => labels[key] === value);
  const strictExcluded = Object.keys(squashed).length === 0 && strict && Object.keys(labels).length > 0;
  return matches && !strictExcluded;
}

describe("a strict-match cluster takes only promises with selectors", () => {
  const table: {
    name: string;
    selectors: Record<string, string>[];
    labels: Record<string, string>;
    strict: boolean;
    eligible: boolean;
  }[] = [
    {
      name: "a promise without selectors goes to a cluster without the taint",
      selectors: [],
      labels: { env: "dev" },
      strict: false,
      eligible: true,
    },
    {
      name: "a promise without selectors stays off a strict-match cluster",
      selectors: [],
      labels: { env: "dev" },
      strict: true,
      eligible: false,
    },
    {
      name: "a promise whose selectors match goes to a strict-match cluster",
      selectors: [{ env: "dev" }],
      labels: { env: "dev" },
      strict: true,
      eligible: true,
    },
    {
      name: "selectors need not name every label of a strict-match cluster (Kratix's rule)",
      selectors: [{ env: "dev" }],
      labels: { env: "dev", zone: "eu" },
      strict: true,
      eligible: true,
    },
    {
      name: "selectors that do not match keep a promise off any cluster",
      selectors: [{ env: "prod" }],
      labels: { env: "dev" },
      strict: true,
      eligible: false,
    },
  ];
  for (const c of table) {
    it(c.name, () => {
      assert.equal(eligible(c.selectors, c.labels, c.strict), c.eligible);
      assert.equal(kratixSelects(c.selectors, c.labels, c.strict), c.eligible, "the table is Kratix's");
    });
  }

  it("decides as Kratix's scheduler does for any selectors and labels", () => {
    const key = fc.constantFrom("env", "zone", "tier");
    const value = fc.constantFrom("dev", "prod", "eu");
    const labels = fc.dictionary(key, value, { minKeys: 1 }); // a Pledge cluster always has labels
    const selectors = fc.array(fc.dictionary(key, value), { maxLength: 3 });
    fc.assert(
      fc.property(selectors, labels, fc.boolean(), (s, l, strict) => eligible(s, l, strict) === kratixSelects(s, l, strict)),
      { seed: 13, numRuns: 300 },
    );
  });
});

describe("a request's placement selector", () => {
  it("the Promise's selector wins a key both name, as Kratix merges them", () => {
    const result = placementWithinPromise({ matchLabels: { env: "prod", zone: "eu" } }, { env: "dev" });
    assert.deepEqual(result, { selector: { matchLabels: { zone: "eu" } }, overridden: ["env"] });
  });

  it("keys the Promise does not name are kept, expressions too", () => {
    const expressions = [{ key: "tier", operator: "In" as const, values: ["gold"] }];
    assert.deepEqual(placementWithinPromise({ matchLabels: { zone: "eu" }, matchExpressions: expressions }, {}).selector, {
      matchLabels: { zone: "eu" },
      matchExpressions: expressions,
    });
  });

  it("is ANDed with the request's own selector: both must hold", () => {
    const both = andSelectors({ matchLabels: { team: "a" } }, { matchLabels: { zone: "eu" } })!;
    assert.equal(matchesSelector({ team: "a", zone: "eu" }, both), true);
    assert.equal(matchesSelector({ team: "a", zone: "us" }, both), false);
    assert.equal(matchesSelector({ zone: "eu" }, both), false);
  });

  it("a key both name with different values matches nothing, instead of one silently winning", () => {
    const both = andSelectors({ matchLabels: { zone: "us" } }, { matchLabels: { zone: "eu" } })!;
    assert.equal(matchesSelector({ zone: "us" }, both), false);
    assert.equal(matchesSelector({ zone: "eu" }, both), false);
  });

  it("nothing to add leaves the request's selector as it is", () => {
    const own = { matchLabels: { team: "a" } };
    assert.equal(andSelectors(own, undefined), own);
    assert.equal(andSelectors(undefined, {}), undefined);
  });
});
