// Fleet placement: which clusters get each promise's dependencies, and which
// cluster(s) each request goes to, with a verdict and reason for every cluster.
// Sticky and deterministic: kept placements are reserved first, then requests
// needing clusters are served in key order, each choice ranked by untolerated
// PreferNoSchedule taints, then load, then name.
import { assessPromises, type PreviousEligibility, type PromiseEligibility } from "./eligibility";
import { eligibilitySummary } from "./explain";
import type { ClusterFacts, PreviousPlacement, PromiseFacts, RequestFacts } from "./facts";
import { requestKey } from "./facts";
import { compareText } from "../labels/ordering";
import type { ClusterVerdict, FleetPlacement, PromisePlacement } from "./outcome";
import { planRequest, type Companion, type RequestPlan, type StaticFitCache } from "./request-plan";
import type { RequestPlacement } from "./outcome";
import * as why from "./reasons";
import type { Reason } from "./reasons";
import { Load, placeRequest } from "./request-placement";

export type { ClusterFacts, PreviousPlacement, PromiseFacts, RequestFacts } from "./facts";
export { requestKey } from "./facts";
export type { ClusterVerdict, FleetPlacement, Move, PromisePlacement, RequestPlacement } from "./outcome";

export interface FleetFacts {
  clusters: readonly ClusterFacts[];
  promises: readonly PromiseFacts[];
  requests: readonly RequestFacts[];
  previous: PreviousPlacement;
  /** Each promise's eligible clusters at the last update: a cordoned cluster keeps them. */
  previousEligible?: PreviousEligibility;
}

export function placeFleet(input: FleetFacts): FleetPlacement {
  const clusters = sortedUniquely(input.clusters, (cluster) => cluster.name, "cluster");
  const promises = sortedUniquely(input.promises, (promise) => promise.name, "promise");
  sortedUniquely(input.requests, (request) => requestKey(request.promise, request.name), "request");
  const fleet = new Map(clusters.map((cluster) => [cluster.name, cluster]));
  const promiseByName = new Map(promises.map((promise) => [promise.name, promise]));
  const eligibility = assessPromises(clusters, promises, ranBefore(input, promiseByName));

  const shapes: StaticFitCache = new Map();
  const children = partsByParent(input.requests);
  // A part placed with its parent makes the parent's clusters need the part's promise too (and its own such parts).
  const companionsOf = (key: string, prefix = ""): Companion[] =>
    (children.get(key) ?? [])
      .filter((c) => c.parent!.withParent)
      .flatMap((c) => {
        const role = `${prefix}${c.parent!.role}`;
        const childKey = requestKey(c.promise, c.name);
        return [{ role, promise: c.promise, eligibility: eligibility.get(c.promise) }, ...companionsOf(childKey, `${role}.`)];
      });
  const planOf = (request: RequestFacts, pinnedTo?: readonly string[]) =>
    planRequest(
      request,
      promiseByName.get(request.promise),
      eligibility.get(request.promise),
      fleet,
      input.previous,
      shapes,
      companionsOf(requestKey(request.promise, request.name)),
      pinnedTo,
    );
  // Parts placed with their parent are planned once the parent's clusters are known.
  const plans = new Map(
    input.requests.filter((r) => !r.parent?.withParent).map((r) => [requestKey(r.promise, r.name), planOf(r)] as const),
  );

  const load = new Load(clusters);
  for (const plan of plans.values()) for (const cluster of plan.kept) load.add(fleet.get(cluster)!);

  const byKey = new Map(input.requests.map((r) => [requestKey(r.promise, r.name), r]));
  const placed = new Map<string, RequestPlacement>();
  const release = (result: RequestPlacement) => {
    for (const cluster of result.clusters) load.remove(fleet.get(cluster)!);
  };
  const planFor = (key: string) => plans.get(key) ?? planOf(byKey.get(key)!, []);
  /** A with-parent part that missed a cluster: its whole with-parent group (root and members placed so far) is not placed. */
  const unplaceGroup = (failedKey: string, failed: RequestPlacement): void => {
    release(failed);
    placed.set(failedKey, { ...failed, clusters: [], status: "unplaced" });
    let root = failedKey;
    while (byKey.get(root)!.parent?.withParent) root = byKey.get(root)!.parent!.key;
    const reason = why.partNotPlaced(byKey.get(failedKey)!.parent!.role, failedKey, failed.summary);
    const members = (key: string): string[] =>
      (children.get(key) ?? [])
        .filter((c) => c.parent!.withParent)
        .flatMap((c) => [requestKey(c.promise, c.name), ...members(requestKey(c.promise, c.name))]);
    for (const member of [root, ...members(root)]) {
      const result = placed.get(member);
      if (!result || member === failedKey || result.status === "unplaced") continue;
      release(result);
      const own = member === root ? reason : why.parentNotPlaced(byKey.get(member)!.parent!.key);
      placed.set(member, notPlaced(planFor(member), clusters, own));
    }
  };
  for (const key of placementOrder(byKey, children)) {
    const request = byKey.get(key)!;
    const waitingFor = (children.get(key) ?? [])
      .filter((c) => !c.parent!.withParent)
      .map((c) => placed.get(requestKey(c.promise, c.name))!)
      .find((part) => part.status !== "placed");
    if (request.parent?.withParent) {
      const parent = placed.get(request.parent.key)!;
      if (parent.clusters.length === 0) {
        placed.set(key, notPlaced(planOf(request, []), clusters, why.parentNotPlaced(parent.key)));
        continue;
      }
      const plan = planOf(request, parent.clusters);
      // Its kept clusters were not reserved up front (its plan needs the parent's clusters): they count now.
      if (!waitingFor) for (const cluster of plan.kept) load.add(fleet.get(cluster)!);
      const result = waitingFor
        ? notPlaced(plan, clusters, partReason(byKey, waitingFor))
        : placeRequest(plan, clusters, fleet, load);
      placed.set(key, result);
      // Placed whole or not at all: the group it goes with gives back what it took, before anything else is placed.
      if (result.status !== "placed") unplaceGroup(key, result);
      continue;
    }
    const plan = plans.get(key)!;
    if (waitingFor) placed.set(key, notPlaced(plan, clusters, partReason(byKey, waitingFor)));
    else placed.set(key, placeRequest(plan, clusters, fleet, load));
  }

  return {
    promises: promises.map((promise) => describePromise(eligibility, promise, clusters)),
    requests: [...placed.values()].sort((a, b) => compareText(a.key, b.key)),
  };
}

