// Turns the fleet in config into registered clusters, one per source. Every
// source yields the same RegisteredCluster, so placement and promises never
// care where a cluster came from: an EKS cluster is provisioned here, a
// kubeconfig cluster only connected, and both fan out alike.
import type { ClusterModel, StackModel } from "../config/parse";
import { AksCluster } from "./aks";
import { ClusterComponent, type ClusterAccess, type ClusterComponentArgs } from "./component";
import { EksCluster } from "./eks";
import { GkeCluster } from "./gke";
import type { RegisteredCluster } from "./registered";
import type { KubeconfigSource } from "./registered-sources";

/** Sources whose clusters Pledge creates (and deletes). */
export function isProvisioned(c: ClusterModel): boolean {
  return c.source === "eks" || c.source === "aks" || c.source === "gke";
}

function accessFor(c: ClusterModel, kubeconfigs: ReadonlyMap<string, KubeconfigSource>): ClusterComponentArgs["access"] {
  switch (c.source) {
    case "eks":
      return (parent) => {
        const eks = new EksCluster(c.name, c, { parent });
        return { kubeconfig: eks.kubeconfig, dependsOn: eks.nodePools };
      };
    case "aks":
      return (parent) => {
        const aks = new AksCluster(c.name, c, { parent });
        return { kubeconfig: aks.kubeconfig, dependsOn: aks.userPools };
      };
    case "gke":
      return (parent) => {
        const gke = new GkeCluster(c.name, c, { parent });
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

export function registerClusters(model: StackModel, kubeconfigs: ReadonlyMap<string, KubeconfigSource>): Map<string, RegisteredCluster> {
  const clusters = new Map<string, RegisteredCluster>();
  for (const c of model.clusters) {
    const component = new ClusterComponent(c.name, { access: accessFor(c, kubeconfigs), clusterIdentifier: c.clusterIdentifier, labels: c.labels });
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
