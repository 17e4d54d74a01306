// What placement decides from: the fleet, the promises and the requests as
// plain data, plus where each request was placed last time (for stickiness).
import type { Labels } from "../labels/labels";
import type { LabelSelector } from "../labels/selectors";
import type { Taint, Toleration } from "../labels/taints";

export interface ClusterFacts {
  name: string;
  labels: Labels;
  taints: readonly Taint[];
  /** Most request placements this cluster takes, all promises together; undefined = unlimited. */
  capacity?: number;
  /** Why the cluster cannot be reached in this run (it keeps its placements but takes no new ones); undefined when it can. */
  unreachable?: string;
}

export interface PromiseFacts {
  name: string;
  /** Destination selectors: a cluster must match all of them. */
  selectors: readonly LabelSelector[];
  tolerations: readonly Toleration[];
  /** Names of promises that must be eligible on a cluster before this one can be. */
  requires: readonly string[];
  defaults: { count: number; spreadBy?: string };
}

export interface RequestFacts {
  promise: string;
  /** Unique within the promise. */
  name: string;
  selector?: LabelSelector;
  /** How many clusters; defaults to the promise's default count. Ignored when `pin` is given. */
  count?: number;
  /** A label key whose value must differ across the chosen clusters. */
  spreadBy?: string;
  /**
   * Exactly the clusters the user demands; overrides stickiness. The request then wants
   * one placement per distinct pin, each still subject to eligibility, selector, capacity
   * and spread. Empty means not pinned.
   */
  pin?: readonly string[];
  /**
   * Set on a part of a compound request: the parent's key, the part's role in
   * it, and whether the part goes on the parent's clusters (then placed right
   * after the parent, which only goes where the part's promise can run) or is
   * placed on its own (then before the parent, which stays unplaced unless the
   * part is fully placed).
   */
  parent?: { readonly key: string; readonly role: string; readonly withParent: boolean };
}

/** Last placement of each request, by requestKey, in placement order. */
export type PreviousPlacement = ReadonlyMap<string, readonly string[]>;

export function requestKey(promise: string, name: string): string {
  return `${promise}/${name}`;
}
