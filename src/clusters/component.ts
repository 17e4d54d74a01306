// pledge:index:Cluster: a cluster in the fleet and its Kubernetes provider.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Labels } from "../core/labels";

export interface ClusterComponentArgs {
  /** Kubeconfig contents; wrapped as a secret here whatever the caller passed. */
  kubeconfig: pulumi.Input<string>;
  /** Kubeconfig context to use; the current context when absent. */
  context?: string;
  /** Stable identity: a kubeconfig change with the same identifier updates the provider in place. */
  clusterIdentifier: string;
  labels: Labels;
}

export class ClusterComponent extends pulumi.ComponentResource {
  readonly provider: k8s.Provider;
  readonly kubeconfig: pulumi.Output<string>;
  readonly labels: pulumi.Output<Labels>;

  constructor(name: string, args: ClusterComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pledge:index:Cluster", name, {}, opts);
    this.kubeconfig = pulumi.secret(args.kubeconfig);
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, context: args.context, clusterIdentifier: args.clusterIdentifier },
      { parent: this },
    );
    this.labels = pulumi.output(args.labels);
    this.registerOutputs({ labels: this.labels });
  }
}
