// What each state store should hold after this run: the files of every
// Git-delivered cluster of the stack, under that cluster's directory, from the
// same render plan directly delivered clusters get (same objects, same owners).
// Charts and YAML files arrive here already expanded to their objects: Flux
// applies plain objects. Pure.
import type { Issue } from "../issues";
import { clusterStorePath, type StateStoreEntry } from "../config/state-stores";
import type { ClusterModel } from "../fleet/model";
import { isBuildingBlock } from "../promise/blocks";
import { isSecret, type Manifest } from "../promise/manifest";
import { configKeys } from "../config/keys";
import { secretSeedHint } from "../promise/passwords";
import type { RequestModel } from "../promise/model-types";
import type { PlannedObject } from "../promise/plan";
import { secretData } from "../promise/shard-plan";
import { clusterFiles, type DeliveredObject } from "./layout";
import { desiredFiles } from "./store-files";
import type { DesiredFile } from "./store-inputs";

export interface StoreDelivery {
  store: StateStoreEntry;
  /** Each owned directory -> its cluster and age recipient. */
  prefixes: Record<string, { cluster: string; ageRecipient: string }>;
  files: Record<string, DesiredFile>;
  /** Directories left as they are this run: their clusters were found unreachable. */
  held: string[];
  /** Per cluster: its directory and the objects its files hold (what `pledge status` reads back). */
  clusters: Record<string, { path: string; objects: DeliveredObjectId[] }>;
}

/** An object in a Git-delivered cluster's files, by identity, with its request when it belongs to one. */
export interface DeliveredObjectId {
  request?: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export function isGitDelivered(cluster: Pick<ClusterModel, "delivery">): boolean {
  return cluster.delivery?.gitops !== undefined;
}

export interface DeliveriesInput {
  /** The stack's clusters (a shard's own); only the Git-delivered ones are used. */
  clusters: readonly ClusterModel[];
  stores: readonly StateStoreEntry[];
  requests: readonly RequestModel[];
  /** The stack's planned objects (every cluster: a credentials copy may read a Secret planned elsewhere). */
  objects: readonly PlannedObject[];
  /** Charts' and YAML files' objects, by the block's resource name. */
  expanded: ReadonlyMap<string, readonly Manifest[]>;
  /** Clusters this run leaves alone. */
  unreachable: ReadonlySet<string>;
  /** Keys the Secrets' digests: the stack's secret seed (a digest under a known key would let Git's readers guess a weak secret). */
  digestKey: string | undefined;
}

function copiedSecret(o: PlannedObject, byName: ReadonlyMap<string, PlannedObject>, issues: Issue[]): Manifest {
  const source = byName.get(o.secretDataFrom!);
  if (!source || isBuildingBlock(source.content)) {
    issues.push({
      kind: "promise",
      path: `${o.cluster}: ${o.resourceName}`,
      message: `copies credentials from ${o.secretDataFrom}, which a chart or YAML file renders: a Git-delivered cluster cannot read its live data`,
      hint: "have the part's promise render its Secret as a manifest (generated passwords are derived, so both copies agree)",
    });
    return o.content as Manifest;
  }
  return { ...(o.content as Manifest), data: secretData(source.content as Manifest) };
}

function identity(o: DeliveredObject): DeliveredObjectId {
  const { apiVersion, kind, metadata } = o.manifest;
  return {
    ...(o.owner.kind === "request" ? { request: `${o.owner.promise}/${o.owner.request}` } : {}),
    apiVersion,
    kind,
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    name: metadata.name,
  };
}

/** One StoreDelivery per state store that has a Git-delivered cluster in this stack. */
export function gitopsDeliveries(input: DeliveriesInput): { stores: StoreDelivery[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const byName = new Map(input.objects.map((o) => [o.resourceName, o]));
  const teamOf = new Map(input.requests.map((r) => [`${r.promise}/${r.name}`, r.namespace]));
  const stores = new Map<string, StoreDelivery>();
  for (const cluster of input.clusters) {
    const gitops = cluster.delivery?.gitops;
    if (!gitops) continue;
    const store = input.stores.find((s) => s.name === gitops.store);
    if (!store) throw new Error(`internal: cluster ${cluster.name} names unknown state store ${gitops.store}`);
    const delivery = stores.get(store.name) ?? { store, prefixes: {}, files: {}, held: [], clusters: {} };
    stores.set(store.name, delivery);
    const dir = clusterStorePath(store, cluster);
    delivery.prefixes[dir] = { cluster: cluster.name, ageRecipient: gitops.ageRecipient };
    if (input.unreachable.has(cluster.name)) {
      delivery.held.push(dir);
      delivery.clusters[cluster.name] = { path: dir, objects: [] };
      continue;
    }
    const objects: DeliveredObject[] = input.objects
      .filter((o) => o.cluster === cluster.name)
      .flatMap((o) => {
        const team =
          o.owner.kind === "team"
            ? o.owner.team
            : o.owner.kind === "request"
              ? teamOf.get(`${o.owner.promise}/${o.owner.request}`)
              : undefined;
        if (!isBuildingBlock(o.content)) {
          const manifest = o.secretDataFrom ? copiedSecret(o, byName, issues) : o.content;
          return [{ owner: o.owner, team, manifest }];
        }
        const rendered = input.expanded.get(o.resourceName);
        if (!rendered) throw new Error(`internal: ${o.resourceName} for Git-delivered cluster ${cluster.name} was not rendered`);
        return rendered.map((manifest) => ({ owner: o.owner, team, manifest }));
      });
    delivery.clusters[cluster.name] = { path: dir, objects: objects.map(identity) };
    if (input.digestKey === undefined && objects.some((o) => isSecret(o.manifest))) {
      issues.push({
        path: configKeys.secretSeed,
        message: `is not set, and Secrets for Git-delivered cluster ${cluster.name} carry a digest keyed by it`,
        hint: secretSeedHint,
      });
      continue;
    }
    Object.assign(
      delivery.files,
      desiredFiles(dir, clusterFiles(cluster.name, objects), {
        ageRecipient: gitops.ageRecipient,
        digestKey: input.digestKey ?? "",
      }),
    );
  }
  return { stores: [...stores.values()], issues };
}
