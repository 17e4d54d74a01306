// The Pulumi side of Git delivery: one state-store resource per store holding
// every Git-delivered cluster's files (one commit per store per update), and
// the render-only provider that expands their charts, since a cluster that
// gets its objects from Git may have no API server Pledge can reach.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StoreDelivery } from "../gitops/deliveries";
import type { GitopsOutput } from "../outputs";
import type { ChartRenderer } from "./block-resources";
import type { RegisteredCluster } from "./registered-cluster";
import { StateStoreCommit } from "./state-store-commit";

/**
 * A provider that never contacts a cluster: in render mode the upstream
 * provider templates charts client side. Nothing is ever registered with it,
 * so its directory stays empty; the path is relative to keep state the same
 * wherever the project is checked out.
 */
export function renderOnlyProvider(): k8s.Provider {
  return new k8s.Provider("pledge-gitops-render", { renderYamlToDirectory: ".pledge-gitops-render" });
}

/** Each cluster's chart renderer: its own provider, the render-only one for a Git-delivered cluster. */
export function chartRenderers(
  clusters: ReadonlyMap<string, RegisteredCluster>,
  throughGit: ReadonlySet<string>,
): Map<string, ChartRenderer> {
  const renderers = new Map<string, ChartRenderer>(clusters);
  if (throughGit.size === 0) return renderers;
  const provider = renderOnlyProvider();
  for (const name of throughGit) renderers.set(name, { provider, provisioned: false });
  return renderers;
}

/**
 * `gitops` of the stack outputs: per Git-delivered cluster its store, directory
 * and the commit the update left (an Output the engine resolves; the outputs
 * type is plain data, hence the cast).
 */
export function gitopsOutputs(
  deliveries: readonly StoreDelivery[],
  commits: ReadonlyMap<string, StateStoreCommit>,
): { gitops?: Record<string, GitopsOutput> } {
  if (deliveries.length === 0) return {};
  const gitops: Record<string, unknown> = {};
  for (const d of deliveries)
    for (const [cluster, { path, objects }] of Object.entries(d.clusters))
      gitops[cluster] = {
        store: d.store.name,
        url: d.store.url,
        branch: d.store.branch,
        path,
        commit: commits.get(d.store.name)!.commit,
        objects,
      };
  return { gitops: gitops as Record<string, GitopsOutput> };
}

/** The commit each store's resource leaves, by store name. */
export function registerStateStores(deliveries: readonly StoreDelivery[], stack: string): Map<string, StateStoreCommit> {
  const resources = new Map<string, StateStoreCommit>();
  for (const d of deliveries) {
    const { credentials } = d.store;
    resources.set(
      d.store.name,
      new StateStoreCommit(`store-${d.store.name}`, {
        store: { name: d.store.name, url: d.store.url, branch: d.store.branch },
        credentials: credentials ? pulumi.secret(credentials) : undefined,
        prefixes: d.prefixes,
        // Secrets are in here in plaintext until the resource encrypts them: the whole map is a Pulumi secret in state.
        files: Object.values(d.files).some((f) => "secret" in f) ? pulumi.secret(d.files) : d.files,
        held: d.held,
        message: `pledge: stack ${stack}`,
      }),
    );
  }
  return resources;
}
