// What is in the team namespaces an update would delete, read live before the
// update so the program can keep a namespace that holds something Pledge did
// not create (src/promise/namespace-keeping.ts). Every namespaced kind the
// cluster serves is listed once per such namespace; what the state holds is
// Pledge's, and what Kubernetes makes by itself is nobody's.
import type { KubernetesObject, V1APIResource } from "@kubernetes/client-node";
import { kubeClientLibrary, kubeConfigOf } from "./kube-client";
import { namespaceKey, type LeavingNamespace } from "../promise/namespace-keeping";
import { compareText } from "../labels/ordering";
import { objectIdentity, providerKubeconfigs, type StateResource } from "./state-objects";

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

const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "");
const identityKey = (cluster: string, apiVersion: string, kind: string, namespace: string, name: string) =>
  `${cluster}\u0000${groupOf(apiVersion)}\u0000${kind}\u0000${namespace}\u0000${name}`;

/** Whether an object in a leaving namespace is one Pledge did not create (and that does not go with something else). */
export function isForeign(object: KubernetesObject, kind: string, pledgeOwns: (name: string) => boolean): boolean {
  const name = object.metadata?.name ?? "";
  if (derivedKinds.has(kind) || madeByKubernetes(kind, name)) return false;
  // An object with an owner (a ReplicaSet's pods, an operator's children) is deleted with its owner.
  if ((object.metadata?.ownerReferences ?? []).length > 0) return false;
  return !pledgeOwns(name);
}

/** Every namespaced kind the cluster lists, at its preferred version (one entry per kind, not per version). */
async function listableKinds(kubeconfig: string, context: string | undefined): Promise<ListableKind[]> {
  const lib = kubeClientLibrary();
  const config = kubeConfigOf(kubeconfig, context);
  const usable = (r: V1APIResource) => r.namespaced && !r.name.includes("/") && r.verbs.includes("list");
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
  const pledge = new Set<string>();
  for (const r of resources) {
    const id = objectIdentity(r);
    if (id?.namespace) pledge.add(identityKey(id.cluster, id.apiVersion, id.kind, id.namespace, id.name));
  }
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
              for (const item of list.items) {
                const owns = (name: string) => pledge.has(identityKey(cluster, apiVersion, kind, namespace, name));
                if (isForeign(item, kind, owns)) foreign.push(`${kind} ${item.metadata?.name ?? ""}`);
              }
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
