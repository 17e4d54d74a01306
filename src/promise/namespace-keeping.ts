// A team's namespace is the team's. When a team's last request leaves a
// cluster, Pledge deletes the objects it created there (the requests' objects,
// the quota, role binding, limit range and network policy), and the namespace
// itself only when nothing else is in it: deleting a namespace deletes
// everything in it, including what the team made there by hand. `pledge up`
// looks into each namespace an update would delete (src/cli/clusters/namespace-contents.ts)
// and hands what it found to the program; a namespace holding objects Pledge did
// not create, or one nobody looked into (plain `pulumi up`, an unreachable
// cluster), is kept, recorded in the outputs and checked again by the next
// update, until it is empty or the platform owner confirms
// (`--allow-delete namespace:<team>@<cluster>`). Pure.
import type { PreviousState } from "../outputs";
import { compareText } from "../labels/ordering";
import { isNamespace, type Manifest } from "./manifest";
import type { RenderPlan } from "./plan";

/** One namespace on one cluster, as confirmations and the outputs name it: `web@local-1`. */
export function namespaceKey(namespace: string, cluster: string): string {
  return `${namespace}@${cluster}`;
}

/** The confirmation that lets an update delete a kept namespace: `namespace:web@local-1`. */
export function namespaceToken(namespace: string, cluster: string): string {
  return `namespace:${namespaceKey(namespace, cluster)}`;
}

/**
 * What `pledge up` found in the namespaces this update would delete, by
 * namespaceKey: the objects Pledge did not create ("ConfigMap team-notes"),
 * empty when Pledge's own objects are all there is. A namespace that is not in
 * the map was not looked into.
 */
export type NamespaceContents = ReadonlyMap<string, readonly string[]>;

export interface LeavingNamespace {
  cluster: string;
  namespace: string;
}

export interface KeptNamespace extends LeavingNamespace {
  /** Why it is kept and what would delete it, for the person running the update. */
  notice: string;
}

/**
 * Team namespaces the last update had on clusters this stack applies (each
 * request's team on each of its clusters, and the namespaces kept then) that
 * this plan no longer has.
 */
export function leavingNamespaces(
  previous: Pick<PreviousState, "placement" | "teams" | "keptNamespaces">,
  plan: RenderPlan,
  /** The clusters this stack applies now: a removed cluster's objects go with it (the deletion guard asks first). */
  clusters: ReadonlySet<string>,
): LeavingNamespace[] {
  const before = new Map<string, LeavingNamespace>();
  for (const [key, on] of previous.placement) {
    const team = previous.teams.get(key);
    if (team) for (const cluster of on) before.set(namespaceKey(team, cluster), { cluster, namespace: team });
  }
  for (const kept of previous.keptNamespaces) before.set(namespaceKey(kept.namespace, kept.cluster), kept);
  const planned = new Set(
    plan.objects.flatMap((o) =>
      o.owner.kind === "team" && isNamespace(o.content as Manifest)
        ? [namespaceKey((o.content as Manifest).metadata.name, o.cluster)]
        : [],
    ),
  );
  return [...before]
    .filter(([key, ns]) => !planned.has(key) && clusters.has(ns.cluster))
    .sort(([a], [b]) => compareText(a, b))
    .map(([, ns]) => ns);
}

function listed(objects: readonly string[]): string {
  const shown = objects.slice(0, 5).join(", ");
  return objects.length > 5 ? `${shown} and ${objects.length - 5} more` : shown;
}

/** The leaving namespaces this update keeps, each with its notice; the rest may be deleted. */
export function keptNamespaces(
  leaving: readonly LeavingNamespace[],
  contents: NamespaceContents | undefined,
  allowed: ReadonlySet<string>,
): KeptNamespace[] {
  // Only the namespace's own confirmation deletes what a team made there: `all` confirms what Pledge made.
  return leaving.flatMap((ns): KeptNamespace[] => {
    const token = namespaceToken(ns.namespace, ns.cluster);
    if (allowed.has(token)) return [];
    const found = contents?.get(namespaceKey(ns.namespace, ns.cluster));
    if (found && found.length === 0) return [];
    const where = `namespace ${ns.namespace} on ${ns.cluster} is kept`;
    const notice = found
      ? `${where}: it holds ${found.length} object${found.length === 1 ? "" : "s"} Pledge did not create (${listed(found)}); pledge up --allow-delete ${token} deletes it`
      : `${where}: what it holds was not checked (its cluster did not answer or could not list it, or this is not pledge up); pledge up checks it again and deletes it when it holds only Pledge's objects, or --allow-delete ${token} deletes it`;
    return [{ ...ns, notice }];
  });
}
