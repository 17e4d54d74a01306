// `pledge status [request] [--team T] [--json]`: what a team asked for, where
// it runs and why, whether each of its objects is ready on each cluster (read
// live from the API servers, with the credentials the stack applied them
// with), what it tells the team (outputs), and whether anything was changed
// on a cluster by hand since (drift). Nothing is written.
import { readLive, type ObjectStatus } from "../clusters/live-objects";
import type { StackOutputs } from "../../outputs";
import { EngineListener, type ChangedObject } from "./engine-events";
import { clusterResourcePatterns, unreachableClusters } from "../clusters/reachability";
import { gitDelivery, type GitDeliveryStatus } from "./git-status";
import { appliedObjects, providerKubeconfigs, type StateResource } from "../stack/state-objects";
import { PledgeStack } from "../stack/pledge-stack";
import { stackOutputs } from "../stack/stack-outputs";
import { shardStackName } from "../../fleet/shards";
import { configFileOf } from "./shard-stacks";
import { compareText } from "../../labels/ordering";

export interface ClusterStatus {
  cluster: string;
  ready: boolean;
  objects: ObjectStatus[];
  /** What the promise tells the team on this cluster (host, port, Secret names). */
  outputs: Record<string, string | number | boolean>;
  /** Objects changed or deleted on the cluster outside Pledge since the last update. */
  drift: { object: string; change: "changed" | "deleted" }[];
  /** A Git-delivered cluster: what was committed and whether Flux applied it (observed only where the cluster can be read). */
  delivery?: GitDeliveryStatus;
}

export interface RequestStatus {
  request: string;
  team: string;
  /** A part of a compound request: its parent and its role there. */
  parent?: { key: string; role: string };
  placement: StackOutputs["requests"][string]["status"];
  /** Why it is where it is. */
  summary: string;
  ready: boolean;
  clusters: ClusterStatus[];
}

export interface StatusReport {
  requests: RequestStatus[];
  /** Set when drift could not be read (a refresh preview failed), with why. */
  driftUnknown?: string;
}

export interface StatusOptions {
  request?: string;
  team?: string;
  /** Read drift with a refresh preview (a few seconds more); on by default. */
  drift: boolean;
  projectDir: string;
}

export class StatusArgumentError extends Error {}

function selectRequests(outputs: StackOutputs, options: StatusOptions): string[] {
  const all = Object.keys(outputs.requests).sort();
  if (options.request !== undefined && !outputs.requests[options.request])
    throw new StatusArgumentError(
      `request ${JSON.stringify(options.request)} is not in stack outputs; known: ${all.join(", ") || "(none)"} (give promise/name, e.g. redis/checkout-cache)`,
    );
  const teams = [...new Set(all.map((k) => outputs.requests[k]!.team))].sort();
  if (options.team !== undefined && !teams.includes(options.team))
    throw new StatusArgumentError(
      `team ${JSON.stringify(options.team)} has no requests in this stack; teams with requests: ${teams.join(", ") || "(none)"}`,
    );
  // A compound request comes with its parts, each right after its parent (a tree, depth first).
  const tree = (key: string): string[] => [
    key,
    ...Object.entries(outputs.requests[key]?.parts ?? {})
      .sort(([a], [b]) => compareText(a, b)) // by role
      .flatMap(([, part]) => (outputs.requests[part] ? tree(part) : [])),
  ];
  const roots = all.filter(
    (k) =>
      (options.request === undefined ? !outputs.requests[k]!.parent : k === options.request) &&
      (options.team === undefined || outputs.requests[k]!.team === options.team),
  );
  return [...new Set(roots.flatMap(tree))];
}

/** Objects a refresh would change, by request and cluster. */
async function readDrift(
  stacks: readonly { stack: PledgeStack; configFile?: string }[],
  unreachable: Map<string, string>,
): Promise<Map<string, ChangedObject[]>> {
  const listener = new EngineListener();
  const exclude = [...unreachable.keys()].flatMap(clusterResourcePatterns);
  for (const { stack, configFile } of stacks)
    await stack.previewRefresh({
      onEvent: listener.onEvent,
      ...(exclude.length > 0 ? { exclude, excludeDependents: true } : {}),
      ...(configFile ? { configFile } : {}),
    });
  const byRequestCluster = new Map<string, ChangedObject[]>();
  for (const [cluster, objects] of listener.report().objects) {
    for (const o of objects) {
      if (o.owner?.kind !== "request") continue;
      const key = `${o.owner.request}|${cluster}`;
      byRequestCluster.set(key, [...(byRequestCluster.get(key) ?? []), o]);
    }
  }
  return byRequestCluster;
}

