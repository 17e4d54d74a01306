// Properties placement must keep for every fleet, checked with fast-check.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { ClusterFacts, FleetFacts, FleetPlacement, PromiseFacts } from "../../../src/core/placement";
import { placeFleet } from "../../../src/core/placement";
import { labelValue } from "../../../src/labels/labels";
import { matchesSelector } from "../../../src/labels/selectors";
import { untoleratedTaints } from "../../../src/labels/taints";
import { clusterArb, fleetArb, freshFleetArb } from "./fleet-arbitraries";
import { previousOf } from "./fleet-builders";

const runs = { numRuns: 300 };

function shuffled<T>(items: readonly T[], order: readonly number[]): T[] {
  return items
    .map((item, index) => ({ item, rank: order[index % Math.max(order.length, 1)] ?? 0, index }))
    .sort((a, b) => a.rank - b.rank || b.index - a.index)
    .map(({ item }) => item);
}

/**
 * Eligibility straight from the rules, as a least fixpoint: no cycle can ever enter it.
 * A NoSchedule taint is a cordon: it keeps nothing off a cluster the promise ran on
 * (its dependencies, or one of its requests, at the last update).
 */
function eligibleByRules(
  clusters: readonly ClusterFacts[],
  promises: readonly PromiseFacts[],
  previous: FleetFacts["previous"] = new Map(),
): Map<string, Set<string>> {
  // A promise ran where one of its requests, or of a promise requiring it (however indirectly), was placed.
  const requiredBy = (name: string, seen: Set<string> = new Set()): Set<string> => {
    if (seen.has(name)) return seen;
    seen.add(name);
    for (const p of promises) if (p.requires.includes(name)) requiredBy(p.name, seen);
    return seen;
  };
  const ran = (promise: string, cluster: string) =>
    [...requiredBy(promise)].some((name) =>
      [...previous].some(([key, on]) => key.startsWith(`${name}/`) && on.includes(cluster)),
    );
  const eligible = new Map(promises.map((promise) => [promise.name, new Set<string>()]));
  for (let changed = true; changed;) {
    changed = false;
    for (const promise of promises) {
      for (const cluster of clusters) {
        const fits =
          promise.selectors.every((selector) => matchesSelector(cluster.labels, selector)) &&
          untoleratedTaints(cluster.taints, promise.tolerations).every(
            (taint) => taint.effect === "NoSchedule" && ran(promise.name, cluster.name),
          ) &&
          promise.requires.every((name) => eligible.get(name)?.has(cluster.name));
        const set = eligible.get(promise.name);
        if (fits && set && !set.has(cluster.name)) {
          set.add(cluster.name);
          changed = true;
        }
      }
    }
  }
  return eligible;
}

function loads(result: FleetPlacement): Map<string, number> {
  const load = new Map<string, number>();
  for (const cluster of result.requests.flatMap((placement) => placement.clusters)) {
    load.set(cluster, (load.get(cluster) ?? 0) + 1);
  }
  return load;
}

