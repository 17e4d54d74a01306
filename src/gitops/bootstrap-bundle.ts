// What `pledge bootstrap <cluster>` hands a Git-delivered cluster: Flux's CRDs
// (read from setup's copy of the controllers' modules) and controllers, the
// GitRepository and the two Kustomizations, and which Secrets they need. The
// bundle never holds a secret's value: a Git-only cluster's admin creates the
// two Secrets (the instructions say how); `--apply` creates them from config.
// Pure.
import { stringify } from "yaml";
import type { ClusterEntry } from "../config/parse";
import { clusterStorePath, type StateStoreEntry } from "../config/state-stores";
import type { Manifest } from "../promise/manifest";
import { bootstrapObjects, defaultAgeSecretName, fluxNamespace, gitRepositoryName } from "./bootstrap";
import { fluxControllers } from "./flux-controllers";

export interface BootstrapBundle {
  objects: Manifest[];
  /** The Secret the GitRepository reads with. */
  gitSecretName: string;
  /** How the cluster's admin creates the two Secrets, with placeholders for the values. */
  instructions: string[];
}

export function bootstrapBundle(options: {
  cluster: ClusterEntry;
  store: StateStoreEntry;
  /** Flux's CRDs, as parsed from its modules. */
  crds: readonly Manifest[];
  withControllers: boolean;
  interval?: string;
}): BootstrapBundle {
  const { cluster, store } = options;
  const gitSecretName = `${gitRepositoryName(store.name)}-read`;
  const objects = [
    ...(options.withControllers ? [...options.crds, ...fluxControllers()] : []),
    ...bootstrapObjects({
      cluster: cluster.name,
      storeName: store.name,
      url: store.url,
      branch: store.branch,
      path: clusterStorePath(store, cluster),
      ...(options.interval ? { interval: options.interval } : {}),
      gitSecretName,
      ageSecretName: defaultAgeSecretName,
    }),
  ];
  // The namespace once, first: both halves bring it.
  const unique = objects.filter(
    (o, i) =>
      !(o.kind === "Namespace" && objects.findIndex((p) => p.kind === "Namespace" && p.metadata.name === o.metadata.name) < i),
  );
  return {
    objects: unique,
    gitSecretName,
    instructions: [
      `kubectl -n ${fluxNamespace} create secret generic ${gitSecretName} --from-literal=username=<reader> --from-literal=password=<its password>`,
      `kubectl -n ${fluxNamespace} create secret generic ${defaultAgeSecretName} --from-file=age.agekey=<the cluster's age identity file (age-keygen), whose public key is ${cluster.delivery?.gitops.ageRecipient}>`,
    ],
  };
}

/** The bundle as one YAML stream, the instructions as comments at its head. */
export function bundleText(bundle: BootstrapBundle, cluster: string): string {
  const head = [
    `# Pledge bootstrap for cluster ${cluster}: apply once (kubectl apply --server-side -f <this file>).`,
    "# Then create the two Secrets it refers to (values never leave your hands):",
    ...bundle.instructions.map((line) => `#   ${line}`),
  ].join("\n");
  return `${head}\n${bundle.objects.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join("")}`;
}
