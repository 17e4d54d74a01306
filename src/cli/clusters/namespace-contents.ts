// What is in the team namespaces an update would delete, read live before the
// update so the program can keep a namespace that holds something Pledge did
// not create (src/promise/namespace-keeping.ts). Every namespaced kind the
// cluster serves is listed once per such namespace; what the state holds is
// Pledge's, and what Kubernetes makes by itself is nobody's.
import type { KubernetesObject, V1APIResource } from "@kubernetes/client-node";
import { kubeClientLibrary, kubeConfigOf } from "./kube-client";
import { namespaceKey, type LeavingNamespace } from "../../promise/namespace-keeping";
import { compareText } from "../../labels/ordering";
import { clusterOfProvider, objectIdentity, plainValue, providerKubeconfigs, type StateResource } from "../stack/state-objects";

/** A namespaced kind a cluster serves and can list. */
interface ListableKind {
  apiVersion: string;
  kind: string;
}

/** Kinds whose objects Kubernetes derives from others or records on its own: never a team's work. */
const derivedKinds = new Set(["Event", "Endpoints", "EndpointSlice"]);

/**
 * Objects every namespace gets from Kubernetes itself, which go with it: the
 * root CA bundle and the default service account.
 */
function madeByKubernetes(kind: string, name: string): boolean {
  return (kind === "ConfigMap" && name === "kube-root-ca.crt") || (kind === "ServiceAccount" && name === "default");
}

/** What Pledge put in one namespace, beyond the objects of its state: Helm releases and StatefulSets' volume claims. */
export interface PledgeMade {
  /** Objects of the state, by kind and name. */
  objects: ReadonlySet<string>;
  /** Helm releases Pledge installed here (helm.v3.Release): their objects and release records are Pledge's. */
  releases: ReadonlySet<string>;
  /** `<claim template>-<StatefulSet>` of Pledge's StatefulSets: the volume claims `-<ordinal>` Kubernetes makes for them. */
  claimPrefixes: readonly string[];
}

/** Whether an object in a leaving namespace is one Pledge did not create (and that does not go with something else). */
export function isForeign(object: KubernetesObject, kind: string, pledge: PledgeMade): boolean {
  const name = object.metadata?.name ?? "";
  if (derivedKinds.has(kind) || madeByKubernetes(kind, name)) return false;
  // An object with an owner (a ReplicaSet's pods, an operator's children) is deleted with its owner.
  if ((object.metadata?.ownerReferences ?? []).length > 0) return false;
  if (pledge.objects.has(`${kind}/${name}`)) return false;
  const release = object.metadata?.annotations?.["meta.helm.sh/release-name"];
  if (release !== undefined && pledge.releases.has(release)) return false;
  const labels = object.metadata?.labels ?? {};
  if (kind === "Secret" && labels.owner === "helm" && labels.name !== undefined && pledge.releases.has(labels.name)) return false;
  const claimOf = (prefix: string) => name.startsWith(`${prefix}-`) && /^\d+$/.test(name.slice(prefix.length + 1));
  if (kind === "PersistentVolumeClaim" && pledge.claimPrefixes.some(claimOf)) return false;
  return true;
}

/** What Pledge made in each namespace of each cluster, from the state. */
export function pledgeMade(resources: readonly StateResource[]): Map<string, PledgeMade> {
  const made = new Map<string, { objects: Set<string>; releases: Set<string>; claimPrefixes: string[] }>();
  const at = (cluster: string, namespace: string) => {
    const key = `${cluster}\u0000${namespace}`;
    let entry = made.get(key);
    if (!entry) made.set(key, (entry = { objects: new Set(), releases: new Set(), claimPrefixes: [] }));
    return entry;
  };
  for (const r of resources) {
    if (r.type === "kubernetes:helm.sh/v3:Release") {
      const cluster = clusterOfProvider(r.provider);
      const outputs = (r.outputs ?? {}) as { name?: unknown; namespace?: unknown };
      if (cluster && typeof outputs.name === "string" && typeof outputs.namespace === "string")
        at(cluster, outputs.namespace).releases.add(outputs.name);
      continue;
    }
    const id = objectIdentity(r);
    if (!id?.namespace) continue;
    const entry = at(id.cluster, id.namespace);
    entry.objects.add(`${id.kind}/${id.name}`);
    if (id.kind === "StatefulSet") {
      const templates = (plainValue(r.inputs?.spec) as { volumeClaimTemplates?: { metadata?: { name?: unknown } }[] } | undefined)
        ?.volumeClaimTemplates;
      for (const template of templates ?? [])
        if (typeof template.metadata?.name === "string") entry.claimPrefixes.push(`${template.metadata.name}-${id.name}`);
    }
  }
  return made;
}

