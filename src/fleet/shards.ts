// Shards: a fleet split into separate Pulumi stacks, each applying only its
// own clusters' objects, so no single update holds every cluster's provider
// and every object. Placement is still one decision over the whole fleet (the
// fleet stack's); a shard stack only applies its part of it. Pure.
import type { ShardEntry } from "../config/parse";
import type { Issue } from "../issues";
import { formatSelector, matchesSelector } from "../labels/selectors";
import type { ClusterModel } from "./model";

export interface ShardModel {
  name: string;
  /** Its clusters' names, in config order. */
  clusters: string[];
  configPath: string;
}

/** Each shard with its clusters; every cluster must land in exactly one shard. */
export function assignShards(
  shards: readonly ShardEntry[] | undefined,
  clusters: readonly ClusterModel[],
  issues: Issue[],
): ShardModel[] | undefined {
  if (!shards) return undefined;
  const assigned = shards.map((s) => ({
    name: s.name,
    configPath: s.configPath,
    clusters: clusters.filter((c) => matchesSelector(c.labels, s.clusters)).map((c) => c.name),
  }));
  for (const c of clusters) {
    const holders = assigned.filter((s) => s.clusters.includes(c.name));
    if (holders.length === 1) continue;
    issues.push({
      path: "pledge:shards",
      message:
        holders.length === 0
          ? `cluster ${c.name} is in no shard`
          : `cluster ${c.name} is in more than one shard: ${holders.map((s) => s.name).join(", ")}`,
      hint:
        holders.length === 0
          ? `every cluster belongs to exactly one shard; make one shard's clusters selector match its labels (${labelText(c)})`
          : "every cluster belongs to exactly one shard; narrow the clusters selectors",
    });
  }
  for (const s of assigned) {
    if (s.clusters.length === 0) {
      const entry = shards.find((e) => e.name === s.name)!;
      issues.push({
        path: `${s.configPath}.clusters`,
        message: `shard ${s.name} holds no cluster (${formatSelector(entry.clusters) || "{}"} matches none)`,
        hint: "remove the shard or fix its selector",
      });
    }
  }
  return assigned;
}

function labelText(c: ClusterModel): string {
  return Object.entries(c.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

/** The stack that applies one shard of a fleet stack: dev + eu -> dev.eu. */
export function shardStackName(fleetStack: string, shard: string): string {
  return `${fleetStack}.${shard}`;
}

/**
 * What a run of the program does, by its stack's name. Without shards a stack
 * does everything. With shards, the fleet stack (named in config's file) only
 * decides and records the placement, and `<fleet>.<shard>` applies that shard.
 */
export type StackRole =
  { kind: "whole" } | { kind: "placement"; shards: ShardModel[] } | { kind: "shard"; shard: ShardModel; fleetStack: string };

export function stackRole(stackName: string, shards: readonly ShardModel[] | undefined): StackRole {
  if (!shards) return { kind: "whole" };
  const dot = stackName.lastIndexOf(".");
  if (dot > 0) {
    const shard = shards.find((s) => s.name === stackName.slice(dot + 1));
    if (shard) return { kind: "shard", shard, fleetStack: stackName.slice(0, dot) };
  }
  return { kind: "placement", shards: [...shards] };
}
