// One request's placement against the load left by the requests before it:
// pick clusters one at a time (fewest untolerated PreferNoSchedule taints, then
// least load, then name), then judge every cluster and explain the outcome.
import { availability, placedOn } from "./explain";
import type { ClusterFacts } from "./facts";
import { labelValue } from "../labels/labels";
import { capacity, noReasons, reachability, spread } from "./rules";
import { compareText, unique } from "../labels/ordering";
import { spareVerdict, type ClusterVerdict, type Move, type RequestPlacement } from "./outcome";
import * as why from "./reasons";
import type { Reason } from "./reasons";
import type { RequestPlan, SpreadGroups } from "./request-plan";
import { formatTaint, untoleratedPreferences } from "../labels/taints";

/** Requests placed so far in this run, per cluster: kept ones first, then new ones as they are chosen. */
export class Load {
  private readonly counts = new Map<string, number>();
  /** Clusters at or over capacity: the only ones capacity can block, kept so judging need not visit every cluster. */
  readonly full = new Set<string>();

  /** Clusters that cannot be reached this run: like full ones, they take nothing new and are always judged. */
  readonly unreachable = new Set<string>();

  /** A cluster of capacity 0 is full before anything is placed. */
  constructor(clusters: readonly ClusterFacts[] = []) {
    for (const cluster of clusters) {
      if (capacity.isFull(cluster, 0)) this.full.add(cluster.name);
      if (cluster.unreachable !== undefined) this.unreachable.add(cluster.name);
    }
  }

  get(cluster: string): number | undefined {
    return this.counts.get(cluster);
  }

  /** Gives back a placement (a compound request that could not be placed whole releases what it took). */
  remove(cluster: ClusterFacts): void {
    const count = Math.max(0, (this.counts.get(cluster.name) ?? 0) - 1);
    this.counts.set(cluster.name, count);
    if (!capacity.isFull(cluster, count)) this.full.delete(cluster.name);
  }

  add(cluster: ClusterFacts): number {
    const count = (this.counts.get(cluster.name) ?? 0) + 1;
    this.counts.set(cluster.name, count);
    if (cluster.capacity !== undefined && count >= cluster.capacity) this.full.add(cluster.name);
    return count;
  }
}

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
    load.add(best);
  }

  const status = placed.length >= plan.wanted ? "placed" : placed.length > 0 ? "partial" : "unplaced";
  // Only fitting clusters are judged per request (rejections of the shape are shared),
  // and without spread only those that can differ from a plain spare: placed, full, ranked lower.
  const judged = notablyFitting(plan, placed, load, fleet);
  const verdicts: ClusterVerdict[] = [];
  for (const cluster of judged) {
    const verdict = verdictOf(cluster, placed, chosen, plan, fleet, load);
    if (verdict) verdicts.push(verdict);
  }
  // A cordoned cluster that keeps the request is judged but is not one of the fitting clusters.
  let judgedFitting = 0;
  for (const verdict of verdicts) if (plan.fit.fittingNames.has(verdict.cluster)) judgedFitting += 1;
  const spare = plan.fit.fitting.length - judgedFitting;
  const missingPins = (plan.pins ?? []).filter((pin) => !fleet.has(pin));
  const rejected =
    missingPins.length === 0
      ? plan.fit.rejectedVerdicts
      : [
          ...plan.fit.rejectedVerdicts,
          ...missingPins.map((pin): ClusterVerdict => ({
            cluster: pin,
            verdict: "rejected",
            reasons: [why.unknownCluster(pin).detail],
          })),
        ].sort((a, b) => compareText(a.cluster, b.cluster));

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
 * Fitting clusters whose verdict may be more than a plain spare, in name order:
 * placed ones, full ones, ones ranked lower, and for spread requests those that
 * lack the label or share a placed cluster's value. The rest are counted, not visited.
 */
function notablyFitting(
  plan: RequestPlan,
  placed: readonly string[],
  load: Load,
  fleet: ReadonlyMap<string, ClusterFacts>,
): ClusterFacts[] {
  const names = new Set<string>(placed);
  for (const name of load.full) if (plan.fit.fittingNames.has(name)) names.add(name);
  for (const name of load.unreachable) if (plan.fit.fittingNames.has(name)) names.add(name);
  for (const name of plan.fit.softNotes.keys()) names.add(name);
  if (plan.spreadBy !== undefined) {
    const groups = spreadGroups(plan.fit, plan.spreadBy);
    for (const cluster of groups.missing) names.add(cluster.name);
    for (const name of placed) {
      const value = labelValue(fleet.get(name)!.labels, plan.spreadBy);
      for (const cluster of (value === undefined ? [] : groups.byValue.get(value)) ?? []) names.add(cluster.name);
    }
  }
  return [...names].sort(compareText).map((name) => fleet.get(name)!);
}

