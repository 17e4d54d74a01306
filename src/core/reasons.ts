// Why a cluster cannot take a promise or a request. Each reason is written
// three ways: in full in the cluster's verdict, short enough to count in a
// summary ("2 did not match region In (eu)"), and as the cause of a move.
import { describeFailure, type FailedRequirement } from "../labels/selectors";
import { formatTaint, type Taint } from "../labels/taints";

export interface Reason {
  /** The specific fact, in the cluster's verdict: `request selector: region In (eu) but is "ap"`. */
  readonly detail: string;
  /** After a count of 1 in a summary: `did not match region In (eu)`. */
  readonly one: string;
  /** After a count above 1 in a summary. */
  readonly many: string;
  /** After "cluster c2 " in a move: `no longer matches region In (eu)`. */
  readonly moved: string;
  /**
   * Set on a cordon (an untolerated NoSchedule taint): the taints as kubectl
   * writes them. Such a reason keeps new work off the cluster but never moves
   * what already runs there, as NoSchedule does in Kubernetes.
   */
  readonly cordon?: string;
}

function mismatch(source: "promise" | "request", failure: FailedRequirement): Reason {
  const phrase = `did not match ${failure.requirement}`;
  return {
    detail: `${source} selector: ${describeFailure(failure)}`,
    one: phrase,
    many: phrase,
    moved: `no longer matches ${failure.requirement}`,
  };
}

export const promiseSelectorMismatch = (failure: FailedRequirement) => mismatch("promise", failure);
export const requestSelectorMismatch = (failure: FailedRequirement) => mismatch("request", failure);

export function untoleratedTaint(taint: Taint): Reason {
  const taintText = formatTaint(taint);
  return {
    detail: `untolerated taint ${taintText}`,
    one: `has untolerated taint ${taintText}`,
    many: `have untolerated taint ${taintText}`,
    moved: `now has untolerated taint ${taintText}`,
  };
}

/**
 * Untolerated NoSchedule taints on a cluster that already runs the promise: a
 * cordon. Its dependencies and the requests placed there stay; nothing new goes there.
 */
export function cordoned(taints: readonly Taint[]): Reason {
  const cordon = taints.map(formatTaint).join(", ");
  return {
    detail: `cordoned by ${cordon}: takes no new requests`,
    one: `is cordoned by ${cordon} (keeps what runs there)`,
    many: `are cordoned by ${cordon} (keep what runs there)`,
    // Never the cause of a move (a cordon keeps what runs), but a reason has all four forms.
    moved: `is cordoned by ${cordon}`,
    cordon,
  };
}

/** What a cordoned cluster says about what it keeps: `cordoned by maintenance=true:NoSchedule: keeps redis/a, takes no new requests`. */
export function keptDespiteCordon(cordon: string, what: string): string {
  return `cordoned by ${cordon}: keeps ${what}, takes no new requests`;
}

export function requiredPromiseMissing(required: string): Reason {
  return {
    detail: `requires promise ${required}, which is not eligible here`,
    one: `lacks required promise ${required}`,
    many: `lack required promise ${required}`,
    moved: `no longer has required promise ${required}`,
  };
}

export function requiredPromiseUnknown(required: string): Reason {
  return {
    detail: `requires promise ${required}, which does not exist`,
    one: `lacks required promise ${required}, which does not exist`,
    many: `lack required promise ${required}, which does not exist`,
    moved: `lacks required promise ${required}, which does not exist`,
  };
}

export function requiresCycle(cycle: readonly string[]): Reason {
  const path = cycle.join(" -> ");
  return {
    detail: `promises require each other in a cycle: ${path}`,
    one: `is blocked by the requires cycle ${path}`,
    many: `are blocked by the requires cycle ${path}`,
    moved: `is blocked by the requires cycle ${path}`,
  };
}

export function unknownPromise(promise: string): Reason {
  return {
    detail: `there is no promise named ${promise}`,
    one: `cannot take it: there is no promise named ${promise}`,
    many: `cannot take it: there is no promise named ${promise}`,
    moved: `cannot take it: there is no promise named ${promise}`,
  };
}

export const notPinned: Reason = {
  detail: "not in pin list",
  one: "is not in the pin list",
  many: "are not in the pin list",
  moved: "is not in the request's pin list",
};

export function unknownCluster(cluster: string): Reason {
  return {
    detail: `there is no cluster named ${cluster} in the fleet`,
    one: "does not exist",
    many: "do not exist",
    moved: "was removed",
  };
}

export function full(load: number, capacity: number): Reason {
  const usage = `(${load}/${capacity} requests)`;
  return { detail: `full ${usage}`, one: `is full ${usage}`, many: `are full ${usage}`, moved: `is full ${usage}` };
}

export function spreadValueTaken(key: string, value: string, usedBy: string): Reason {
  const label = `${key}=${value}`;
  return {
    detail: `spread: ${label} already used by cluster ${usedBy}`,
    one: `is in ${label}, already used by ${usedBy}`,
    many: `are in ${label}, already used by ${usedBy}`,
    moved: `is in ${label}, already used by ${usedBy}`,
  };
}

export function spreadLabelMissing(key: string): Reason {
  return {
    detail: `spread: no ${key} label to spread by`,
    one: `has no ${key} label to spread by`,
    many: `have no ${key} label to spread by`,
    moved: `has no ${key} label to spread by`,
  };
}

export function unreachable(why: string): Reason {
  return {
    detail: `unreachable (${why}): takes no new requests until it is back`,
    one: "is unreachable",
    many: "are unreachable",
    moved: "is unreachable",
  };
}

/** A compound request's cluster must also run its parts that go with it. */
export function partCannotRun(role: string, promise: string): Reason {
  return {
    detail: `its part ${role} (promise ${promise}) cannot run here`,
    one: `cannot run its part ${role} (${promise})`,
    many: `cannot run its part ${role} (${promise})`,
    moved: `can no longer run its part ${role} (${promise})`,
  };
}

/** A compound request waits for its parts placed on their own, and a part placed with its parent for the parent. */
export function partNotPlaced(role: string, part: string, summary: string): Reason {
  const text = `its ${role} ${part}: ${summary}`;
  return { detail: text, one: `waits for ${text}`, many: `wait for ${text}`, moved: `lost ${text}` };
}

export function parentNotPlaced(parent: string): Reason {
  const text = `its parent ${parent} is not placed`;
  return { detail: text, one: text, many: text, moved: text };
}
