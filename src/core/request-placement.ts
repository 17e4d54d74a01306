// One request's placement against the load left by the requests before it:
// pick clusters one at a time (fewest untolerated PreferNoSchedule taints, then
// least load, then name), then judge every cluster and explain the outcome.
import { availability, placedOn } from "./explain";
import type { ClusterFacts } from "./facts";
import { labelValue } from "./labels";
import { compareText } from "./ordering";
import type { ClusterVerdict, Move, RequestPlacement } from "./outcome";
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
  const chosen: string[] = [];
  while (placed.length < plan.wanted) {
    const best = clusters
      .filter((cluster) => !placed.includes(cluster.name) && !plan.rejections.has(cluster.name))
      .filter((cluster) => blockers(cluster, placed, plan, fleet, load).length === 0)
      .map((cluster) => ({ cluster, softTaints: softTaints(cluster, plan).length, load: load.get(cluster.name) ?? 0 }))
      .sort((a, b) => a.softTaints - b.softTaints || a.load - b.load || compareText(a.cluster.name, b.cluster.name))[0];
    if (!best) break;
    placed.push(best.cluster.name);
    chosen.push(best.cluster.name);
    load.set(best.cluster.name, best.load + 1);
  }

  const judged = clusters.map((cluster) => judge(cluster, placed, chosen, plan, fleet, load));
  const missingPins = (plan.pins ?? []).filter((pin) => !fleet.has(pin));
  for (const pin of missingPins) judged.push({ cluster: pin, verdict: "rejected", reasons: [why.unknownCluster(pin)] });
  judged.sort((a, b) => compareText(a.cluster, b.cluster));

  const status = placed.length >= plan.wanted ? "placed" : placed.length > 0 ? "partial" : "unplaced";
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
    verdicts: judged.map(({ cluster, verdict, reasons, notes }) => ({
      cluster,
      verdict,
      reasons: [...reasons.map((reason) => reason.detail), ...(notes ?? [])],
    })),
    summary: requestSummary(plan, placed, status, judged),
  };
}

interface Judgement {
  cluster: string;
  verdict: ClusterVerdict["verdict"];
  reasons: readonly Reason[];
  notes?: string[];
}

function judge(
  cluster: ClusterFacts,
  placed: readonly string[],
  chosen: readonly string[],
  plan: RequestPlan,
  fleet: ReadonlyMap<string, ClusterFacts>,
  load: Load,
): Judgement {
  const name = cluster.name;
  const softNotes = softTaints(cluster, plan).map((taint) => `ranked lower for untolerated taint ${formatTaint(taint)}`);
  if (plan.kept.includes(name)) return { cluster: name, verdict: "kept", reasons: [], notes: ["placed here before"] };
  if (chosen.includes(name)) return { cluster: name, verdict: "chosen", reasons: [], notes: softNotes };
  const rejections = plan.rejections.get(name) ?? blockers(cluster, placed, plan, fleet, load);
  if (rejections.length > 0) return { cluster: name, verdict: "rejected", reasons: rejections };
  const spare = `fits, but the request already has its ${plan.wanted} cluster${plan.wanted === 1 ? "" : "s"}`;
  return { cluster: name, verdict: "spare", reasons: [], notes: [spare, ...softNotes] };
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
  judged: readonly Judgement[],
): string {
  if (!plan.promise) return `unplaced: there is no promise named ${plan.request.promise}`;
  if (status === "placed") return placedOn(placed, plan.wanted);
  const pins = plan.pins;
  const considered = pins ? judged.filter((judgement) => pins.includes(judgement.cluster)) : judged;
  const available = considered.filter((judgement) => judgement.verdict !== "rejected").length;
  const rejected = considered.filter((judgement) => judgement.verdict === "rejected").map((j) => j.reasons);
  const what = pins ? "pinned clusters are available" : "clusters are available";
  const explanation = availability(available, considered.length, what, rejected);
  return status === "partial" ? `${placedOn(placed, plan.wanted)}; ${explanation}` : explanation;
}
