// One request's placement against the load left by the requests before it:
// pick clusters one at a time (fewest untolerated PreferNoSchedule taints, then
// least load, then name), then judge every cluster and explain the outcome.
import { availability, placedOn } from "./explain";
import type { ClusterFacts } from "./facts";
import { labelValue } from "./labels";
import { compareText } from "./ordering";
import { spareVerdict, type ClusterVerdict, type Move, type RequestPlacement } from "./outcome";
import * as why from "./reasons";
import type { Reason } from "./reasons";
import type { RequestPlan } from "./request-plan";
import { formatTaint, untoleratedPreferences } from "./taints";

/** Requests placed so far in this run, per cluster: kept ones first, then new ones as they are chosen. */
export type Load = Map<string, number>;

/** Places the request and adds its new placements to `load`. */
export function placeRequest(
  plan: RequestPlan,
  clusters: readonly ClusterFacts[],
  fleet: ReadonlyMap<string, ClusterFacts>,
  load: Load,
): RequestPlacement {
  const placed = [...plan.kept];
  const taken = new Set(placed);
  const chosen: string[] = [];
  while (placed.length < plan.wanted) {
    const best = bestCandidate(plan, placed, taken, fleet, load);
    if (!best) break;
    placed.push(best.name);
    taken.add(best.name);
    chosen.push(best.name);
    load.set(best.name, (load.get(best.name) ?? 0) + 1);
  }

  const status = placed.length >= plan.wanted ? "placed" : placed.length > 0 ? "partial" : "unplaced";
  // Only the fitting clusters are judged per request; rejections of the shape are shared.
  const verdicts: ClusterVerdict[] = [];
  let spare = 0;
  for (const cluster of plan.fit.fitting) {
    const verdict = verdictOf(cluster, placed, chosen, plan, fleet, load);
    if (verdict) verdicts.push(verdict);
    else spare++;
  }
  const missingPins = (plan.pins ?? []).filter((pin) => !fleet.has(pin));
  const rejected = missingPins.length === 0
    ? plan.fit.rejectedVerdicts
    : [...plan.fit.rejectedVerdicts, ...missingPins.map((pin): ClusterVerdict => ({ cluster: pin, verdict: "rejected", reasons: [why.unknownCluster(pin).detail] }))].sort((a, b) => compareText(a.cluster, b.cluster));

  return {
    promise: plan.request.promise,
    name: plan.request.name,
    key: plan.key,
    clusters: placed,
    status,
    wanted: plan.wanted,
    moves: plan.lost.map(({ cluster, reason }, index): Move => {
      // Replacements take the lost placements' places in order; any beyond them serve a higher count.
      const to = chosen[index];
      return to === undefined ? { from: cluster, reason } : { from: cluster, to, reason };
    }),
    verdicts,
    rejected,
    spare,
    summary: requestSummary(plan, placed, status, () => judgeAll(clusters, placed, chosen, plan, fleet, load, missingPins)),
  };
}

/**
 * The best cluster that can take the request now: one linear pass over the
 * statically fitting clusters (already in name order, so the first of equals
 * wins the name tie-break), ranked by untolerated PreferNoSchedule taints, then load.
 */
function bestCandidate(
  plan: RequestPlan,
  placed: readonly string[],
  taken: ReadonlySet<string>,
  fleet: ReadonlyMap<string, ClusterFacts>,
  load: Load,
): ClusterFacts | undefined {
  let best: { cluster: ClusterFacts; soft: number; load: number } | undefined;
  for (const cluster of plan.fit.fitting) {
    if (taken.has(cluster.name)) continue;
    const used = load.get(cluster.name) ?? 0;
    if (cluster.capacity !== undefined && used >= cluster.capacity) continue;
    if (plan.spreadBy !== undefined && spreadConflict(cluster, placed, plan.spreadBy, fleet)) continue;
    const soft = cluster.taints.length === 0 ? 0 : softTaints(cluster, plan).length;
    if (!best || soft < best.soft || (soft === best.soft && used < best.load)) best = { cluster, soft, load: used };
  }
  return best?.cluster;
}

function spreadConflict(cluster: ClusterFacts, placed: readonly string[], key: string, fleet: ReadonlyMap<string, ClusterFacts>): boolean {
  return spreadSharing(cluster, placed, key, fleet) !== undefined;
}

/** "" when the cluster lacks the spread label, the name of a placed cluster with the same value, else undefined. */
function spreadSharing(cluster: ClusterFacts, placed: readonly string[], key: string, fleet: ReadonlyMap<string, ClusterFacts>): string | undefined {
  const value = labelValue(cluster.labels, key);
  if (value === undefined) return "";
  return placed.find((other) => {
    const labels = fleet.get(other)?.labels;
    return labels !== undefined && labelValue(labels, key) === value;
  });
}

