// Drift found by listing, not by reading every object: before an update,
// `pledge up` lists each kind of object it applied once per namespace and
// cluster, and compares what it finds with what the state says was applied.
// Only objects that are gone or changed are refreshed from the clusters; the
// rest are known to be as Pledge left them. A spec change bumps an object's
// generation, any change bumps a resourceVersion, and a label or annotation
// Pledge set must still have its value, so a cheap comparison is enough. When
// it cannot decide (a cluster without credentials in the state, a list that
// fails), it says so and the update refreshes everything, as before.
import type { KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import { objectClient } from "./kube-client";
import { objectIdentity, plainValue, providerKubeconfigs, type StateResource } from "../stack/state-objects";

/** What the state says about one object Pledge applied. */
export interface AppliedState {
  urn: string;
  cluster: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  generation?: number;
  resourceVersion?: string;
  /** Labels and annotations Pledge set (the inputs), which must be live unchanged. */
  owned: { labels: Record<string, string>; annotations: Record<string, string> };
}

export interface LiveState {
  generation?: number;
  resourceVersion?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const record = (value: unknown): Record<string, string> =>
  typeof value === "object" && value !== null ? (value as Record<string, string>) : {};

/** Every Kubernetes object of the state with its cluster (charts' and YAML files' components left out: they are not objects). */
export function appliedStates(resources: readonly StateResource[]): AppliedState[] {
  return resources.flatMap((r): AppliedState[] => {
    const identity = objectIdentity(r);
    if (!identity) return [];
    const metadata = record(r.outputs?.metadata) as unknown as { generation?: unknown; resourceVersion?: unknown };
    const inputs = record(plainValue(r.inputs?.metadata)) as unknown as { labels?: unknown; annotations?: unknown };
    return [
      {
        ...identity,
        ...(typeof metadata.generation === "number" ? { generation: metadata.generation } : {}),
        ...(typeof metadata.resourceVersion === "string" ? { resourceVersion: metadata.resourceVersion } : {}),
        owned: { labels: record(plainValue(inputs.labels)), annotations: record(plainValue(inputs.annotations)) },
      },
    ];
  });
}

/**
 * Whether an object may have drifted: gone, its spec changed (generation),
 * or, for kinds without a generation, anything changed (resourceVersion), or a
 * label or annotation Pledge set is gone or different. Pure.
 */
export function hasDrifted(applied: AppliedState, live: LiveState | undefined): boolean {
  if (!live) return true;
  const owned = (mine: Record<string, string>, theirs: Record<string, string>) =>
    Object.entries(mine).every(([k, v]) => theirs[k] === v);
  if (!owned(applied.owned.labels, live.labels) || !owned(applied.owned.annotations, live.annotations)) return true;
  if (applied.generation !== undefined && live.generation !== undefined) return applied.generation !== live.generation;
  return applied.resourceVersion === undefined || applied.resourceVersion !== live.resourceVersion;
}

/** One list call: a kind in a namespace (or cluster-wide) on one cluster. */
const groupKey = (o: AppliedState) => `${o.cluster}\u0000${o.apiVersion}\u0000${o.kind}\u0000${o.namespace ?? ""}`;

/**
 * The URNs to refresh before this update, or undefined when the check cannot
 * decide (then everything is refreshed). Clusters in `skip` (unreachable) are left out.
 */
export async function driftedUrns(
  resources: readonly StateResource[],
  skip: ReadonlySet<string>,
  /** Why the check could not decide, when it cannot (then everything is refreshed, which is slow: it is worth saying). */
  undecided: (why: string) => void = () => {},
  timeoutMs?: number,
): Promise<string[] | undefined> {
  const applied = appliedStates(resources).filter((o) => !skip.has(o.cluster));
  // A bound that grows with the stack: thousands of objects on busy API servers take longer to list than a few.
  const bound = timeoutMs ?? 30_000 + 20 * applied.length;
  const kubeconfigs = providerKubeconfigs(resources);
  const clients = new Map<string, KubernetesObjectApi>();
  for (const cluster of new Set(applied.map((o) => o.cluster))) {
    const access = kubeconfigs.get(cluster);
    if (!access) {
      undecided(`no credentials for cluster ${cluster} in the state`);
      return undefined;
    }
    try {
      clients.set(cluster, objectClient(access.kubeconfig, access.context));
    } catch (err) {
      undecided(`the credentials of cluster ${cluster} in the state do not load: ${String(err).split("\n")[0]}`);
      return undefined;
    }
  }
  const groups = new Map<string, AppliedState[]>();
  for (const o of applied) groups.set(groupKey(o), [...(groups.get(groupKey(o)) ?? []), o]);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>(
    (resolve) =>
      (timer = setTimeout(() => {
        undecided(`listing ${applied.length} objects took longer than ${Math.round(bound / 1000)} s`);
        resolve(undefined);
      }, bound)),
  );
  const listed = Promise.all(
    [...groups.values()].map(async (objects) => {
      const { cluster, apiVersion, kind, namespace } = objects[0]!;
      const list = await clients.get(cluster)!.list<KubernetesObject>(apiVersion, kind, namespace);
      const live = new Map(
        list.items.map((item) => [
          item.metadata?.name ?? "",
          {
            ...(item.metadata?.generation !== undefined ? { generation: item.metadata.generation } : {}),
            ...(item.metadata?.resourceVersion !== undefined ? { resourceVersion: item.metadata.resourceVersion } : {}),
            labels: item.metadata?.labels ?? {},
            annotations: item.metadata?.annotations ?? {},
          },
        ]),
      );
      return objects.filter((o) => hasDrifted(o, live.get(o.name))).map((o) => o.urn);
    }),
  ).then(
    (urns) => urns.flat().sort(),
    (err: unknown) => {
      // A kind the server no longer serves, a refused list: refresh everything.
      undecided(`a list failed: ${String(err instanceof Error ? err.message : err).split("\n")[0]}`);
      return undefined;
    },
  );
  try {
    return await Promise.race([listed, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