export async function collectStatus(stack: PledgeStack, options: StatusOptions): Promise<StatusReport> {
  const outputs = await stackOutputs(stack);
  const keys = selectRequests(outputs, options);
  // A sharded fleet's objects are in its shards' stacks (run on the fleet stack's config file).
  const stacks = outputs.shards
    ? await Promise.all(
        Object.keys(outputs.shards).map(async (shard) => ({
          stack: await PledgeStack.open(shardStackName(stack.name, shard), false, options.projectDir, false),
          configFile: configFileOf(stack, options.projectDir),
        })),
      )
    : [{ stack }];
  const resources = (
    await Promise.all(
      stacks.map(async (s) => ((await s.stack.exportState()).deployment as { resources?: StateResource[] }).resources ?? []),
    )
  ).flat();
  const wanted = new Set(keys);
  const objects = appliedObjects(resources).filter((o) => o.owner.kind === "request" && wanted.has(o.owner.request));
  const unreachable = await unreachableClusters(stack, options.projectDir);
  const git = await gitDelivery(stack, outputs, wanted, options.projectDir);
  // A Git-delivered cluster's "unreachable" is about its store; its objects are read (or not) through its own kubeconfig.
  const directUnreachable = new Map([...unreachable].filter(([cluster]) => !outputs.gitops?.[cluster]));
  const [live, drift] = await Promise.all([
    readLive([...objects, ...git.objects], new Map([...providerKubeconfigs(resources), ...git.kubeconfigs]), directUnreachable),
    options.drift
      ? readDrift(stacks, unreachable).then(
          (d) => ({ drift: d }),
          (err: unknown) => ({ unknown: String(err instanceof Error ? err.message : err).split("\n")[0]! }),
        )
      : Promise.resolve({ drift: new Map<string, ChangedObject[]>() }),
  ]);
  const driftOf = "drift" in drift ? drift.drift : new Map<string, ChangedObject[]>();
  const requests = keys.map((key): RequestStatus => {
    const out = outputs.requests[key]!;
    const clusters = out.clusters.map((cluster): ClusterStatus => {
      const mine = [...objects, ...git.objects].filter(
        (o) => o.owner.kind === "request" && o.owner.request === key && o.cluster === cluster,
      );
      const delivery = git.clusters.get(cluster);
      const statuses = mine.map((o) => live.get(o.urn)!);
      const changed = (driftOf.get(`${key}|${cluster}`) ?? []).map((c) => ({
        // redis/cache@local-1/Deployment/shop/redis-cache -> Deployment/shop/redis-cache
        object: c.name.replace(/^.*?@[^/]+\//, ""),
        change: c.op === "delete" ? ("deleted" as const) : ("changed" as const),
      }));
      const objectsReady = statuses.length > 0 && statuses.every((s) => s.ready);
      return {
        cluster,
        ready: delivery ? delivery.observed && delivery.applied && objectsReady : objectsReady,
        objects: delivery && !delivery.observed ? [] : statuses,
        outputs: out.outputs[cluster] ?? {},
        drift: changed,
        ...(delivery ? { delivery } : {}),
      };
    });
    return {
      request: key,
      team: out.team,
      ...(out.parent ? { parent: out.parent } : {}),
      placement: out.status,
      summary: out.summary,
      ready: out.status === "placed" && clusters.every((c) => c.ready),
      clusters,
    };
  });
  return { requests, ...("unknown" in drift ? { driftUnknown: drift.unknown } : {}) };
}

/** 0 all ready; 4 something is not ready (missing, unready, unreachable); 2 only some request is not fully placed. */
export function statusExitCode(report: StatusReport): number {
  // A Git-delivered cluster nobody can read is not counted either way: its delivery says "not observed".
  const objectsReady = report.requests.every((r) => r.clusters.every((c) => c.ready || c.delivery?.observed === false));
  if (!objectsReady) return 4;
  return report.requests.every((r) => r.placement === "placed") ? 0 : 2;
}
