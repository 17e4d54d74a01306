// Sentences a person can act on, in the manner of Karmada's
// "0/3 clusters are available: 2 did not match ..., 1 is full (3/3 requests)."
import { compareText, unique } from "../labels/ordering";
import type { Reason } from "./reasons";

/**
 * Counts clusters per reason: `2 did not match region In (eu), 1 is full (3/3 requests)`.
 * A cluster with several reasons counts once under each; most common first, then alphabetical.
 */
export function countReasons(rejections: Iterable<readonly Reason[]>): string {
  const groups = new Map<string, { reason: Reason; clusters: number }>();
  for (const reasons of rejections) {
    for (const one of unique(reasons.map((reason) => reason.one))) {
      const group = groups.get(one);
      if (group) group.clusters += 1;
      else groups.set(one, { reason: reasons.find((reason) => reason.one === one) as Reason, clusters: 1 });
    }
  }
  return [...groups.values()]
    .sort((a, b) => b.clusters - a.clusters || compareText(a.reason.one, b.reason.one))
    .map(({ reason, clusters }) => `${clusters} ${clusters === 1 ? reason.one : reason.many}`)
    .join(", ");
}

/** `0/3 clusters are available: 2 did not match region In (eu).` */
export function availability(available: number, total: number, what: string, rejections: Iterable<readonly Reason[]>): string {
  const reasons = countReasons(rejections);
  return `${available}/${total} ${what}${reasons ? `: ${reasons}` : ""}.`;
}

/** `eligible on c1 (1/3 clusters); 2 did not match region In (eu).` */
export function eligibilitySummary(eligible: readonly string[], total: number, rejections: Iterable<readonly Reason[]>): string {
  if (eligible.length === 0) return availability(0, total, "clusters are eligible", rejections);
  const where = `eligible on ${eligible.join(", ")} (${eligible.length}/${total} clusters)`;
  const reasons = countReasons(rejections);
  return reasons ? `${where}; ${reasons}.` : where;
}

/** `placed on c1, c3 (2/2)` */
export function placedOn(clusters: readonly string[], wanted: number): string {
  const where = clusters.length > 0 ? clusters.join(", ") : "no cluster";
  return `placed on ${where} (${clusters.length}/${wanted})`;
}

/** `cluster c2 no longer matches region In (eu)` */
export function moveReason(cluster: string, reasons: readonly Reason[]): string {
  return `cluster ${cluster} ${unique(reasons.map((reason) => reason.moved)).join(" and ")}`;
}

export function removedReason(cluster: string): string {
  return `cluster ${cluster} was removed`;
}
