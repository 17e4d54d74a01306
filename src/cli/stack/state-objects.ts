// The Kubernetes objects a stack's last update applied, read from its exported
// state and attributed to what put them there: a request, a promise's
// dependencies, or a team's environment. Pure: `pledge status` reads these
// live from the clusters, and the engine's events are attributed the same way.

/** One resource of an exported Pulumi deployment, as much of it as this needs. */
export interface StateResource {
  urn: string;
  type: string;
  parent?: string;
  provider?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export type ObjectOwner =
  { kind: "request"; request: string } | { kind: "dependency"; promise: string } | { kind: "team"; team: string };

export interface AppliedObject {
  urn: string;
  cluster: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  owner: ObjectOwner;
}

/** A resource's name: the last part of its URN. */
export const nameOfUrn = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** The cluster a resource belongs to, from its provider reference (urn::<cluster>-k8s::id). */
export function clusterOfProvider(provider: string | undefined): string | undefined {
  const name = provider?.split("::")[3];
  return name?.endsWith("-k8s") ? name.slice(0, -"-k8s".length) : undefined;
}

/**
 * Who put a resource there, from its resource name (or its parent's, for the
 * objects of a chart): `<promise>/<request>@<cluster>/...` a request,
 * `<promise>@<cluster>/...` a promise's dependencies, `<cluster>/<kind>/<team>...`
 * a team's environment.
 */
export function ownerOfName(resourceName: string): ObjectOwner | undefined {
  const request = /^([^/@]+\/[^/@]+)@[^/]+\//.exec(resourceName);
  if (request) return { kind: "request", request: request[1]! };
  const dependency = /^([^/@]+)@[^/]+\//.exec(resourceName);
  if (dependency) return { kind: "dependency", promise: dependency[1]! };
  const team = /^[^/@]+\/(?:[^/]+\/)*?(Namespace|RoleBinding|ResourceQuota|LimitRange|NetworkPolicy)\/([^/]+)/.exec(resourceName);
  if (team) return { kind: "team", team: team[2]! };
  return undefined;
}

/** Every Kubernetes object in the state (providers and chart components left out), with its cluster and owner. */
export function appliedObjects(resources: readonly StateResource[]): AppliedObject[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const ownerOf = (resource: StateResource): ObjectOwner | undefined => {
    for (let r: StateResource | undefined = resource; r; r = r.parent ? byUrn.get(r.parent) : undefined) {
      const owner = ownerOfName(nameOfUrn(r.urn));
      if (owner) return owner;
    }
    return undefined;
  };
  return resources.flatMap((r) => {
    const identity = objectIdentity(r);
    const owner = identity && ownerOf(r);
    return identity && owner ? [{ ...identity, owner }] : [];
  });
}

/**
 * A Kubernetes object of the state by who and where it is: its cluster (from
 * its provider), apiVersion, kind, name and namespace; undefined for anything
 * that is not an object (providers, chart and YAML file components).
 */
export function objectIdentity(r: StateResource): Omit<AppliedObject, "owner"> | undefined {
  if (!r.type.startsWith("kubernetes:") || r.type.startsWith("kubernetes:helm.sh/") || r.type.includes(":yaml/"))
    return undefined;
  const outputs = r.outputs ?? {};
  const metadata = (outputs.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const cluster = clusterOfProvider(r.provider);
  if (!cluster || typeof outputs.kind !== "string" || typeof outputs.apiVersion !== "string") return undefined;
  if (typeof metadata.name !== "string") return undefined;
  return {
    urn: r.urn,
    cluster,
    apiVersion: outputs.apiVersion,
    kind: outputs.kind,
    name: metadata.name,
    ...(typeof metadata.namespace === "string" && metadata.namespace ? { namespace: metadata.namespace } : {}),
  };
}

const secretSig = "4dabf18193072939515e22adb298388d";

/** Whether a state value is a secret as a whole: exported with --show-secrets, {sig, plaintext: JSON}. */
export function isSecretValue(value: unknown): boolean {
  return typeof value === "object" && value !== null && secretSig in value;
}

/** A state value as the program gave it: a secret exported with --show-secrets is {sig, plaintext: JSON}. */
export function plainValue(value: unknown): unknown {
  if (isSecretValue(value)) {
    const plaintext = (value as { plaintext?: unknown }).plaintext;
    return typeof plaintext === "string" ? (JSON.parse(plaintext) as unknown) : undefined;
  }
  return value;
}

/** A state value with every secret in it opened, however deep (plainValue opens only the value itself). */
export function openSecrets(value: unknown): unknown {
  const plain = plainValue(value);
  if (Array.isArray(plain)) return plain.map(openSecrets);
  if (plain === null || typeof plain !== "object") return plain;
  return Object.fromEntries(Object.entries(plain).map(([key, item]) => [key, openSecrets(item)]));
}

/** The kubeconfig each cluster's provider was given (decrypted by `pulumi stack export --show-secrets`), by cluster. */
export function providerKubeconfigs(resources: readonly StateResource[]): Map<string, { kubeconfig: string; context?: string }> {
  const found = new Map<string, { kubeconfig: string; context?: string }>();
  for (const r of resources) {
    if (r.type !== "pulumi:providers:kubernetes") continue;
    const name = nameOfUrn(r.urn);
    const kubeconfig = plainValue(r.inputs?.kubeconfig);
    if (!name.endsWith("-k8s") || typeof kubeconfig !== "string") continue;
    const context = plainValue(r.inputs?.context);
    found.set(name.slice(0, -"-k8s".length), { kubeconfig, ...(typeof context === "string" ? { context } : {}) });
  }
  return found;
}