describe("placement properties", () => {
  it("gives identical output for any order of clusters, labels, promises, requests and previous entries", () => {
    fc.assert(
      fc.property(fleetArb, fc.array(fc.integer(), { minLength: 1, maxLength: 10 }), (fleet, order) => {
        const permuted: FleetFacts = {
          clusters: shuffled(fleet.clusters, order).map((cluster) => ({
            ...cluster,
            labels: Object.fromEntries(shuffled(Object.entries(cluster.labels), order)),
          })),
          promises: shuffled(fleet.promises, order),
          requests: shuffled(fleet.requests, order),
          previous: new Map(shuffled([...fleet.previous], order)),
        };
        assert.deepEqual(placeFleet(permuted), placeFleet(fleet));
      }),
      runs,
    );
  });

  it("is plain data that survives JSON", () => {
    fc.assert(
      fc.property(fleetArb, (fleet) => {
        const result = placeFleet(fleet);
        assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
      }),
      runs,
    );
  });

  it("is sticky: re-running on its own result, even with a new cluster, moves nothing", () => {
    fc.assert(
      fc.property(fleetArb, clusterArb(fc.constant("c-new")), (fleet, newcomer) => {
        const first = placeFleet(fleet);
        const again = placeFleet({ ...fleet, previous: previousOf(first) });
        assert.deepEqual(
          again.requests.map((placement) => placement.clusters),
          first.requests.map((placement) => placement.clusters),
        );
        const grown = placeFleet({ ...fleet, clusters: [...fleet.clusters, newcomer], previous: previousOf(first) });
        grown.requests.forEach((placement, index) => {
          const before = first.requests[index]?.clusters ?? [];
          assert.deepEqual(placement.clusters.slice(0, before.length), before, placement.key);
          assert.deepEqual(placement.moves, [], placement.key);
        });
      }),
      runs,
    );
  });

  it("cordons: NoSchedule taints on any clusters move nothing, remove no dependency and place nothing new there", () => {
    fc.assert(
      fc.property(fleetArb, fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), (fleet, cordonMask) => {
        const first = placeFleet(fleet);
        const cordonedNames = new Set(fleet.clusters.filter((_, i) => cordonMask[i]).map((c) => c.name));
        const taint = { key: "maintenance", value: "true", effect: "NoSchedule" as const };
        const cordoned = placeFleet({
          ...fleet,
          clusters: fleet.clusters.map((c) => (cordonedNames.has(c.name) ? { ...c, taints: [...c.taints, taint] } : c)),
          previous: previousOf(first),
          previousEligible: new Map(first.promises.map((p) => [p.promise, p.eligible])),
        });
        first.requests.forEach((before, index) => {
          const after = cordoned.requests[index]!;
          // What ran stays, in order; a request may only grow elsewhere (it was short of clusters before).
          assert.deepEqual(after.clusters.slice(0, before.clusters.length), before.clusters, before.key);
          for (const name of after.clusters.slice(before.clusters.length))
            assert.ok(!cordonedNames.has(name), `${before.key} newly placed on cordoned ${name}`);
          assert.deepEqual(after.moves, [], before.key);
        });
        first.promises.forEach((before, index) => {
          const after = cordoned.promises[index]!;
          for (const name of before.eligible) assert.ok(after.eligible.includes(name), `${before.promise} left ${name}`);
          for (const name of after.eligible)
            assert.ok(before.eligible.includes(name) || !cordonedNames.has(name), `${before.promise} newly on cordoned ${name}`);
        });
      }),
      runs,
    );
  });

  it("gives dependencies exactly to the clusters the eligibility rules allow", () => {
    fc.assert(
      fc.property(fleetArb, (fleet) => {
        const expected = eligibleByRules(fleet.clusters, fleet.promises, fleet.previous);
        for (const placement of placeFleet(fleet).promises) {
          assert.deepEqual(placement.eligible, [...(expected.get(placement.promise) ?? [])].sort(), placement.promise);
        }
      }),
      runs,
    );
  });

  it("places requests only on eligible clusters matching the request's selector and pins", () => {
    fc.assert(
      fc.property(fleetArb, (fleet) => {
        const result = placeFleet(fleet);
        for (const placement of result.requests) {
          const request = fleet.requests.find((r) => r.promise === placement.promise && r.name === placement.name);
          const eligible = result.promises.find((p) => p.promise === placement.promise)?.eligible ?? [];
          for (const name of placement.clusters) {
            const cluster = fleet.clusters.find((c) => c.name === name);
            assert.ok(cluster, `${placement.key} placed on unknown cluster ${name}`);
            assert.ok(eligible.includes(name), `${placement.key} placed on ineligible ${name}`);
            assert.ok(!request?.selector || matchesSelector(cluster.labels, request.selector));
            assert.ok(!request?.pin?.length || request.pin.includes(name));
          }
        }
      }),
      runs,
    );
  });

  it("never places more than wanted, never twice on a cluster, and reports status to match", () => {
    fc.assert(
      fc.property(fleetArb, (fleet) => {
        for (const placement of placeFleet(fleet).requests) {
          assert.ok(placement.clusters.length <= placement.wanted);
          assert.equal(new Set(placement.clusters).size, placement.clusters.length);
          const expected =
            placement.clusters.length === placement.wanted ? "placed" : placement.clusters.length > 0 ? "partial" : "unplaced";
          assert.equal(placement.status, expected);
          const placedVerdicts = placement.verdicts.filter((v) => v.verdict === "chosen" || v.verdict === "kept");
          assert.deepEqual(placedVerdicts.map((v) => v.cluster).sort(), [...placement.clusters].sort());
        }
      }),
      runs,
    );
  });

  it("spreads: no two clusters of a request share the spreadBy value", () => {
    fc.assert(
      fc.property(freshFleetArb, (fleet) => {
        const result = placeFleet(fleet);
        for (const placement of result.requests) {
          const request = fleet.requests.find((r) => r.promise === placement.promise && r.name === placement.name);
          const promise = fleet.promises.find((p) => p.name === placement.promise);
          const spreadBy = request?.spreadBy ?? promise?.defaults.spreadBy;
          if (spreadBy === undefined) continue;
          const values = placement.clusters.map((name) => {
            const cluster = fleet.clusters.find((c) => c.name === name);
            return cluster && labelValue(cluster.labels, spreadBy);
          });
          assert.ok(
            values.every((value) => value !== undefined),
            `${placement.key}: cluster without ${spreadBy}`,
          );
          assert.equal(new Set(values).size, values.length, `${placement.key}: ${spreadBy} repeated`);
        }
      }),
      runs,
    );
  });

  it("new placements never exceed capacity; only kept ones may", () => {
    fc.assert(
      fc.property(fleetArb, (fleet) => {
        const result = placeFleet(fleet);
        const kept = new Map<string, number>();
        for (const placement of result.requests) {
          for (const verdict of placement.verdicts) {
            if (verdict.verdict === "kept") kept.set(verdict.cluster, (kept.get(verdict.cluster) ?? 0) + 1);
          }
        }
        for (const [name, load] of loads(result)) {
          const capacity = fleet.clusters.find((c) => c.name === name)?.capacity;
          if (capacity === undefined) continue;
          assert.ok(load <= Math.max(capacity, kept.get(name) ?? 0), `${name}: ${load} placements, capacity ${capacity}`);
        }
      }),
      runs,
    );
  });
});
