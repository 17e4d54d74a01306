// Which clusters each wave of a staged rollout holds (pledge:rollout.waves):
// by label selector, in order, the last wave without one taking every cluster
// no earlier wave took. A cluster is in exactly one wave. Pure.
import type { RolloutConfig } from "../config/schema";
import type { ClusterModel } from "./model";
import { keyPath, type Issue } from "../issues";
import { formatSelector, matchesSelector } from "../labels/selectors";

export interface Wave {
  name: string;
  /** Its clusters, in the fleet's order. */
  clusters: string[];
  /** At most this many of its clusters get the change at once; undefined: all of them. */
  maxParallel?: number;
  /** Done only when a person approves it (`pledge rollout approve <name>`). */
  approval: boolean;
}

export function assignWaves(
  rollout: RolloutConfig,
  clusters: readonly Pick<ClusterModel, "name" | "labels">[],
): { waves: Wave[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const base = "pledge:rollout";
  const selected = rollout.waves.map((w) =>
    w.clusters ? clusters.filter((c) => matchesSelector(c.labels, w.clusters!)).map((c) => c.name) : undefined,
  );
  for (const c of clusters) {
    const holders = rollout.waves.filter((_, i) => selected[i]?.includes(c.name)).map((w) => w.name);
    if (holders.length > 1)
      issues.push({
        path: keyPath(base, ["waves"]),
        message: `cluster ${c.name} is in more than one wave: ${holders.join(", ")}`,
        hint: "a cluster is in exactly one wave; narrow the waves' clusters selectors",
      });
  }
  const taken = new Set(selected.flatMap((s) => s ?? []));
  const waves = rollout.waves.map((w, i): Wave => ({
    name: w.name,
    clusters: selected[i] ?? clusters.map((c) => c.name).filter((name) => !taken.has(name)),
    ...(w.maxParallel ? { maxParallel: w.maxParallel } : {}),
    approval: w.approval,
  }));
  const placed = new Set(waves.flatMap((w) => w.clusters));
  const left = clusters.filter((c) => !placed.has(c.name)).map((c) => c.name);
  if (left.length > 0)
    issues.push({
      path: keyPath(base, ["waves"]),
      message: `${left.length === 1 ? "cluster" : "clusters"} ${left.join(", ")} ${left.length === 1 ? "is" : "are"} in no wave`,
      hint: "every cluster is in exactly one wave: add a last wave without a clusters selector to take the rest",
    });
  rollout.waves.forEach((w, i) => {
    if (w.clusters && waves[i]!.clusters.length === 0)
      issues.push({
        path: `${keyPath(base, ["waves", i])}.clusters`,
        message: `wave ${w.name} holds no cluster (${formatSelector(w.clusters) || "{}"} matches none)`,
        hint: "remove the wave or fix its selector",
      });
  });
  return { waves, issues };
}
