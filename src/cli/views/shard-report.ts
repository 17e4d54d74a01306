// A sharded run as a person reads it: each shard's count on its progress
// line, and each shard's messages as one block once it ends (shards run side
// by side, so their lines would interleave). Pure formatting, said through `say`.
import type { EngineReport } from "../engine/engine-events";

/** What a shard changed (or would change), for its progress line: "12 changed", "3 to change". */
export function changedCount(report: EngineReport, kind: "up" | "preview"): string {
  const changed = [...report.changes.values()].reduce((n, c) => n + Object.values(c).reduce((a, b) => a + (b ?? 0), 0), 0);
  return `${changed} ${kind === "up" ? "changed" : "to change"}`;
}

/** One shard's block: how it ended, then what its run said, indented. */
export function printShardOutcome(
  outcome: { shard: string; stack: string; seconds: number; lines: readonly string[]; error?: string },
  say: (line: string) => void,
): void {
  say(`shard ${outcome.shard} (stack ${outcome.stack}, ${outcome.seconds.toFixed(1)} s): ${outcome.error ? "FAILED" : "done"}`);
  for (const line of outcome.lines) say(`  ${line.replace(/\n/g, "\n  ")}`);
  if (outcome.error) say(`  ${outcome.error.replace(/\n/g, "\n  ")}`);
}
