// The part of a request's placement that does not depend on other requests:
// how many clusters it wants, which clusters could ever take it, and which of
// its previous clusters it keeps (stickiness) or must leave, and why.
import type { PromiseEligibility } from "./eligibility";
import { moveReason, removedReason } from "./explain";
import type { ClusterFacts, PreviousPlacement, PromiseFacts, RequestFacts } from "./facts";
import type { ClusterVerdict } from "./outcome";
import { requestKey } from "./facts";
import { unique } from "../labels/ordering";
import * as why from "./reasons";
import type { Reason } from "./reasons";
import { pinReasons, requestSelectorReasons } from "./rules";
import { formatTaint, untoleratedPreferences } from "../labels/taints";

/**
 * Which clusters can ever take requests of one shape (promise, selector, pins),
 * computed once per shape and shared: at 10,000 requests over 1,000 clusters
 * most requests repeat a few shapes, and this is most of the work.
 */
export interface StaticFit {
  /** Why each fleet cluster can never take this request, whatever the load; absent when it could. */
  readonly rejections: ReadonlyMap<string, readonly Reason[]>;
  /** Clusters that could take it, in name order. */
  readonly fitting: readonly ClusterFacts[];
  readonly fittingNames: ReadonlySet<string>;
  /** Verdicts of the rejected clusters in name order, shared by every request of this shape (never mutated). */
  readonly rejectedVerdicts: readonly ClusterVerdict[];
  /** Notes for fitting clusters with untolerated PreferNoSchedule taints (ranked lower); absent for the rest. */
  readonly softNotes: ReadonlyMap<string, readonly string[]>;
  /** Fitting clusters grouped by spread key, filled on demand. */
  readonly spreadGroups: Map<string, SpreadGroups>;
  /** Verdicts of clusters blocked by capacity or spread, shared by identical blockage (never mutated). */
  readonly blocked: Map<string, ClusterVerdict>;
}

/** Fitting clusters by their value of one spread key, and those without the label. */
export interface SpreadGroups {
  byValue: Map<string, ClusterFacts[]>;
  missing: ClusterFacts[];
}

export type StaticFitCache = Map<string, StaticFit>;

/** A part that goes with its parent: the parent's clusters must be eligible for the part's promise too. */
export interface Companion {
  role: string;
  promise: string;
  eligibility: PromiseEligibility | undefined;
}

function shapeOf(request: RequestFacts, pins: readonly string[] | undefined, companions: readonly Companion[]): string {
  const parts = companions.map((c) => `${c.role}=${c.promise}`).join(",");
  return `${request.promise}\u0000${JSON.stringify(request.selector ?? null)}\u0000${JSON.stringify(pins ?? null)}\u0000${parts}`;
}

function staticFit(
  request: RequestFacts,
  promise: PromiseFacts | undefined,
  eligibility: PromiseEligibility | undefined,
  fleet: ReadonlyMap<string, ClusterFacts>,
  pins: readonly string[] | undefined,
  cache: StaticFitCache,
  companions: readonly Companion[],
): StaticFit {
  const shape = shapeOf(request, pins, companions);
  const known = cache.get(shape);
  if (known) return known;
  const rejections = new Map<string, readonly Reason[]>();
  const rejectedVerdicts: ClusterVerdict[] = [];
  const fitting: ClusterFacts[] = [];
  for (const cluster of fleet.values()) {
    const reasons = staticRejections(cluster, request, promise, eligibility, pins, companions);
    if (reasons.length > 0) {
      rejections.set(cluster.name, reasons);
      rejectedVerdicts.push({ cluster: cluster.name, verdict: "rejected", reasons: reasons.map((reason) => reason.detail) });
    } else fitting.push(cluster);
  }
  const softNotes = new Map<string, string[]>();
  for (const cluster of fitting) {
    if (cluster.taints.length === 0) continue;
    const soft = untoleratedPreferences(cluster.taints, promise?.tolerations ?? []);
    if (soft.length > 0)
      softNotes.set(
        cluster.name,
        soft.map((taint) => `ranked lower for untolerated taint ${formatTaint(taint)}`),
      );
  }
  const fit = {
    rejections,
    fitting,
    fittingNames: new Set(fitting.map((c) => c.name)),
    rejectedVerdicts,
    softNotes,
    spreadGroups: new Map(),
    blocked: new Map<string, ClusterVerdict>(),
  };
  cache.set(shape, fit);
  return fit;
}

