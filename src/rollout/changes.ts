// What a change would do on each cluster, from what the cluster has applied
// (the last update's `applied` digests) and what the plan wants now, and which
// of it a staged rollout holds back. Held: every create, update and delete of
// an owner (a team's environment, a promise's dependencies, a request) that is
// on the cluster both before and after; that is "the change". Not held: an
// owner arriving on a cluster (a new request, a new cluster, a promise that
// became eligible, a move: nothing there to protect, unless holdNew says so)
// or leaving it (a removed request: the deletion guard asks for those). Pure.
import { createHash } from "node:crypto";
import { compareText } from "../labels/ordering";
import { canonicalJson } from "../promise/fingerprint";
import type { AppliedDigests } from "./applied";

export type ChangeKind = "create" | "update" | "delete";

export interface HeldChange {
  name: string;
  owner: string;
  kind: ChangeKind;
  /** The digest the plan wants (undefined for a delete). */
  wanted?: string;
}

/** What a change does on one cluster. */
export interface ClusterChange {
  /** What a rollout holds back until the cluster's wave, in name order. */
  held: HeldChange[];
  /** How many objects change without being held (arrivals and departures). */
  free: number;
}

export function clusterChanges(wanted: AppliedDigests, applied: AppliedDigests, holdNew: boolean): Map<string, ClusterChange> {
  const out = new Map<string, ClusterChange>();
  const clusters = new Set([...Object.keys(wanted), ...Object.keys(applied)]);
  for (const cluster of [...clusters].sort(compareText)) {
    const before = applied[cluster] ?? {};
    const after = wanted[cluster] ?? {};
    const change: ClusterChange = { held: [], free: 0 };
    for (const owner of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const was = before[owner] ?? {};
      const is = after[owner] ?? {};
      const stays = Object.keys(was).length > 0 && Object.keys(is).length > 0;
      const arrives = Object.keys(was).length === 0;
      for (const name of new Set([...Object.keys(was), ...Object.keys(is)])) {
        const kind: ChangeKind | undefined =
          was[name] === undefined ? "create" : is[name] === undefined ? "delete" : was[name] !== is[name] ? "update" : undefined;
        if (!kind) continue;
        if (stays || (arrives && holdNew)) change.held.push({ name, owner, kind, ...(is[name] ? { wanted: is[name] } : {}) });
        else change.free++;
      }
    }
    change.held.sort((a, b) => compareText(a.name, b.name));
    if (change.held.length > 0 || change.free > 0) out.set(cluster, change);
  }
  return out;
}

/** Clusters where a rollout holds something back. */
export function clustersWithHeldChanges(changes: ReadonlyMap<string, ClusterChange>): string[] {
  return [...changes].filter(([, c]) => c.held.length > 0).map(([cluster]) => cluster);
}

/** One digest of every held change: the same change (undone, say) is recognised when it comes back. */
export function changeId(changes: ReadonlyMap<string, ClusterChange>): string {
  const entries = [...changes].flatMap(([cluster, c]) => c.held.map((h) => [cluster, h.name, h.kind, h.wanted ?? ""]));
  return createHash("sha256").update(canonicalJson(entries)).digest("hex").slice(0, 16);
}
