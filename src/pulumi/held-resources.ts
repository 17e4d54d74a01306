// The Pulumi side of a staged rollout's held objects: each registered again
// exactly as the state holds it (same type, name and parent, so the same URN;
// same inputs, so no change), a chart's or YAML file's objects under a
// component of the chart's own type. A held form's inputs are plain (the
// handoff and the rolloutBefore output are secret as a whole): a Secret's data
// becomes a Pulumi secret again, as KubeObject makes it, so nothing is stored
// in plaintext.
import * as pulumi from "@pulumi/pulumi";
import type { StateForm } from "../rollout/held";

/** A chart or YAML file component as it was (helm.sh/v4:Chart, yaml/v2:ConfigFile): only a parent for its objects. */
class HeldComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.registerOutputs({});
  }
}

/** One Kubernetes object as it was; a Secret's data stays a secret output, as KubeObject's. */
export class HeldObject extends pulumi.CustomResource {
  declare readonly data: pulumi.Output<Record<string, string> | undefined>;

  constructor(form: StateForm, opts: pulumi.CustomResourceOptions) {
    const secret = form.type === "kubernetes:core/v1:Secret";
    const inputs: pulumi.Inputs = { ...form.inputs };
    for (const field of ["data", "stringData"])
      if (secret && inputs[field] !== undefined) inputs[field] = pulumi.secret(inputs[field]);
    super(form.type, form.name, inputs, {
      ...opts,
      additionalSecretOutputs: secret ? ["data", "stringData"] : [],
    });
  }
}

/** Registers a held form (and its children) on the cluster's provider. */
export function registerHeldForm(
  form: StateForm,
  opts: { parent: pulumi.Resource; provider: pulumi.ProviderResource; dependsOn?: pulumi.Resource[] },
): pulumi.Resource {
  if (form.custom) return new HeldObject(form, opts);
  const component = new HeldComponent(form.type, form.name, { parent: opts.parent, dependsOn: opts.dependsOn ?? [] });
  for (const child of form.children) registerHeldForm(child, { parent: component, provider: opts.provider });
  return component;
}
