// The part of a request's placement that does not depend on other requests:
// how many clusters it wants, which clusters could ever take it, and which of
// its previous clusters it keeps (stickiness) or must leave, and why.
import type { PromiseEligibility } from "./eligibility";
import { moveReason, removedReason } from "./explain";
import type { ClusterFacts, PreviousPlacement, PromiseFacts, RequestFacts } from "./facts";
import { requestKey } from "./facts";
import { unique } from "./ordering";
import * as why from "./reasons";
import type { Reason } from "./reasons";
import { failedRequirements } from "./selectors";

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
): RequestPlan {
  const key = requestKey(request.promise, request.name);
  const pins = request.pin && request.pin.length > 0 ? unique(request.pin) : undefined;
  const wanted = pins ? pins.length : (request.count ?? promise?.defaults.count ?? 1);
  if (!Number.isInteger(wanted) || wanted < 0) {
    throw new RangeError(`request ${key}: count must be a whole number ≥ 0, got ${wanted}`);
  }

  const rejections = new Map<string, readonly Reason[]>();
  for (const cluster of fleet.values()) {
    const reasons = staticRejections(cluster, request, promise, eligibility, pins);
    if (reasons.length > 0) rejections.set(cluster.name, reasons);
  }

  const stillFitting: string[] = [];
  const lost: { cluster: string; reason: string }[] = [];
  for (const cluster of unique(previous.get(key) ?? [])) {
    const reasons = rejections.get(cluster);
    if (!fleet.has(cluster)) lost.push({ cluster, reason: removedReason(cluster) });
    else if (reasons) lost.push({ cluster, reason: moveReason(cluster, reasons) });
    else stillFitting.push(cluster);
  }

  return {
    request,
    key,
    promise,
    wanted,
    spreadBy: request.spreadBy ?? promise?.defaults.spreadBy,
    pins,
    rejections,
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
): readonly Reason[] {
  if (!promise || !eligibility) return [why.unknownPromise(request.promise)];
  // Listing every other fault of a cluster the user did not pin would only be noise.
  if (pins && !pins.includes(cluster.name)) return [why.notPinned];
  return [
    ...(eligibility.rejections.get(cluster.name) ?? []),
    ...(request.selector ? failedRequirements(cluster.labels, request.selector) : []).map(
      why.requestSelectorMismatch,
    ),
  ];
}
