// The objects that make a cluster pull its own path of a Git state store with
// Flux, as Kratix's worker setup does: one GitRepository and two
// Kustomizations, `resources` waiting for `dependencies` so CRDs and
// namespaces exist before what uses them. Plain data: whoever can reach the
// cluster applies it (the local fleet, or Pledge through the engine).
import type { Manifest } from "../promise/manifest";

/** Flux's own namespace: the controllers' RUNTIME_NAMESPACE, and where a Kustomization's decryption Secret must live. */
export const fluxNamespace = "flux-system";

/** The key Flux's SOPS decryption reads an age identity from (its `.agekey` suffix marks it as age). */
export const ageKeyField = "age.agekey";

export interface BootstrapOptions {
  /** The cluster these objects are for (labels and error messages). */
  cluster: string;
  /** The state store's name: the GitRepository is `pledge-<storeName>`. */
  storeName: string;
  /** The repository's clone URL (HTTP(S); credentials come from gitSecretName, never the URL). */
  url: string;
  branch: string;
  /** The cluster's directory in the repository, holding `dependencies/` and `resources/`. */
  path: string;
  /** How often Flux fetches and reconciles, a Go duration; default 10s (5s for a fast test loop). */
  interval?: string;
  /** The Secret in flux-system with the read credentials (`username`, `password`). */
  gitSecretName: string;
  /** The Secret in flux-system holding the age identity (`age.agekey`); without it, no SOPS decryption. */
  ageSecretName?: string;
}

export const defaultInterval = "10s";
/** The decryption Secret's name in Flux's own docs. */
export const defaultAgeSecretName = "sops-age";
export const dependenciesKustomization = "pledge-dependencies";
export const resourcesKustomization = "pledge-resources";

export function gitRepositoryName(storeName: string): string {
  return `pledge-${storeName}`;
}

const goDuration = /^(\d+(ms|s|m|h))+$/;

/** The store path as Flux wants it (`./clusters/a`); rejects what would leave the repository or name its root. */
export function kustomizationPath(path: string, part: "dependencies" | "resources", cluster: string): string {
  const trimmed = path.replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  const segments = trimmed.split("/");
  if (trimmed === "" || trimmed.startsWith("/") || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new Error(
      `gitops bootstrap for ${cluster}: path "${path}" must be a relative directory inside the repository, like "clusters/${cluster}"`,
    );
  }
  return `./${trimmed}/${part}`;
}

function labels(cluster: string): Record<string, string> {
  return { "app.kubernetes.io/managed-by": "pledge", "pledge.dev/cluster": cluster };
}

/** Namespace, GitRepository and the two Kustomizations, in the order they can be applied. */
export function bootstrapObjects(options: BootstrapOptions): Manifest[] {
  const interval = options.interval ?? defaultInterval;
  if (!goDuration.test(interval)) {
    throw new Error(`gitops bootstrap for ${options.cluster}: interval "${interval}" is not a duration like 10s or 1m`);
  }
  const metadata = (name: string) => ({ name, namespace: fluxNamespace, labels: labels(options.cluster) });
  const source = gitRepositoryName(options.storeName);
  const kustomization = (name: string, part: "dependencies" | "resources", dependsOn: string[]): Manifest => ({
    apiVersion: "kustomize.toolkit.fluxcd.io/v1",
    kind: "Kustomization",
    metadata: metadata(name),
    spec: {
      interval,
      path: kustomizationPath(options.path, part, options.cluster),
      sourceRef: { kind: "GitRepository", name: source },
      // Removing a file from the store removes its object from the cluster.
      prune: true,
      // Health is Pledge's to judge (and `wait` would hold `resources` behind every rollout).
      wait: false,
      ...(dependsOn.length > 0 ? { dependsOn: dependsOn.map((d) => ({ name: d })) } : {}),
      ...(options.ageSecretName ? { decryption: { provider: "sops", secretRef: { name: options.ageSecretName } } } : {}),
    },
  });
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: fluxNamespace, labels: labels(options.cluster) } },
    {
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "GitRepository",
      metadata: metadata(source),
      spec: { url: options.url, ref: { branch: options.branch }, interval, secretRef: { name: options.gitSecretName } },
    },
    kustomization(dependenciesKustomization, "dependencies", []),
    kustomization(resourcesKustomization, "resources", [dependenciesKustomization]),
  ];
}

export interface CredentialSecretsOptions {
  cluster: string;
  gitSecretName: string;
  /** The reader's Git credentials (HTTP basic auth). */
  username: string;
  password: string;
  /** The age identity (`AGE-SECRET-KEY-1...`) SOPS files are decrypted with; without it, no age Secret. */
  ageIdentity?: string;
  /** Default sops-age. */
  ageSecretName?: string;
}

/** The Secrets the bootstrap objects refer to, for when Pledge may hold and apply them. */
export function credentialSecrets(options: CredentialSecretsOptions): Manifest[] {
  if (options.ageSecretName && !options.ageIdentity) {
    throw new Error(
      `gitops credentials for ${options.cluster}: ageSecretName "${options.ageSecretName}" given without an ageIdentity`,
    );
  }
  const secret = (name: string, stringData: Record<string, string>): Manifest => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: fluxNamespace, labels: labels(options.cluster) },
    type: "Opaque",
    stringData,
  });
  const secrets = [secret(options.gitSecretName, { username: options.username, password: options.password })];
  if (options.ageIdentity) {
    secrets.push(secret(options.ageSecretName ?? defaultAgeSecretName, { [ageKeyField]: options.ageIdentity }));
  }
  return secrets;
}
