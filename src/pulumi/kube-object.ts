// One Kubernetes object of any kind, registered under the same type token the
// typed @pulumi/kubernetes classes use (kubernetes:apps/v1:Deployment, ...), so
// the provider treats it exactly as if it had been written with those classes.
import * as pulumi from "@pulumi/pulumi";
import { kubernetesTypeToken, type Manifest } from "../promise/manifest";

function isSecret(manifest: Manifest): boolean {
  return manifest.kind === "Secret" && manifest.apiVersion === "v1";
}

/** A Secret's payload wrapped as Pulumi secrets, so neither inputs nor outputs are stored in plaintext. */
function secretInputs(manifest: Manifest): Record<string, unknown> {
  const inputs: Record<string, unknown> = { ...manifest };
  for (const field of ["data", "stringData"]) {
    if (manifest[field] !== undefined) inputs[field] = pulumi.secret(manifest[field]);
  }
  return inputs;
}

export class KubeObject extends pulumi.CustomResource {
  constructor(name: string, manifest: Manifest, opts: pulumi.CustomResourceOptions) {
    const secret = isSecret(manifest);
    super(kubernetesTypeToken(manifest), name, secret ? secretInputs(manifest) : { ...manifest }, {
      ...opts,
      additionalSecretOutputs: secret ? ["data", "stringData"] : [],
    });
  }
}
