// The Kubernetes client the CLI reads and cleans clusters with
// (@kubernetes/client-node), loaded on first use: its module per API group
// is about a third of the CLI's start, commands like `pledge placement` never
// ask a cluster, and `pledge up` loads it while the pulumi CLI reads the stack
// in processes of its own (see warmUp in src/cli/engine/update-stack.ts).
import type * as k8s from "@kubernetes/client-node";

let library: typeof k8s | undefined;

export function kubeClientLibrary(): typeof k8s {
  return (library ??= require("@kubernetes/client-node") as typeof k8s);
}

/** A client config from a kubeconfig's text, at its context when one is named. Throws when the text does not load. */
export function kubeConfigOf(kubeconfig: string, context?: string): k8s.KubeConfig {
  const config = new (kubeClientLibrary().KubeConfig)();
  config.loadFromString(kubeconfig);
  if (context) config.setCurrentContext(context);
  return config;
}

/** A client for any object of the cluster a kubeconfig reaches. */
export function objectClient(kubeconfig: string, context?: string): k8s.KubernetesObjectApi {
  return kubeClientLibrary().KubernetesObjectApi.makeApiClient(kubeConfigOf(kubeconfig, context));
}
