// What a person reads of an update or a preview on stderr: the engine's
// warnings, the drift a preview found, what changed (or would change) on each
// cluster, and what a preview would delete. Pure formatting, said through `say`.
import { compareText } from "../../labels/ordering";
import type { ChangeCounts, EngineReport } from "../engine/engine-events";

/** `local-1: 3 created, 1 updated; local-2: no changes` */
export function changesLine(changes: ReadonlyMap<string, ChangeCounts>, clusters: readonly string[], preview: boolean): string[] {
  const words: Record<keyof ChangeCounts, string> = preview
    ? { create: "to create", update: "to update", replace: "to replace", delete: "to delete" }
    : { create: "created", update: "updated", replace: "replaced", delete: "deleted" };
  return [...new Set([...clusters, ...changes.keys()])].sort().map((cluster) => {
    const counts = changes.get(cluster) ?? {};
    const parts = (Object.keys(words) as (keyof ChangeCounts)[])
      .filter((op) => counts[op])
      .map((op) => `${counts[op]} ${words[op]}`);
    return `${cluster}: ${parts.length > 0 ? parts.join(", ") : "no changes"}`;
  });
}

/** Objects a refresh would change: edited or deleted on a cluster by something other than Pledge. */
export function printDrift(report: EngineReport, say: (line: string) => void): void {
  if (report.objects.size === 0) return say("Drift: none (every object is as Pledge last applied it)");
  say("Drift (changed on the clusters outside Pledge; pledge up puts it back):");
  for (const [cluster, objects] of [...report.objects].sort(([a], [b]) => compareText(a, b))) {
    say(`  ${cluster}: ${objects.map((o) => `${o.name} ${o.op === "delete" ? "deleted" : "changed"}`).join(", ")}`);
  }
}

export function printWarnings(report: EngineReport, say: (line: string) => void): void {
  for (const warning of report.warnings) say(`warning: ${warning}`);
}

/** What the run changed (or a preview would change) on each of `clusters`, and what a preview would delete. */
export function printChanges(
  kind: "up" | "preview",
  report: EngineReport,
  clusters: readonly string[],
  say: (line: string) => void,
): void {
  say(
    `${kind === "up" ? "Changes" : "Would change"}:\n${changesLine(report.changes, clusters, kind === "preview")
      .map((l) => `  ${l}`)
      .join("\n")}`,
  );
  if (kind === "preview") {
    for (const [cluster, objects] of report.objects) {
      const deletions = objects.filter((o) => o.op === "delete" || o.op === "replace");
      if (deletions.length > 0)
        say(
          `  ${cluster} would delete: ${deletions.map((o) => `${o.name}${o.op === "replace" ? " (replaced)" : ""}`).join(", ")}`,
        );
    }
  }
}
