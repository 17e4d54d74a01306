// Fleet placement: which clusters get each promise's dependencies, and which
// cluster(s) each request goes to, with a verdict and reason for every cluster.
// Sticky and deterministic: kept placements are reserved first, then requests
// needing clusters are served in key order, each choice ranked by untolerated
// PreferNoSchedule taints, then load, then name.
import { assessPromises, type PromiseEligibility } from "./eligibility";
import { eligibilitySummary } from "./explain";
import type { ClusterFacts, PreviousPlacement, PromiseFacts, RequestFacts } from "./facts";
import { requestKey } from "./facts";
import { compareText } from "../labels/ordering";
import type { ClusterVerdict, FleetPlacement, PromisePlacement } from "./outcome";
import { planRequest, type StaticFitCache } from "./request-plan";
import { Load, placeRequest } from "./request-placement";

export type { ClusterFacts, PreviousPlacement, PromiseFacts, RequestFacts } from "./facts";
export { requestKey } from "./facts";
export type { ClusterVerdict, FleetPlacement, Move, PromisePlacement, RequestPlacement } from "./outcome";

export interface FleetFacts {
  clusters: readonly ClusterFacts[];
  promises: readonly PromiseFacts[];
  requests: readonly RequestFacts[];
  previous: PreviousPlacement;
}

export function placeFleet(input: FleetFacts): FleetPlacement {
  const clusters = sortedUniquely(input.clusters, (cluster) => cluster.name, "cluster");
  const promises = sortedUniquely(input.promises, (promise) => promise.name, "promise");
  sortedUniquely(input.requests, (request) => requestKey(request.promise, request.name), "request");
  const fleet = new Map(clusters.map((cluster) => [cluster.name, cluster]));
  const promiseByName = new Map(promises.map((promise) => [promise.name, promise]));
  const eligibility = assessPromises(clusters, promises);

  const shapes: StaticFitCache = new Map();
  const plans = input.requests
    .map((request) => {
      const promise = promiseByName.get(request.promise);
      return planRequest(request, promise, eligibility.get(request.promise), fleet, input.previous, shapes);
    })
    .sort((a, b) => compareText(a.key, b.key));

  const load = new Load(clusters);
  for (const cluster of plans.flatMap((plan) => plan.kept)) load.add(fleet.get(cluster)!);

  return {
    promises: promises.map((promise) => describePromise(eligibility, promise, clusters)),
    requests: plans.map((plan) => placeRequest(plan, clusters, fleet, load)),
  };
}

function describePromise(
  eligibility: ReadonlyMap<string, PromiseEligibility>,
  promise: PromiseFacts,
  clusters: readonly ClusterFacts[],
): PromisePlacement {
  const assessed = eligibility.get(promise.name);
  if (!assessed) throw new Error(`placeFleet: promise ${promise.name} was not assessed`);
  const eligible = [...assessed.eligible];
  const rejections = assessed.rejections;
  const verdicts = clusters.map((cluster): ClusterVerdict => {
    const reasons = rejections.get(cluster.name) ?? [];
    return reasons.length > 0
      ? { cluster: cluster.name, verdict: "rejected", reasons: reasons.map((reason) => reason.detail) }
      : { cluster: cluster.name, verdict: "chosen", reasons: [] };
  });
  const summary = eligibilitySummary(eligible, clusters.length, [...rejections.values()]);
  return { promise: promise.name, eligible, verdicts, summary };
}

/** Sorted by name; duplicate names are a programmer error, since config validation rejects them first. */
function sortedUniquely<T>(items: readonly T[], nameOf: (item: T) => string, what: string): T[] {
  const sorted = [...items].sort((a, b) => compareText(nameOf(a), nameOf(b)));
  sorted.forEach((item, index) => {
    const previous = sorted[index - 1];
    if (previous !== undefined && nameOf(previous) === nameOf(item)) {
      throw new Error(`placeFleet: two ${what}s are named "${nameOf(item)}"; ${what} names must be unique`);
    }
  });
  return sorted;
}
