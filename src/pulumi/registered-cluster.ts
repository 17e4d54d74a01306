// The one interface every cluster source produces, so promises fan out to an
// EKS cluster exactly as to a local one.
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Labels } from "../labels/labels";
import type { Taint } from "../labels/taints";

export interface RegisteredCluster {
  name: string;
  /** User labels plus derived ones (source, cloud, region, ...). */
  labels: Labels;
  taints: readonly Taint[];
  capacity?: number;
  /** Stable identity given to the provider: credential changes never replace workloads. */
  clusterIdentifier: string;
  /** The cluster's own Kubernetes provider; every object for this cluster goes through it. */
  provider: k8s.Provider;
  /** Parent of everything Pledge creates for the cluster itself. */
  component: pulumi.ComponentResource;
  /** Kubeconfig, always a secret Output. */
  kubeconfig: pulumi.Output<string>;
  /**
   * True when Pledge provisions the cluster: deleting it deletes what runs on
   * it, so objects use deletedWith instead of one delete call each. False for
   * registered clusters (local, existing): leaving the fleet must clean up.
   */
  provisioned: boolean;
}
