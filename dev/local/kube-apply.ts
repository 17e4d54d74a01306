// Server-side apply of plain manifests to a local cluster, for what the fleet
// itself installs (Flux's CRDs and bootstrap objects). The resource path comes
// from the API server's discovery, so a kind's plural is never guessed.
import type { KubeConfig } from "@kubernetes/client-node";
import type { Manifest } from "../../src/promise/manifest";
import { kubeRequest } from "./kube-api";
import { waitFor } from "./wait";

const fieldManager = "pledge-local-fleet";

interface DiscoveredResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** Resolves kinds to resource paths, one discovery request per group/version. */
export class ResourcePaths {
  private readonly groups = new Map<string, Promise<DiscoveredResource[]>>();

  constructor(private readonly conn: KubeConfig) {}

  private resources(apiVersion: string): Promise<DiscoveredResource[]> {
    let found = this.groups.get(apiVersion);
    if (!found) {
      const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      found = kubeRequest<{ resources: DiscoveredResource[] }>(this.conn, "GET", base).then((res) => {
        if (res.status !== 200) throw new Error(`discovery of ${apiVersion} failed: HTTP ${res.status}`);
        return res.body.resources;
      });
      this.groups.set(apiVersion, found);
      found.catch(() => this.groups.delete(apiVersion)); // a group not served yet is asked again next time
    }
    return found;
  }

  async pathOf(manifest: Manifest): Promise<string> {
    const resources = await this.resources(manifest.apiVersion);
    const resource = resources.find((r) => r.kind === manifest.kind && !r.name.includes("/"));
    if (!resource) throw new Error(`the API server does not serve ${manifest.kind} in ${manifest.apiVersion}`);
    const base = manifest.apiVersion.includes("/") ? `/apis/${manifest.apiVersion}` : `/api/${manifest.apiVersion}`;
    const namespace = resource.namespaced ? `/namespaces/${manifest.metadata.namespace ?? "default"}` : "";
    return `${base}${namespace}/${resource.name}/${manifest.metadata.name}`;
  }
}

/** Applies each manifest in order (server-side apply, forcing ownership: the fleet owns these objects). */
export async function applyManifests(conn: KubeConfig, manifests: readonly Manifest[]): Promise<void> {
  const paths = new ResourcePaths(conn);
  for (const manifest of manifests) {
    const path = await paths.pathOf(manifest);
    const res = await kubeRequest(
      conn,
      "PATCH",
      `${path}?fieldManager=${fieldManager}&force=true`,
      manifest,
      "application/apply-patch+yaml",
    );
    if (res.status !== 200 && res.status !== 201) {
      throw new Error(
        `applying ${manifest.kind} ${manifest.metadata.name} failed: HTTP ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
  }
}

/** Waits until every named CRD is Established, so its kind can be applied and watched. */
export async function waitForCrds(conn: KubeConfig, names: readonly string[], timeoutMs = 60_000): Promise<void> {
  for (const name of names) {
    await waitFor(
      `CRD ${name} Established`,
      async () => {
        const res = await kubeRequest(conn, "GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
        const established = res.body?.status?.conditions?.find((c: any) => c.type === "Established");
        return established?.status === "True" ? true : undefined;
      },
      timeoutMs,
    );
  }
}
