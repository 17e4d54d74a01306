// `pledge preview --json | --markdown`: what a change would do, per request
// (its placement, moves, and the objects to create, update or delete on each
// cluster), fit for a pull-request comment. Built from the placement Pledge
// decides and the engine's planned steps. Pure.
import type { Move } from "../../core/outcome";
import type { StackOutputs } from "../../outputs";
import type { ChangeCounts, ChangedObject, EngineReport } from "../engine/engine-events";
import { compareText } from "../../labels/ordering";
import { rolloutPlanMarkdown, type RolloutPlan } from "./rollout-plan-view";

export interface RequestPreview {
  request: string;
  team: string;
  status: string;
  clusters: string[];
  summary: string;
  moves: Move[];
  /** Objects to create / update / replace / delete, per cluster. */
  changes: Record<string, ChangeCounts>;
}

export interface PreviewSummary {
  stack: string;
  requests: RequestPreview[];
  /** Everything to change per cluster (requests, promises' dependencies, team environments). */
  clusters: Record<string, ChangeCounts>;
  /** Objects to delete, per cluster, by resource name: the part a reviewer must not miss. */
  deletions: Record<string, string[]>;
  /** Objects changed on the clusters outside Pledge (the update puts them back). */
  drift: Record<string, string[]>;
  unplaced: string[];
  /** pledge:rollout: the waves, what the change does on each cluster, and what the next pledge up does. */
  rollout?: RolloutPlan;
}

const add = (counts: ChangeCounts, op: keyof ChangeCounts) => ({ ...counts, [op]: (counts[op] ?? 0) + 1 });

export function previewSummary(
  stack: string,
  outputs: StackOutputs,
  report: EngineReport,
  drift: EngineReport | undefined,
  rollout?: RolloutPlan,
): PreviewSummary {
  const perRequest = new Map<string, Record<string, ChangeCounts>>();
  const deletions: Record<string, string[]> = {};
  for (const [cluster, objects] of report.objects) {
    for (const o of objects) {
      if (o.op === "delete" || o.op === "replace")
        deletions[cluster] = [...(deletions[cluster] ?? []), `${o.name}${o.op === "replace" ? " (replaced)" : ""}`];
      if (o.owner?.kind !== "request") continue;
      const changes = perRequest.get(o.owner.request) ?? {};
      changes[cluster] = add(changes[cluster] ?? {}, o.op);
      perRequest.set(o.owner.request, changes);
    }
  }
  // Requests being deleted are no longer in the outputs: they show with their deletions.
  const keys = [...new Set([...Object.keys(outputs.requests), ...perRequest.keys()])].sort();
  return {
    stack,
    requests: keys.map((key) => {
      const r = outputs.requests[key];
      return {
        request: key,
        team: r?.team ?? "",
        status: r?.status ?? "deleted",
        clusters: r?.clusters ?? [],
        summary: r?.summary ?? "no longer requested: deleted",
        moves: r?.moves ?? [],
        changes: perRequest.get(key) ?? {},
      };
    }),
    clusters: Object.fromEntries([...report.changes].sort(([a], [b]) => compareText(a, b))),
    // Engine events come in any order: sorted, so the same change gives the same comment.
    deletions: Object.fromEntries(
      Object.entries(deletions)
        .sort(([a], [b]) => compareText(a, b))
        .map(([c, names]) => [c, [...names].sort()]),
    ),
    drift: Object.fromEntries(
      [...(drift?.objects ?? new Map<string, ChangedObject[]>())]
        .sort(([a], [b]) => compareText(a, b))
        .map(([cluster, objects]) => [
          cluster,
          objects.map((o) => `${o.name} ${o.op === "delete" ? "deleted" : "changed"}`).sort(),
        ]),
    ),
    unplaced: outputs.unplaced,
    ...(rollout ? { rollout } : {}),
  };
}

const countsText = (counts: ChangeCounts) =>
  (["create", "update", "replace", "delete"] as const)
    .filter((op) => counts[op])
    .map((op) => `${counts[op]} to ${op}`)
    .join(", ") || "no changes";

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, "<br>");

/** A pull-request comment: the requests that change first, then every cluster's totals, deletions and drift. */
export function previewMarkdown(summary: PreviewSummary): string {
  const lines = [`### Pledge preview of stack \`${summary.stack}\``, ""];
  const changing = summary.requests.filter(
    (r) => Object.keys(r.changes).length > 0 || r.moves.length > 0 || r.status !== "placed",
  );
  if (changing.length === 0) lines.push("No request changes.", "");
  else {
    lines.push("| request | team | placement | changes |", "|---|---|---|---|");
    for (const r of changing) {
      const moves = r.moves.map((m) => `**moves off ${m.from}${m.to ? ` to ${m.to}` : ""}**: ${m.reason}`);
      const changes = Object.entries(r.changes).map(([c, counts]) => `${c}: ${countsText(counts)}`);
      lines.push(
        `| \`${r.request}\` | ${cell(r.team)} | ${cell([`${r.status}${r.clusters.length ? ` on ${r.clusters.join(", ")}` : ""}`, r.summary, ...moves].join("\n"))} | ${cell(changes.join("\n") || "-")} |`,
      );
    }
    lines.push("");
  }
  lines.push("| cluster | changes |", "|---|---|");
  for (const [cluster, counts] of Object.entries(summary.clusters)) lines.push(`| ${cluster} | ${countsText(counts)} |`);
  if (Object.keys(summary.clusters).length === 0) lines.push("| (all) | no changes |");
  const deletions = Object.entries(summary.deletions);
  if (deletions.length > 0) {
    lines.push("", "**Deletions**", "");
    for (const [cluster, names] of deletions) lines.push(`- ${cluster}: ${names.map((n) => `\`${n}\``).join(", ")}`);
  }
  const drift = Object.entries(summary.drift);
  if (drift.length > 0) {
    lines.push("", "**Drift** (changed on the clusters outside Pledge; the update puts it back)", "");
    for (const [cluster, names] of drift) lines.push(`- ${cluster}: ${names.join(", ")}`);
  }
  if (summary.rollout) lines.push(...rolloutPlanMarkdown(summary.rollout));
  if (summary.unplaced.length > 0)
    lines.push(
      "",
      `**Not fully placed**: ${summary.unplaced.map((k) => `\`${k}\``).join(", ")} (see \`pledge explain <request>\`)`,
    );
  return `${lines.join("\n")}\n`;
}
