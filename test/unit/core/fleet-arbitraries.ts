// Random fleets for the placement properties: few names, keys and values, so
// that selectors match often, capacity runs out, spread collides, and pins and
// previous placements point at clusters that do and do not exist.
import fc from "fast-check";
import type { Labels } from "../../../src/labels/labels";
import type { ClusterFacts, FleetFacts, PromiseFacts, RequestFacts } from "../../../src/core/placement";
import { requestKey } from "../../../src/core/placement";
import type { LabelSelector } from "../../../src/labels/selectors";
import type { Taint, Toleration } from "../../../src/labels/taints";
import { requirementArb, selectorArb, type Vocabulary } from "./arbitraries";

const clusterNames = ["c0", "c1", "c2", "c3", "c4", "c5", "c6"];
const promiseNames = ["p0", "p1", "p2", "p3"];
const requestNames = ["r0", "r1", "r2", "r3", "r4", "r5"];
const vocabulary: Vocabulary = {
  keys: fc.constantFrom("region", "zone", "gpu"),
  values: fc.constantFrom("eu", "us", "z1", "z2", "true"),
};
const effectArb = fc.constantFrom("NoSchedule" as const, "PreferNoSchedule" as const, "NoExecute" as const);

/** Mostly nothing or one requirement; sometimes a whole selector. */
const selectorOftenEmptyArb: fc.Arbitrary<LabelSelector> = fc.oneof(
  { arbitrary: fc.constant({}), weight: 3 },
  { arbitrary: requirementArb(vocabulary).map((requirement) => ({ matchExpressions: [requirement] })), weight: 3 },
  { arbitrary: selectorArb(vocabulary), weight: 1 },
);

const labelsArb: fc.Arbitrary<Labels> = fc.record(
  { region: fc.constantFrom("eu", "us"), zone: fc.constantFrom("z1", "z2", "z3"), gpu: fc.constant("true") },
  { requiredKeys: [] },
);

const taintArb: fc.Arbitrary<Taint> = fc.record(
  { key: fc.constantFrom("gpu", "spot"), value: fc.constant("true"), effect: effectArb },
  { requiredKeys: ["key", "effect"] },
);

const tolerationArb: fc.Arbitrary<Toleration> = fc.record(
  {
    key: fc.constantFrom("gpu", "spot"),
    operator: fc.constantFrom("Equal" as const, "Exists" as const),
    value: fc.constant("true"),
    effect: effectArb,
  },
  { requiredKeys: [] },
);

const fewArb = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T[]> =>
  fc.oneof({ arbitrary: fc.constant<T[]>([]), weight: 2 }, { arbitrary: fc.array(arbitrary, { maxLength: 2 }), weight: 1 });

export function clusterArb(name: fc.Arbitrary<string>): fc.Arbitrary<ClusterFacts> {
  return fc.record(
    { name, labels: labelsArb, taints: fewArb(taintArb), capacity: fc.nat({ max: 3 }) },
    { requiredKeys: ["name", "labels", "taints"] },
  );
}

const promiseArb = (name: string): fc.Arbitrary<PromiseFacts> =>
  fc.record({
    name: fc.constant(name),
    selectors: fewArb(selectorOftenEmptyArb),
    tolerations: fewArb(tolerationArb),
    requires: fc.oneof(
      { arbitrary: fc.constant([]), weight: 3 },
      { arbitrary: fc.subarray([...promiseNames, "unknown"], { maxLength: 2 }), weight: 1 },
    ),
    defaults: fc.record({ count: fc.nat({ max: 3 }), spreadBy: fc.constantFrom("zone", "region") }, { requiredKeys: ["count"] }),
  });

const requestArb: fc.Arbitrary<RequestFacts> = fc.record(
  {
    promise: fc.constantFrom(...promiseNames, "px"),
    name: fc.constantFrom(...requestNames),
    selector: selectorOftenEmptyArb,
    count: fc.nat({ max: 3 }),
    spreadBy: fc.constantFrom("zone", "region", "gpu"),
    pin: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 3 },
      { arbitrary: fc.shuffledSubarray([...clusterNames, "ghost"], { minLength: 1, maxLength: 3 }), weight: 1 },
    ),
  },
  { requiredKeys: ["promise", "name"] },
);

/** Where a request was before: often nowhere, sometimes on clusters that are gone. */
const previousClustersArb = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 1 },
  { arbitrary: fc.shuffledSubarray([...clusterNames, "gone"], { maxLength: 3 }), weight: 1 },
);

/** A whole fleet with a previous placement, which may name removed clusters and removed requests. */
export const fleetArb: fc.Arbitrary<FleetFacts> = fc
  .record({
    clusters: fc.uniqueArray(clusterArb(fc.constantFrom(...clusterNames)), { maxLength: 6, selector: (c) => c.name }),
    promises: fc.subarray(promiseNames, { minLength: 1 }).chain((names) => fc.tuple(...names.map(promiseArb))),
    requests: fc.uniqueArray(requestArb, { maxLength: 8, selector: (r) => requestKey(r.promise, r.name) }),
    removedRequest: previousClustersArb,
  })
  .chain(({ requests, removedRequest, ...rest }) =>
    fc.tuple(...requests.map(() => previousClustersArb)).map((previousClusters) => {
      const previous = new Map<string, readonly string[]>();
      requests.forEach((r, index) => {
        const clusters = previousClusters[index];
        if (clusters) previous.set(requestKey(r.promise, r.name), clusters);
      });
      if (removedRequest) previous.set("p0/removed", removedRequest);
      return { ...rest, requests, previous };
    }),
  );

/** A fleet with nothing placed before. */
export const freshFleetArb: fc.Arbitrary<FleetFacts> = fleetArb.map((fleet) => ({ ...fleet, previous: new Map() }));
