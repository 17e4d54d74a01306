// The stack model's request and promise types, apart from the code that builds
// them so the expansion of compound promises (compose.ts) and the stack model
// (stack-model.ts) can share them without importing each other.
import type { RequestEntry } from "../config/parse";
import type { LabelSelector } from "../labels/selectors";
import type { Toleration } from "../labels/taints";
import type { PledgePromise } from "./define";

export interface OfferedPromise {
  promise: PledgePromise<unknown>;
  /** The promise's own destination selectors and the platform owner's, all of which must match. */
  selectors: LabelSelector[];
  tolerations: Toleration[];
  placement: { count: number; spreadBy?: string };
}

/** Where a part came from: its parent's key, its role in the parent, and whether it follows the parent's clusters. */
export interface PartOf {
  key: string;
  role: string;
  withParent: boolean;
}

export interface RequestModel extends Omit<RequestEntry, "spec"> {
  /** The spec as the promise's schema returned it (defaults applied). */
  spec: unknown;
  /** The team's namespace on every cluster the request lands on. */
  namespace: string;
  /** Set on a part of a compound request. */
  parent?: PartOf;
}
