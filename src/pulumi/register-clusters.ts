// Turns the fleet in config into registered clusters, one per source. Every
// source yields the same RegisteredCluster, so placement and promises never
// care where a cluster came from: an EKS cluster is provisioned here, a
// kubeconfig cluster only connected, and both fan out alike.
import type { ClusterModel } from "../fleet/model";
import type { StackModel } from "../promise/stack-model";
import { ClusterComponent, type ClusterAccess, type ClusterComponentArgs } from "./cluster";
import type { RegisteredCluster } from "./registered-cluster";
import type { KubeconfigSource } from "../run/kubeconfigs";

// The cloud SDKs take about a second to load: a fleet without cloud clusters never loads them.
const clouds = {
  eks: () => require("./eks") as typeof import("./eks"),
  aks: () => require("./aks") as typeof import("./aks"),
  gke: () => require("./gke") as typeof import("./gke"),
};

/** Sources whose clusters Pledge creates (and deletes). */
export function isProvisioned(c: ClusterModel): boolean {
  return c.source === "eks" || c.source === "aks" || c.source === "gke";
}

function accessFor(c: ClusterModel, kubeconfigs: ReadonlyMap<string, KubeconfigSource>): ClusterComponentArgs["access"] {
  switch (c.source) {
    case "eks":
      return (parent) => {
        const eks = new (clouds.eks().EksCluster)(c.name, c, { parent });
        return { kubeconfig: eks.kubeconfig, dependsOn: eks.nodePools };
      };
    case "aks":
      return (parent) => {
        const aks = new (clouds.aks().AksCluster)(c.name, c, { parent });
        return { kubeconfig: aks.kubeconfig, dependsOn: aks.userPools };
      };
    case "gke":
      return (parent) => {
        const gke = new (clouds.gke().GkeCluster)(c.name, c, { parent });
        return { kubeconfig: gke.kubeconfig, dependsOn: gke.nodePools };
      };
    case "local":
    case "kubeconfig": {
      const source = kubeconfigs.get(c.name);
      if (!source) throw new Error(`internal: no kubeconfig was read for cluster ${c.name}`);
      return { kubeconfig: source.contents, context: source.context } satisfies ClusterAccess;
    }
  }
}

export function registerClusters(
  model: StackModel,
  kubeconfigs: ReadonlyMap<string, KubeconfigSource>,
): Map<string, RegisteredCluster> {
  const clusters = new Map<string, RegisteredCluster>();
  for (const c of model.clusters) {
    const component = new ClusterComponent(c.name, {
      access: accessFor(c, kubeconfigs),
      clusterIdentifier: c.clusterIdentifier,
      labels: c.labels,
    });
    clusters.set(c.name, {
      name: c.name,
      labels: c.labels,
      taints: c.taints,
      capacity: c.capacity,
      clusterIdentifier: c.clusterIdentifier,
      provider: component.provider,
      component,
      kubeconfig: component.kubeconfig,
      provisioned: isProvisioned(c),
    });
  }
  return clusters;
}