/** Every namespaced kind the cluster lists, at its preferred version (one entry per kind, not per version). */
async function listableKinds(kubeconfig: string, context: string | undefined): Promise<ListableKind[]> {
  const lib = kubeClientLibrary();
  const config = kubeConfigOf(kubeconfig, context);
  // Only what can be deleted is content: a view like metrics.k8s.io's PodMetrics (get and list only) goes with the pods.
  const usable = (r: V1APIResource) =>
    r.namespaced && !r.name.includes("/") && r.verbs.includes("list") && r.verbs.includes("delete");
  const core = await config.makeApiClient(lib.CoreV1Api).getAPIResources();
  const groups = await config.makeApiClient(lib.ApisApi).getAPIVersions();
  const custom = config.makeApiClient(lib.CustomObjectsApi);
  const perGroup = await Promise.all(
    groups.groups.map(async (group) => {
      const version = group.preferredVersion?.version ?? group.versions[0]?.version;
      if (!version) return [];
      const list = await custom.getAPIResources({ group: group.name, version });
      return list.resources.filter(usable).map((r) => ({ apiVersion: `${group.name}/${version}`, kind: r.kind }));
    }),
  );
  return [...core.resources.filter(usable).map((r) => ({ apiVersion: "v1", kind: r.kind })), ...perGroup.flat()];
}

/**
 * For each leaving namespace on a cluster that answers, the objects in it that
 * Pledge did not create, as "Kind name" in name order (empty: only Pledge's).
 * A namespace whose cluster does not answer, or is in `skip`, is left out: the
 * program then keeps it and says it was not checked.
 */
export async function namespaceContents(
  resources: readonly StateResource[],
  leaving: readonly LeavingNamespace[],
  skip: ReadonlySet<string>,
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const made = pledgeMade(resources);
  const nothing: PledgeMade = { objects: new Set(), releases: new Set(), claimPrefixes: [] };
  const kubeconfigs = providerKubeconfigs(resources);
  const byCluster = new Map<string, LeavingNamespace[]>();
  for (const ns of leaving) {
    if (skip.has(ns.cluster) || !kubeconfigs.has(ns.cluster)) continue;
    byCluster.set(ns.cluster, [...(byCluster.get(ns.cluster) ?? []), ns]);
  }
  await Promise.all(
    [...byCluster].map(async ([cluster, namespaces]) => {
      const access = kubeconfigs.get(cluster)!;
      try {
        const kinds = await listableKinds(access.kubeconfig, access.context);
        const client = kubeClientLibrary().KubernetesObjectApi.makeApiClient(kubeConfigOf(access.kubeconfig, access.context));
        for (const { namespace } of namespaces) {
          const foreign: string[] = [];
          await Promise.all(
            kinds.map(async ({ apiVersion, kind }) => {
              const list = await client.list<KubernetesObject>(apiVersion, kind, namespace);
              const pledge = made.get(`${cluster}\u0000${namespace}`) ?? nothing;
              for (const item of list.items)
                if (isForeign(item, kind, pledge)) foreign.push(`${kind} ${item.metadata?.name ?? ""}`);
            }),
          );
          found.set(namespaceKey(namespace, cluster), foreign.sort(compareText));
        }
      } catch {
        // Not looked into: the program keeps what it cannot see into, and says so.
      }
    }),
  );
  return found;
}
