// One Kubernetes object of any kind, registered under the same type token the
// typed @pulumi/kubernetes classes use (kubernetes:apps/v1:Deployment, ...), so
// the provider treats it exactly as if it had been written with those classes.
import * as pulumi from "@pulumi/pulumi";
import { kubernetesTypeToken, type Manifest } from "./manifest";

export class KubeObject extends pulumi.CustomResource {
  constructor(name: string, manifest: Manifest, opts: pulumi.CustomResourceOptions) {
    // Secret payloads stay secret in state, as the typed Secret class does.
    const secretOutputs = manifest.kind === "Secret" && manifest.apiVersion === "v1" ? ["data", "stringData"] : [];
    super(kubernetesTypeToken(manifest), name, { ...manifest }, { ...opts, additionalSecretOutputs: secretOutputs });
  }
}
