// Which clusters a promise is eligible on: all its selectors match, no
// NoSchedule/NoExecute taint goes untolerated, and every promise it requires is
// itself eligible there. A cluster that had the promise's dependencies at the
// last update and now has only untolerated NoSchedule taints against it is
// cordoned: it keeps the dependencies (and the requests placed there keep their
// place) but takes no new request, as a cordoned node keeps its pods. A
// requires-cycle or an unknown required promise makes the promise eligible
// nowhere, with a reason, instead of failing the stack.
import type { ClusterFacts, PromiseFacts } from "./facts";
import { compareText, sortedUnique } from "../labels/ordering";
import * as why from "./reasons";
import type { Reason } from "./reasons";
import { destinationSelectorReasons, requiredPromiseReasons, taintReasons } from "./rules";
import { untoleratedCordon } from "../labels/taints";

export interface PromiseEligibility {
  readonly promise: string;
  /** Sorted. */
  readonly eligible: readonly string[];
  /** Why each cluster is not eligible; absent or empty for eligible clusters. */
  readonly rejections: ReadonlyMap<string, readonly Reason[]>;
  /** Eligible clusters that are cordoned: they keep what runs there and take no new request, for this reason. */
  readonly cordoned: ReadonlyMap<string, Reason>;
}

/** Each promise's eligible clusters at the last update, by promise name (a cordon keeps them). */
export type PreviousEligibility = ReadonlyMap<string, Iterable<string>>;

/** Eligibility of every promise, by promise name. Clusters must be sorted by name. */
export function assessPromises(
  clusters: readonly ClusterFacts[],
  promises: readonly PromiseFacts[],
  previous: PreviousEligibility = new Map(),
): Map<string, PromiseEligibility> {
  const byName = new Map(promises.map((promise) => [promise.name, promise]));
  const assessed = new Map<string, PromiseEligibility>();

  const assess = (promise: PromiseFacts): PromiseEligibility => {
    const known = assessed.get(promise.name);
    if (known) return known;
    const cycle = shortestCycle(promise.name, byName);
    const required = sortedUnique(promise.requires).map((name) => {
      const facts = byName.get(name);
      // Recursing only outside a cycle follows an acyclic graph, so it terminates;
      // inside one, the cycle reason says everything about the known requirements.
      return { name, known: facts !== undefined, eligibility: facts && !cycle ? assess(facts) : undefined };
    });
    const requiredNames = required.map((r) => r.name);
    const requiredByName = new Map(required.map((r) => [r.name, r]));
    const rejections = new Map<string, Reason[]>();
    const cordoned = new Map<string, Reason>();
    const ranBefore = new Set(previous.get(promise.name) ?? []);
    for (const cluster of clusters) {
      const taints = taintReasons(cluster.taints, promise.tolerations);
      const cordon =
        taints.length > 0 && ranBefore.has(cluster.name) ? untoleratedCordon(cluster.taints, promise.tolerations) : [];
      const reasons = [
        ...destinationSelectorReasons(cluster.labels, promise.selectors),
        ...taints,
        ...(cycle ? [why.requiresCycle(cycle)] : []),
        // Inside a cycle the requirements are not assessed: the cycle reason says it all.
        ...requiredPromiseReasons(requiredNames, (name) => {
          const r = requiredByName.get(name)!;
          return r.known ? !r.eligibility?.rejections.has(cluster.name) : undefined;
        }),
      ];
      // Nothing but a cordon, where the dependencies already run: they stay.
      if (cordon.length > 0 && cordon.length === reasons.length) cordoned.set(cluster.name, why.cordoned(cordon));
      else if (reasons.length > 0) rejections.set(cluster.name, reasons);
    }
    const result: PromiseEligibility = {
      promise: promise.name,
      eligible: clusters.map((cluster) => cluster.name).filter((name) => !rejections.has(name)),
      rejections,
      cordoned,
    };
    assessed.set(promise.name, result);
    return result;
  };

  for (const promise of promises) assess(promise);
  return assessed;
}

/**
 * The shortest way back from `start` to itself through `requires`, e.g. [a, b, a],
 * or undefined if there is none. Breadth-first over sorted names, so the same cycle
 * is always reported the same way.
 */
function shortestCycle(start: string, promises: ReadonlyMap<string, PromiseFacts>): string[] | undefined {
  const cameFrom = new Map<string, string>();
  let frontier = [start];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const name of frontier) {
      for (const required of sortedUnique(promises.get(name)?.requires ?? [])) {
        if (required === start) return [...pathTo(name, cameFrom, start), start];
        if (cameFrom.has(required) || !promises.has(required)) continue;
        cameFrom.set(required, name);
        next.push(required);
      }
    }
    frontier = next.sort(compareText);
  }
  return undefined;
}

function pathTo(name: string, cameFrom: ReadonlyMap<string, string>, start: string): string[] {
  const path = [name];
  let current = name;
  while (current !== start) {
    current = cameFrom.get(current) ?? start;
    path.unshift(current);
  }
  return path;
}