export interface RequestPlan {
  readonly request: RequestFacts;
  readonly key: string;
  readonly promise: PromiseFacts | undefined;
  readonly wanted: number;
  readonly spreadBy: string | undefined;
  /** Distinct pinned clusters in the user's order; undefined when the request is not pinned. */
  readonly pins: readonly string[] | undefined;
  /** Why each fleet cluster can never take this request, whatever the load; absent when it could. */
  readonly rejections: ReadonlyMap<string, readonly Reason[]>;
  /** The request's shape's static fit, shared with requests of the same shape. */
  readonly fit: StaticFit;
  /** Previous clusters the request stays on, in previous order. */
  readonly kept: readonly string[];
  /** Previous clusters the request must leave, in previous order. */
  readonly lost: readonly { cluster: string; reason: string }[];
}

export function planRequest(
  request: RequestFacts,
  promise: PromiseFacts | undefined,
  eligibility: PromiseEligibility | undefined,
  fleet: ReadonlyMap<string, ClusterFacts>,
  previous: PreviousPlacement,
  cache: StaticFitCache = new Map(),
  companions: readonly Companion[] = [],
  /** The parent's clusters, for a part that goes with its parent (overrides the request's own pins). */
  pinnedTo?: readonly string[],
): RequestPlan {
  const key = requestKey(request.promise, request.name);
  const pins = pinnedTo ? unique(pinnedTo) : request.pin && request.pin.length > 0 ? unique(request.pin) : undefined;
  const wanted = pins ? pins.length : (request.count ?? promise?.defaults.count ?? 1);
  if (!Number.isInteger(wanted) || wanted < 0) {
    throw new RangeError(`request ${key}: count must be a whole number ≥ 0, got ${wanted}`);
  }

  const fit = staticFit(request, promise, eligibility, fleet, pins, cache, companions);
  const rejections = fit.rejections;

  const stillFitting: string[] = [];
  const lost: { cluster: string; reason: string }[] = [];
  for (const cluster of unique(previous.get(key) ?? [])) {
    const reasons = rejections.get(cluster);
    if (!fleet.has(cluster)) lost.push({ cluster, reason: removedReason(cluster) });
    // A cordon keeps new requests off, never the ones already there.
    else if (reasons && !reasons.every((reason) => reason.cordon !== undefined))
      lost.push({ cluster, reason: moveReason(cluster, reasons) });
    else stillFitting.push(cluster);
  }
  // A part placed with its parent joins it where the parent runs, a cordon notwithstanding: the group already runs there.
  for (const cluster of pins && pinnedTo ? pins : []) {
    const reasons = rejections.get(cluster);
    if (stillFitting.includes(cluster) || !reasons || !reasons.every((reason) => reason.cordon !== undefined)) continue;
    stillFitting.push(cluster);
  }

  return {
    request,
    key,
    promise,
    wanted,
    spreadBy: request.spreadBy ?? promise?.defaults.spreadBy,
    pins,
    rejections,
    fit,
    // A lowered count drops the latest placements, silently: the user asked for fewer.
    kept: stillFitting.slice(0, wanted),
    lost,
  };
}

function staticRejections(
  cluster: ClusterFacts,
  request: RequestFacts,
  promise: PromiseFacts | undefined,
  eligibility: PromiseEligibility | undefined,
  pins: readonly string[] | undefined,
  companions: readonly Companion[],
): readonly Reason[] {
  if (!promise || !eligibility) return [why.unknownPromise(request.promise)];
  // Listing every other fault of a cluster the user did not pin would only be noise.
  const unpinned = pinReasons(cluster.name, pins);
  if (unpinned.length > 0) return unpinned;
  const ineligible = eligibility.rejections.get(cluster.name);
  const cordon = eligibility.cordoned.get(cluster.name);
  const mismatched = requestSelectorReasons(cluster.labels, request.selector);
  const parts = companions.flatMap((c): Reason[] => {
    if (!c.eligibility || c.eligibility.rejections.has(cluster.name)) return [why.partCannotRun(c.role, c.promise)];
    // A part's cordon, like the request's own, keeps the group where it runs and takes no new one.
    const partCordon = c.eligibility.cordoned.get(cluster.name);
    return partCordon ? [partCordon] : [];
  });
  if (!ineligible && !cordon && parts.length === 0) return mismatched;
  return [...(ineligible ?? []), ...(cordon ? [cordon] : []), ...mismatched, ...parts];
}
