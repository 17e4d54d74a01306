// One Kubernetes object of any kind, registered under the same type token the
// typed @pulumi/kubernetes classes use (kubernetes:apps/v1:Deployment, ...), so
// the provider treats it exactly as if it had been written with those classes.
import * as pulumi from "@pulumi/pulumi";
import { isSecret, kubernetesTypeToken, type Manifest } from "../promise/manifest";

/** A Secret's payload wrapped as Pulumi secrets, so neither inputs nor outputs are stored in plaintext. */
function secretInputs(manifest: Manifest): Record<string, unknown> {
  // `data` is always an output (a credentials copy reads it), even when the render gave stringData.
  const inputs: Record<string, unknown> = { data: undefined, ...manifest };
  for (const field of ["data", "stringData"]) {
    if (manifest[field] !== undefined) inputs[field] = pulumi.secret(manifest[field]);
  }
  return inputs;
}

/**
 * Pledge owns the objects it renders: when someone edits one by hand (kubectl
 * scale, a field another tool applied), the next update takes its fields back
 * instead of failing on a server-side-apply conflict. That is drift repair.
 */
export const patchForceAnnotation = "pulumi.com/patchForce";

/**
 * A Service inside the cluster (ClusterIP, NodePort) is not awaited: the
 * provider would wait for it to have endpoints, about 10 s each on the local
 * fleet even when its pods are ready, and the workload behind it is awaited
 * anyway (a Deployment until it is Available), as `kubectl wait` does it.
 * `pledge status` reads a Service's endpoints live. A LoadBalancer is still
 * awaited until it has its address.
 */
export const skipAwaitAnnotation = "pulumi.com/skipAwait";

function awaitsNothingOfItsOwn(manifest: Manifest): boolean {
  const type = (manifest.spec as { type?: unknown } | undefined)?.type ?? "ClusterIP";
  return manifest.kind === "Service" && manifest.apiVersion === "v1" && (type === "ClusterIP" || type === "NodePort");
}

export function owned(manifest: Manifest): Manifest {
  const annotations: Record<string, string> = { ...manifest.metadata.annotations, [patchForceAnnotation]: "true" };
  if (awaitsNothingOfItsOwn(manifest) && annotations[skipAwaitAnnotation] === undefined)
    annotations[skipAwaitAnnotation] = "true";
  return { ...manifest, metadata: { ...manifest.metadata, annotations } };
}

export class KubeObject extends pulumi.CustomResource {
  /** A Secret's data as the cluster holds it (base64 values), a Pulumi secret; undefined for other kinds. */
  declare readonly data: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, rendered: Manifest, opts: pulumi.CustomResourceOptions) {
    const manifest = owned(rendered);
    const secret = isSecret(manifest);
    super(kubernetesTypeToken(manifest), name, secret ? secretInputs(manifest) : { ...manifest }, {
      ...opts,
      additionalSecretOutputs: secret ? ["data", "stringData"] : [],
    });
  }
}