/** A fitting cluster's verdict, or undefined for a plain spare (counted, not listed). */
function verdictOf(
  cluster: ClusterFacts,
  placed: readonly string[],
  chosen: readonly string[],
  plan: RequestPlan,
  fleet: ReadonlyMap<string, ClusterFacts>,
  load: Load,
): ClusterVerdict | undefined {
  const name = cluster.name;
  if (plan.kept.includes(name)) return { cluster: name, verdict: "kept", reasons: ["placed here before"] };
  if (chosen.includes(name)) return { cluster: name, verdict: "chosen", reasons: softNotes(cluster, plan) };
  const used = load.get(name) ?? 0;
  const full = cluster.capacity !== undefined && used >= cluster.capacity;
  const sharing = plan.spreadBy === undefined ? undefined : spreadSharing(cluster, placed, plan.spreadBy, fleet);
  if (full || sharing !== undefined) {
    // The same blockage repeats across requests of a shape: share its verdict.
    const cacheKey = `${name}\u0000${full ? `${used}/${cluster.capacity}` : ""}\u0000${plan.spreadBy ?? ""}\u0000${sharing ?? "-"}`;
    let verdict = plan.fit.blocked.get(cacheKey);
    if (!verdict) {
      verdict = { cluster: name, verdict: "rejected", reasons: blockers(cluster, placed, plan, fleet, load).map((reason) => reason.detail) };
      plan.fit.blocked.set(cacheKey, verdict);
    }
    return verdict;
  }
  if (cluster.taints.length === 0) return undefined; // the common case allocates nothing
  const notes = softNotes(cluster, plan);
  return notes.length > 0 ? spareVerdict(name, plan.wanted, notes) : undefined;
}

function softNotes(cluster: ClusterFacts, plan: RequestPlan): string[] {
  return softTaints(cluster, plan).map((taint) => `ranked lower for untolerated taint ${formatTaint(taint)}`);
}

interface Judgement {
  cluster: string;
  verdict: ClusterVerdict["verdict"];
  reasons: readonly Reason[];
}

/** Every cluster's verdict with its Reason objects, for the summary of a request that is not fully placed. */
function judgeAll(
  clusters: readonly ClusterFacts[],
  placed: readonly string[],
  chosen: readonly string[],
  plan: RequestPlan,
  fleet: ReadonlyMap<string, ClusterFacts>,
  load: Load,
  missingPins: readonly string[],
): Judgement[] {
  const judged = clusters.map((cluster): Judgement => {
    const name = cluster.name;
    if (plan.kept.includes(name)) return { cluster: name, verdict: "kept", reasons: [] };
    if (chosen.includes(name)) return { cluster: name, verdict: "chosen", reasons: [] };
    const reasons = plan.rejections.get(name) ?? blockers(cluster, placed, plan, fleet, load);
    return { cluster: name, verdict: reasons.length > 0 ? "rejected" : "spare", reasons };
  });
  for (const pin of missingPins) judged.push({ cluster: pin, verdict: "rejected", reasons: [why.unknownCluster(pin)] });
  return judged;
}

/** What stops a statically fitting cluster from taking the request now: capacity and spread. */
function blockers(
  cluster: ClusterFacts,
  placed: readonly string[],
  plan: RequestPlan,
  fleet: ReadonlyMap<string, ClusterFacts>,
  load: Load,
): Reason[] {
  const reasons: Reason[] = [];
  const used = load.get(cluster.name) ?? 0;
  if (cluster.capacity !== undefined && used >= cluster.capacity) reasons.push(why.full(used, cluster.capacity));
  if (plan.spreadBy !== undefined) {
    const key = plan.spreadBy;
    const value = labelValue(cluster.labels, key);
    const sharing = placed.find((other) => {
      const otherLabels = fleet.get(other)?.labels;
      return otherLabels !== undefined && labelValue(otherLabels, key) === value;
    });
    if (value === undefined) reasons.push(why.spreadLabelMissing(key));
    else if (sharing !== undefined) reasons.push(why.spreadValueTaken(key, value, sharing));
  }
  return reasons;
}

function softTaints(cluster: ClusterFacts, plan: RequestPlan) {
  return untoleratedPreferences(cluster.taints, plan.promise?.tolerations ?? []);
}

function requestSummary(
  plan: RequestPlan,
  placed: readonly string[],
  status: RequestPlacement["status"],
  judge: () => readonly Judgement[],
): string {
  if (!plan.promise) return `unplaced: there is no promise named ${plan.request.promise}`;
  if (status === "placed") return placedOn(placed, plan.wanted);
  const judged = judge();
  const pins = plan.pins;
  const considered = pins ? judged.filter((judgement) => pins.includes(judgement.cluster)) : judged;
  const available = considered.filter((judgement) => judgement.verdict !== "rejected").length;
  const rejected = considered.filter((judgement) => judgement.verdict === "rejected").map((j) => j.reasons);
  const what = pins ? "pinned clusters are available" : "clusters are available";
  const explanation = availability(available, considered.length, what, rejected);
  return status === "partial" ? `${placedOn(placed, plan.wanted)}; ${explanation}` : explanation;
}