/** The shape's fitting clusters grouped by their value of a spread key, computed once per shape and key. */
function spreadGroups(fit: RequestPlan["fit"], key: string): SpreadGroups {
  let groups = fit.spreadGroups.get(key);
  if (!groups) {
    groups = { byValue: new Map(), missing: [] };
    for (const cluster of fit.fitting) {
      const value = labelValue(cluster.labels, key);
      if (value === undefined) groups.missing.push(cluster);
      else {
        const same = groups.byValue.get(value);
        if (same) same.push(cluster);
        else groups.byValue.set(value, [cluster]);
      }
    }
    fit.spreadGroups.set(key, groups);
  }
  return groups;
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
    if (taken.has(cluster.name) || cluster.unreachable !== undefined) continue;
    const used = load.get(cluster.name) ?? 0;
    if (capacity.isFull(cluster, used)) continue;
    if (plan.spreadBy !== undefined && spread.conflict(cluster, placed, plan.spreadBy, fleet) !== undefined) continue;
    const soft = plan.fit.softNotes.get(cluster.name)?.length ?? 0;
    if (!best || soft < best.soft || (soft === best.soft && used < best.load)) best = { cluster, soft, load: used };
  }
  return best?.cluster;
}

/** One cluster's verdict on a request, with the Reasons behind it: the one judge behind verdicts and summaries. */
interface Judgement {
  cluster: string;
  verdict: ClusterVerdict["verdict"];
  reasons: readonly Reason[];
}

/**
 * Judges a cluster once the request's clusters are chosen: kept or chosen;
 * rejected by a static rule of its shape; blocked by capacity or spread; else a spare.
 */
function judge(
  cluster: ClusterFacts,
  placed: readonly string[],
  chosen: readonly string[],
  plan: RequestPlan,
  fleet: ReadonlyMap<string, ClusterFacts>,
  load: Load,
): Judgement {
  const name = cluster.name;
  if (plan.kept.includes(name)) return { cluster: name, verdict: "kept", reasons: noReasons };
  if (chosen.includes(name)) return { cluster: name, verdict: "chosen", reasons: noReasons };
  const rejected = plan.rejections.get(name);
  if (rejected) return { cluster: name, verdict: "rejected", reasons: rejected };
  const away = reachability.reasons(cluster);
  const full = capacity.reasons(cluster, load.get(name) ?? 0);
  const spreadOut = plan.spreadBy === undefined ? noReasons : spread.reasons(cluster, placed, plan.spreadBy, fleet);
  const blocked = away.length + spreadOut.length === 0 ? full : [...away, ...full, ...spreadOut];
  return { cluster: name, verdict: blocked.length > 0 ? "rejected" : "spare", reasons: blocked };
}

/** A fitting cluster's verdict as published, or undefined for a plain spare (counted, not listed). */
function verdictOf(
  cluster: ClusterFacts,
  placed: readonly string[],
  chosen: readonly string[],
  plan: RequestPlan,
  fleet: ReadonlyMap<string, ClusterFacts>,
  load: Load,
): ClusterVerdict | undefined {
  const judgement = judge(cluster, placed, chosen, plan, fleet, load);
  const name = cluster.name;
  const notes = plan.fit.softNotes.get(name);
  switch (judgement.verdict) {
    case "kept": {
      const cordons = (plan.rejections.get(name) ?? []).flatMap((reason) => (reason.cordon ? [reason.cordon] : []));
      return {
        cluster: name,
        verdict: "kept",
        reasons: ["placed here before", ...unique(cordons).map((cordon) => why.keptDespiteCordon(cordon, plan.key))],
      };
    }
    case "chosen":
      return { cluster: name, verdict: "chosen", reasons: [...(notes ?? [])] };
    case "spare":
      return notes ? spareVerdict(name, plan.wanted, notes) : undefined; // plain spares allocate nothing
    case "rejected": {
      // The same blockage repeats across requests of a shape: share its verdict.
      let key = name;
      for (const reason of judgement.reasons) key += `\u0000${reason.detail}`;
      let verdict = plan.fit.blocked.get(key);
      if (!verdict) {
        verdict = { cluster: name, verdict: "rejected", reasons: judgement.reasons.map((reason) => reason.detail) };
        plan.fit.blocked.set(key, verdict);
      }
      return verdict;
    }
  }
}

/** Every cluster's judgement, for the summary of a request that is not fully placed. */
function judgeAll(
  clusters: readonly ClusterFacts[],
  placed: readonly string[],
  chosen: readonly string[],
  plan: RequestPlan,
  fleet: ReadonlyMap<string, ClusterFacts>,
  load: Load,
  missingPins: readonly string[],
): Judgement[] {
  const judged = clusters.map((cluster) => judge(cluster, placed, chosen, plan, fleet, load));
  for (const pin of missingPins) judged.push({ cluster: pin, verdict: "rejected", reasons: [why.unknownCluster(pin)] });
  return judged;
}

function requestSummary(
  plan: RequestPlan,
  placed: readonly string[],
  status: RequestPlacement["status"],
  judgeEveryCluster: () => readonly Judgement[],
): string {
  if (!plan.promise) return `unplaced: there is no promise named ${plan.request.promise}`;
  if (status === "placed") return placedOn(placed, plan.wanted);
  const judged = judgeEveryCluster();
  const pins = plan.pins;
  const considered = pins ? judged.filter((judgement) => pins.includes(judgement.cluster)) : judged;
  const available = considered.filter((judgement) => judgement.verdict !== "rejected").length;
  const rejected = considered.filter((judgement) => judgement.verdict === "rejected").map((j) => j.reasons);
  const what = pins ? "pinned clusters are available" : "clusters are available";
  const explanation = availability(available, considered.length, what, rejected);
  return status === "partial" ? `${placedOn(placed, plan.wanted)}; ${explanation}` : explanation;
}
