// pledge:index:Cluster: a cluster in the fleet and its Kubernetes provider.
// Every source, local or cloud, is one of these, so every provider has the
// same URN shape; a cloud cluster's resources are its children.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Labels } from "../labels/labels";

/** How the provider reaches the cluster. */
export interface ClusterAccess {
  /** Kubeconfig contents; wrapped as a secret here whatever the caller passed. */
  kubeconfig: pulumi.Input<string>;
  /** Kubeconfig context to use; the current context when absent. */
  context?: string;
  /** What must exist before the provider sends anything, e.g. a cloud cluster's node pools. */
  dependsOn?: pulumi.Resource[];
}

export interface ClusterComponentArgs {
  /** Stable identity: a kubeconfig change with the same identifier updates the provider in place. */
  clusterIdentifier: string;
  labels: Labels;
  /** An existing cluster's kubeconfig, or a function that creates the cloud cluster under this component. */
  access: ClusterAccess | ((parent: ClusterComponent) => ClusterAccess);
}

export class ClusterComponent extends pulumi.ComponentResource {
  readonly provider: k8s.Provider;
  readonly kubeconfig: pulumi.Output<string>;
  readonly labels: pulumi.Output<Labels>;

  constructor(name: string, args: ClusterComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pledge:index:Cluster", name, {}, opts);
    const access = typeof args.access === "function" ? args.access(this) : args.access;
    this.kubeconfig = pulumi.secret(access.kubeconfig);
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, context: access.context, clusterIdentifier: args.clusterIdentifier },
      { parent: this, dependsOn: access.dependsOn },
    );
    this.labels = pulumi.output(args.labels);
    this.registerOutputs({ labels: this.labels });
  }
}
