// A Git-delivered cluster's objects as files, in the layout Kratix writes to
// its state stores, so Flux setups made for Kratix keep working:
//   <cluster dir>/dependencies/<promise>/<kind>-<namespace>-<name>.yaml
//   <cluster dir>/resources/<team>/<promise>/<request>/<kind>-<namespace>-<name>.yaml
//   <cluster dir>/resources/<team>/environment/...   (the team's namespace, RBAC, quota)
// Flux applies `dependencies` first and `resources` after it. Each directory
// always holds a placeholder object, since Flux fails on a path that does not
// exist. Pure.
import type { Manifest } from "../promise/manifest";
import type { ObjectOwner } from "../promise/plan";

/** One object bound for the cluster, with who owns it (a request's team places its files). */
export interface DeliveredObject {
  owner: ObjectOwner;
  /** The team of a request's or a team environment's object. */
  team?: string;
  manifest: Manifest;
}

export interface ClusterFile {
  /** Relative to the cluster's directory in the store. */
  path: string;
  manifest: Manifest;
}

/**
 * Flux prunes what leaves Git. A namespace leaving would take the team's own
 * objects with it (what issue 19 stopped for directly delivered clusters), and
 * Pledge cannot look inside a cluster it may never reach: Git-delivered
 * namespaces are never pruned, and an emptied one stays for its owner to remove.
 */
export const fluxPruneAnnotation = "kustomize.toolkit.fluxcd.io/prune";

export const placeholderNamespace = "pledge-gitops";

function placeholders(cluster: string): ClusterFile[] {
  return [
    {
      path: "dependencies/pledge-placeholder.yaml",
      manifest: {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: placeholderNamespace, annotations: { [fluxPruneAnnotation]: "disabled" } },
      },
    },
    {
      path: "resources/pledge-placeholder.yaml",
      manifest: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "pledge-delivery", namespace: placeholderNamespace },
        data: { cluster, delivery: "gitops" },
      },
    },
  ];
}

function directoryOf(o: DeliveredObject): string {
  switch (o.owner.kind) {
    case "dependency":
      return `dependencies/${o.owner.promise}`;
    case "team":
      return `resources/${o.owner.team}/environment`;
    case "request":
      return `resources/${o.team ?? "_"}/${o.owner.promise}/${o.owner.request}`;
  }
}

/** A file-name-safe part: lowercase, with anything but letters, digits, '.', '-' and '_' as '-'. */
const safe = (text: string) => text.toLowerCase().replace(/[^a-z0-9._-]+/g, "-");

function fileName(manifest: Manifest, withGroup: boolean): string {
  const group = manifest.apiVersion.includes("/") ? manifest.apiVersion.split("/")[0]! : "core";
  const parts = [withGroup ? `${group}.${manifest.kind}` : manifest.kind, manifest.metadata.namespace, manifest.metadata.name];
  return `${parts
    .filter(Boolean)
    .map((p) => safe(p!))
    .join("-")}.yaml`;
}

function keptNamespace(manifest: Manifest): Manifest {
  if (manifest.kind !== "Namespace" || manifest.apiVersion !== "v1") return manifest;
  const annotations = { ...manifest.metadata.annotations, [fluxPruneAnnotation]: "disabled" };
  return { ...manifest, metadata: { ...manifest.metadata, annotations } };
}

/** Every file of one Git-delivered cluster's directory, sorted by path. */
export function clusterFiles(cluster: string, objects: readonly DeliveredObject[]): ClusterFile[] {
  const files = new Map<string, ClusterFile>();
  for (const o of objects) {
    const dir = directoryOf(o);
    let path = `${dir}/${fileName(o.manifest, false)}`;
    // Two kinds of one name in different API groups (a Certificate of two issuers' groups) need the group to differ.
    if (files.has(path)) path = `${dir}/${fileName(o.manifest, true)}`;
    files.set(path, { path, manifest: keptNamespace(o.manifest) });
  }
  for (const p of placeholders(cluster)) files.set(p.path, p);
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
