// Turns the fleet in config into registered clusters, one per source. Every
// source yields the same RegisteredCluster, so placement and promises never
// care where a cluster came from.
import type { StackModel } from "../config/parse";
import { ClusterComponent } from "./component";
import type { RegisteredCluster } from "./registered";
import type { KubeconfigSource } from "./registered-sources";

export function registerClusters(model: StackModel, kubeconfigs: ReadonlyMap<string, KubeconfigSource>): Map<string, RegisteredCluster> {
  const clusters = new Map<string, RegisteredCluster>();
  for (const c of model.clusters) {
    const source = kubeconfigs.get(c.name)!;
    const component = new ClusterComponent(c.name, {
      kubeconfig: source.contents,
      context: source.context,
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
      provisioned: false,
    });
  }
  return clusters;
}
