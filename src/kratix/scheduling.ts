// Kratix's scheduling rules in Pledge's vocabulary (selectors and taints),
// each as Kratix's own code decides it:
// - spec.destinationSelectors is squashed into one matchLabels map, the first
//   entry winning a duplicate key (api/v1alpha1/promise_types.go
//   generateLabelSelectorsFromScheduling), because Pledge would AND a list and
//   turn a Kratix conflict into "eligible nowhere";
// - a pipeline's destination-selectors.yaml adds labels to a request's, the
//   Promise's winning a key both name (internal/controller/scheduler.go
//   resolveDestinationSelectorsForWorkloadGroup);
// - a Destination with strictMatchLabels takes work only when the work has
//   selectors (scheduler.go getDestinationsForWorkloadGroup). Pledge says it
//   with a taint on such a cluster, tolerated by every imported promise whose
//   squashed selector is not empty.
import { keyPath } from "../issues";
import type { LabelSelector } from "../labels/selectors";
import type { Taint, Toleration } from "../labels/taints";

/** Something the import does differently from Kratix, or leaves out, that is not an error. */
export interface KratixNotice {
  /** Where, as issues say it: `promises/kratix/redis.yaml: spec.destinationSelectors[1].matchLabels.env`. */
  path: string;
  message: string;
}

/** Put this taint on a cluster that stands for a Kratix Destination with `strictMatchLabels: true`. */
export const kratixStrictMatchTaint: Taint = Object.freeze({
  key: "kratix.pledge.dev/strict-match-labels",
  effect: "NoSchedule",
});

/** What an imported promise with destination selectors tolerates: the strict-match taint, with any value. */
export const kratixStrictMatchToleration: Toleration = Object.freeze({
  key: kratixStrictMatchTaint.key,
  operator: "Exists",
  effect: "NoSchedule",
});

/**
 * One matchLabels map from spec.destinationSelectors, the first entry winning
 * a key named twice; a later entry with another value for that key gets a notice.
 */
export function squashDestinationSelectors(
  entries: readonly Readonly<Record<string, string>>[],
  where: string,
): { matchLabels: Record<string, string>; notices: KratixNotice[] } {
  const matchLabels: Record<string, string> = {};
  const firstAt = new Map<string, number>();
  const notices: KratixNotice[] = [];
  entries.forEach((labels, i) => {
    for (const [key, value] of Object.entries(labels)) {
      const first = firstAt.get(key);
      if (first === undefined) {
        firstAt.set(key, i);
        matchLabels[key] = value;
      } else if (matchLabels[key] !== value) {
        notices.push({
          path: `${where}: ${keyPath("", ["spec", "destinationSelectors", i, "matchLabels", key])}`,
          message: `${JSON.stringify(value)} is overridden by spec.destinationSelectors[${first}] (${JSON.stringify(matchLabels[key])}): Kratix squashes the selectors into one map and the first entry wins`,
        });
      }
    }
  });
  return { matchLabels, notices };
}

/** Tolerations of an imported promise: the strict-match taint when it has selectors, as Kratix's scheduler decides. */
export function strictMatchTolerations(matchLabels: Readonly<Record<string, string>>): Toleration[] {
  return Object.keys(matchLabels).length > 0 ? [{ ...kratixStrictMatchToleration }] : [];
}

/**
 * A request's placement selector (what a resource pipeline's
 * destination-selectors.yaml said) with the keys the Promise's own selector
 * names taken out: Kratix lets the Promise win those. `overridden` lists them.
 */
export function placementWithinPromise(
  selector: LabelSelector,
  promiseLabels: Readonly<Record<string, string>>,
): { selector: LabelSelector; overridden: string[] } {
  const kept: Record<string, string> = {};
  const overridden: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (Object.hasOwn(promiseLabels, key)) {
      if (promiseLabels[key] !== value) overridden.push(key);
    } else kept[key] = value;
  }
  const out: LabelSelector = {};
  if (Object.keys(kept).length > 0) out.matchLabels = kept;
  if (selector.matchExpressions && selector.matchExpressions.length > 0)
    out.matchExpressions = selector.matchExpressions.map((e) => ({ ...e, ...(e.values ? { values: [...e.values] } : {}) }));
  return { selector: out, overridden };
}