/**
 * Where each promise ran at the last update: its dependencies' clusters and its
 * requests' clusters (a request needs its promise's dependencies where it runs),
 * and, wherever a promise ran, the promises it requires (it needs them there).
 */
function ranBefore(input: FleetFacts, promises: ReadonlyMap<string, PromiseFacts>): Map<string, Set<string>> {
  const ran = new Map<string, Set<string>>();
  const add = (promise: string, clusters: Iterable<string>, seen: ReadonlySet<string> = new Set()): void => {
    if (seen.has(promise)) return; // a requires-cycle is eligible nowhere anyway
    const set = ran.get(promise) ?? new Set<string>();
    ran.set(promise, set);
    const list = [...clusters];
    for (const cluster of list) set.add(cluster);
    for (const required of promises.get(promise)?.requires ?? []) add(required, list, new Set([...seen, promise]));
  };
  for (const [promise, clusters] of input.previousEligible ?? []) add(promise, clusters);
  for (const [key, clusters] of input.previous) add(key.slice(0, key.indexOf("/")), clusters);
  return ran;
}

function partsByParent(requests: readonly RequestFacts[]): Map<string, RequestFacts[]> {
  const children = new Map<string, RequestFacts[]>();
  for (const r of requests) {
    if (!r.parent) continue;
    children.set(r.parent.key, [...(children.get(r.parent.key) ?? []), r]);
  }
  for (const list of children.values()) list.sort((a, b) => compareText(a.parent!.role, b.parent!.role));
  return children;
}

/**
 * Requests in key order, except that a part placed on its own comes before
 * its parent and a part placed with its parent right after it. Without
 * compound requests this is plain key order.
 */
function placementOrder(byKey: ReadonlyMap<string, RequestFacts>, children: ReadonlyMap<string, RequestFacts[]>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (key: string): void => {
    if (seen.has(key)) return;
    const request = byKey.get(key)!;
    const parent = request.parent;
    if (parent?.withParent && byKey.has(parent.key) && !seen.has(parent.key)) return visit(parent.key);
    seen.add(key);
    const parts = (children.get(key) ?? []).map((c) => requestKey(c.promise, c.name));
    for (const part of parts) if (!byKey.get(part)!.parent!.withParent) visit(part);
    order.push(key);
    for (const part of parts) if (byKey.get(part)!.parent!.withParent) visit(part);
  };
  for (const key of [...byKey.keys()].sort(compareText)) visit(key);
  return order;
}

function partReason(byKey: ReadonlyMap<string, RequestFacts>, part: RequestPlacement) {
  return why.partNotPlaced(byKey.get(part.key)!.parent!.role, part.key, part.summary);
}

/** A request that is not placed for a reason outside itself (a part, a parent): every cluster says why. */
function notPlaced(plan: RequestPlan, clusters: readonly ClusterFacts[], reason: Reason): RequestPlacement {
  return {
    promise: plan.request.promise,
    name: plan.request.name,
    key: plan.key,
    clusters: [],
    status: "unplaced",
    wanted: plan.wanted,
    moves: [...plan.kept.map((cluster) => ({ cluster, reason: reason.detail })), ...plan.lost].map(({ cluster, reason: r }) => ({
      from: cluster,
      reason: r,
    })),
    verdicts: clusters.map((c) => ({ cluster: c.name, verdict: "rejected", reasons: [reason.detail] })),
    rejected: [],
    spare: 0,
    summary: reason.detail,
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
    const cordon = assessed.cordoned.get(cluster.name)?.cordon;
    if (reasons.length > 0)
      return { cluster: cluster.name, verdict: "rejected", reasons: reasons.map((reason) => reason.detail) };
    if (cordon) return { cluster: cluster.name, verdict: "kept", reasons: [why.keptDespiteCordon(cordon, "its dependencies")] };
    return { cluster: cluster.name, verdict: "chosen", reasons: [] };
  });
  const summary = eligibilitySummary(eligible, clusters.length, [
    ...rejections.values(),
    ...[...assessed.cordoned.values()].map((reason) => [reason]),
  ]);
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
