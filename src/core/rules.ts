// The placement rules, each in one place with the reasons it gives. A cluster
// can take a promise's dependencies when no static rule of the promise rejects
// it, and a request when no static rule of the request rejects it and neither
// capacity nor spread blocks it at the moment of choosing. Everything else in
// core/ (eligibility, request plans, the judge) only applies these.
import { labelValue, type Labels } from "../labels/labels";
import { failedRequirements, type LabelSelector } from "../labels/selectors";
import { untoleratedTaints, type Taint, type Toleration } from "../labels/taints";
import type { ClusterFacts } from "./facts";
import * as why from "./reasons";
import type { Reason } from "./reasons";

/** No reasons: shared, since most clusters pass most rules and this runs for every cluster of every request shape. */
export const noReasons: readonly Reason[] = Object.freeze([]);

// ---- Rules of a promise (where its dependencies go) ----

/** Destination selectors: the cluster must match every one of the promise's selectors. */
export function destinationSelectorReasons(labels: Labels, selectors: readonly LabelSelector[]): Reason[] {
  return selectors.flatMap((selector) => failedRequirements(labels, selector).map(why.promiseSelectorMismatch));
}

/** Taints and tolerations: every NoSchedule and NoExecute taint of the cluster must be tolerated. */
export function taintReasons(taints: readonly Taint[], tolerations: readonly Toleration[]): Reason[] {
  return untoleratedTaints(taints, tolerations).map(why.untoleratedTaint);
}

/**
 * Required promises: each must itself be eligible on the cluster (and exist).
 * `requiredHere(name)` is undefined for an unknown promise, else whether it is eligible on this cluster.
 */
export function requiredPromiseReasons(
  required: readonly string[],
  requiredHere: (name: string) => boolean | undefined,
): Reason[] {
  return required.flatMap((name): Reason[] => {
    const here = requiredHere(name);
    if (here === undefined) return [why.requiredPromiseUnknown(name)];
    return here ? [] : [why.requiredPromiseMissing(name)];
  });
}

// ---- Rules of a request (which clusters may take it, whatever the load) ----

/** Pins: a pinned request considers only its pinned clusters (and nothing else about the others). */
export function pinReasons(cluster: string, pins: readonly string[] | undefined): readonly Reason[] {
  return pins && !pins.includes(cluster) ? notPinnedReasons : noReasons;
}
const notPinnedReasons: readonly Reason[] = Object.freeze([why.notPinned]);

/** The request's own selector: the cluster must match it. */
export function requestSelectorReasons(labels: Labels, selector: LabelSelector | undefined): readonly Reason[] {
  if (!selector) return noReasons;
  const failed = failedRequirements(labels, selector);
  return failed.length === 0 ? noReasons : failed.map(why.requestSelectorMismatch);
}

// ---- Rules that depend on what was chosen before (load and spread) ----

// These two are judged for many clusters of many requests: the same blockage
// gives the same (shared, never mutated) reasons instead of new ones each time.
function memo(cache: Map<string, readonly Reason[]>, key: string, make: () => Reason): readonly Reason[] {
  let reasons = cache.get(key);
  if (!reasons) cache.set(key, (reasons = Object.freeze([make()])));
  return reasons;
}
const fullReasons = new Map<string, readonly Reason[]>();
const spreadReasons = new Map<string, readonly Reason[]>();

/** Capacity: a cluster at its capacity (all promises' requests together) takes no more. */
export const capacity = {
  isFull(cluster: ClusterFacts, used: number): boolean {
    return cluster.capacity !== undefined && used >= cluster.capacity;
  },
  reasons(cluster: ClusterFacts, used: number): readonly Reason[] {
    if (!capacity.isFull(cluster, used)) return noReasons;
    return memo(fullReasons, `${used}/${cluster.capacity}`, () => why.full(used, cluster.capacity!));
  },
};

/** Spread: the clusters of one request must all differ in the spread label, and a cluster without the label cannot be one of them. */
export const spread = {
  /** "" when the cluster lacks the label, the name of a chosen cluster with the same value, undefined when it may join. */
  conflict(
    cluster: ClusterFacts,
    placed: readonly string[],
    key: string,
    fleet: ReadonlyMap<string, ClusterFacts>,
  ): string | undefined {
    const value = labelValue(cluster.labels, key);
    if (value === undefined) return "";
    // A plain loop: this runs for every fitting cluster of every spread request.
    for (const other of placed) {
      const labels = fleet.get(other)?.labels;
      if (labels !== undefined && labelValue(labels, key) === value) return other;
    }
    return undefined;
  },
  reasons(
    cluster: ClusterFacts,
    placed: readonly string[],
    key: string,
    fleet: ReadonlyMap<string, ClusterFacts>,
  ): readonly Reason[] {
    const sharing = spread.conflict(cluster, placed, key, fleet);
    if (sharing === undefined) return noReasons;
    if (sharing === "") return memo(spreadReasons, `${key}\u0000`, () => why.spreadLabelMissing(key));
    const value = labelValue(cluster.labels, key)!;
    return memo(spreadReasons, `${key}\u0000${value}\u0000${sharing}`, () => why.spreadValueTaken(key, value, sharing));
  },
};

/** Reachability: a cluster that cannot be reached keeps what it runs (stickiness) but takes no new request until it is back. */
export const reachability = {
  reasons(cluster: ClusterFacts): readonly Reason[] {
    if (cluster.unreachable === undefined) return noReasons;
    return memo(unreachableReasons, cluster.unreachable, () => why.unreachable(cluster.unreachable!));
  },
};
const unreachableReasons = new Map<string, readonly Reason[]>();
