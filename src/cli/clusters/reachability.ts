// Which of a stack's clusters answer right now, asked before an update: a
// cluster that is down, refuses the credentials or fails TLS is named with the
// reason, and the update leaves its objects alone instead of failing on them.
// Clusters Pledge provisions (EKS, AKS, GKE) are not probed here: their
// credentials come from the cloud, through exec plugins, during the update.
import type { KubeConfig } from "@kubernetes/client-node";
import { kubeClientLibrary, kubeConfigOf } from "./kube-client";
import type { PledgeStack } from "../stack/pledge-stack";
import { readKubeconfigs } from "../../run/kubeconfigs";
import { parseStackConfig, type ClusterEntry } from "../../config/parse";
import { configKeys } from "../../config/keys";
import type { StateStoreEntry } from "../../config/state-stores";
import { probeStore } from "../../delivery/store-probe";

/** Why a cluster did not answer, in words a platform owner acts on. */
export function unreachableReason(err: unknown): string {
  const e = err as { code?: string | number; cause?: { code?: string; message?: string }; message?: string; statusCode?: number };
  const code = String(e.cause?.code ?? e.code ?? "");
  if (/ECONNREFUSED/.test(code)) return "connection refused";
  if (/ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|ABORT|TimeoutError/i.test(code) || /timed? ?out|aborted/i.test(e.message ?? ""))
    return "timed out";
  if (/ENOTFOUND|EAI_AGAIN/.test(code)) return "its address does not resolve";
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|EPROTO/i.test(code)) return `TLS: ${e.cause?.message ?? code}`;
  const status = Number(e.code ?? e.statusCode);
  if (status === 401) return "credentials refused (401 Unauthorized)";
  if (status === 403) return "credentials not allowed (403 Forbidden)";
  return (e.cause?.message ?? e.message ?? String(err)).split("\n")[0]!;
}

/** Asks one cluster for its version; undefined when it answers, else why not. */
export async function probeCluster(
  kubeconfig: string,
  context: string | undefined,
  timeoutMs = 5_000,
): Promise<string | undefined> {
  let config: KubeConfig;
  try {
    config = kubeConfigOf(kubeconfig, context);
  } catch (err) {
    return `its kubeconfig cannot be read: ${err instanceof Error ? err.message : String(err)}`;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve("timed out"), timeoutMs)));
  try {
    return await Promise.race([
      config
        .makeApiClient(kubeClientLibrary().VersionApi)
        .getCode()
        .then(() => undefined, unreachableReason),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The stack's registered clusters (local and kubeconfig sources) that do not
 * answer, by name. A config the program would reject is not probed: the
 * update reports its problems.
 */
export async function unreachableClusters(stack: PledgeStack, projectDir: string): Promise<Map<string, string>> {
  const fleet = await fleetConfig(stack);
  if (!fleet) return new Map();
  // A Git-delivered cluster is reached through its store, never through its API server.
  const direct = fleet.clusters.filter((c) => !c.delivery);
  const kubeconfigs = readKubeconfigs(direct, projectDir);
  const probes = await Promise.all([
    ...[...kubeconfigs.sources].map(
      async ([name, source]) => [name, await probeCluster(source.contents, source.context)] as const,
    ),
    ...(await unreachableThroughStores(fleet.clusters, fleet.stateStores)),
  ]);
  return new Map(probes.filter((p): p is readonly [string, string] => p[1] !== undefined));
}

/** The stack's clusters and state stores as config has them; undefined when config would be rejected (the update reports why). */
export async function fleetConfig(
  stack: PledgeStack,
): Promise<{ clusters: ClusterEntry[]; stateStores: StateStoreEntry[] } | undefined> {
  const config = await stack.config();
  const raw = config[configKeys.clusters]?.value;
  if (raw === undefined) return undefined;
  try {
    const stores = config[configKeys.stateStores]?.value;
    const { config: parsed, issues } = parseStackConfig({
      clusters: JSON.parse(raw),
      stateStores: stores === undefined ? undefined : JSON.parse(stores),
    });
    return issues.length > 0 ? undefined : parsed;
  } catch {
    return undefined;
  }
}

/** Kubeconfigs of the Git-delivered clusters that have one: status reads Flux and the objects through them. */
export async function gitopsKubeconfigs(
  stack: PledgeStack,
  projectDir: string,
): Promise<Map<string, { kubeconfig: string; context?: string }>> {
  const fleet = await fleetConfig(stack);
  if (!fleet) return new Map();
  const { sources } = readKubeconfigs(
    fleet.clusters.filter((c) => c.delivery),
    projectDir,
  );
  return new Map(
    [...sources].map(([name, s]) => [name, { kubeconfig: s.contents, ...(s.context ? { context: s.context } : {}) }]),
  );
}

/** Each Git-delivered cluster with why its store did not answer (undefined when it did); one probe per store. */
async function unreachableThroughStores(
  clusters: readonly ClusterEntry[],
  stores: readonly StateStoreEntry[],
): Promise<(readonly [string, string | undefined])[]> {
  const used = stores.filter((s) => clusters.some((c) => c.delivery?.gitops.store === s.name));
  const answers = new Map(await Promise.all(used.map(async (s) => [s.name, await probeStore(s)] as const)));
  return clusters.flatMap((c) => {
    const store = c.delivery && stores.find((s) => s.name === c.delivery!.gitops.store);
    const answer = store && answers.get(store.name);
    if (!store || !answer) return [];
    return [[c.name, answer.ok ? undefined : answer.reason] as const];
  });
}

/** URN patterns of everything Pledge registers for a cluster: its component and provider, team namespaces, and every object placed there. */
export function clusterResourcePatterns(cluster: string): string[] {
  return [`**::${cluster}`, `**::${cluster}-k8s`, `**::${cluster}/**`, `**@${cluster}/**`];
}
