// A Git-delivered local cluster: Flux running beside it, its age identity,
// and the bootstrap objects that make it pull `clusters/<name>/` of the
// fleet's repository. Applied on every `fleet up` (server-side apply is
// idempotent), so a restarted Git server's new port reaches every cluster.
import { bootstrapObjects, credentialSecrets, defaultAgeSecretName } from "../../src/gitops/bootstrap";
import { isNamespace } from "../../src/promise/manifest";
import { ensureAgeIdentity } from "./age-identity";
import { adminKubeConfig, type LocalClusterRecord } from "./cluster";
import { gitUrl, readerCredentials, type FleetGitRecord } from "./fleet-git";
import { ensureFlux, newFluxRecord, stopFlux, type FluxRecord } from "./flux";
import { applyManifests } from "./kube-apply";

export interface ClusterGitops {
  /** The cluster's directory in the fleet repository. */
  path: string;
  /** What SOPS files for this cluster are encrypted to. */
  ageRecipient: string;
  flux: FluxRecord;
}

/** A cluster that may be Git-delivered: the fleet's cluster record with its gitops part. */
export type GitopsCapableCluster = LocalClusterRecord & { gitops?: ClusterGitops };

export const gitCredentialsSecret = "pledge-fleet-git";
/** A quick loop for a dev fleet; Flux's own examples use minutes. */
const localInterval = "5s";

export function clusterPath(name: string): string {
  return `clusters/${name}`;
}

/** Makes the cluster Git-delivered (once) and brings its Flux up; returns its gitops record. */
export async function ensureGitops(
  cluster: GitopsCapableCluster,
  git: FleetGitRecord,
  onStarted: () => void,
): Promise<ClusterGitops> {
  const age = await ensureAgeIdentity(cluster.dir);
  cluster.gitops ??= { path: clusterPath(cluster.name), ageRecipient: age.recipient, flux: await newFluxRecord() };
  cluster.gitops.ageRecipient = age.recipient;
  onStarted();
  const conn = adminKubeConfig(cluster);
  await ensureFlux(cluster, cluster.gitops.flux, conn, { onStarted });
  const bootstrap = bootstrapObjects({
    cluster: cluster.name,
    storeName: git.repository,
    url: gitUrl(git),
    branch: git.branch,
    path: cluster.gitops.path,
    interval: localInterval,
    gitSecretName: gitCredentialsSecret,
    ageSecretName: defaultAgeSecretName,
  });
  const secrets = credentialSecrets({
    cluster: cluster.name,
    gitSecretName: gitCredentialsSecret,
    ...readerCredentials(git),
    ageIdentity: age.identity,
  });
  // The namespace before the Secrets in it, the Secrets before what refers to them.
  await applyManifests(conn, [...bootstrap.filter(isNamespace), ...secrets, ...bootstrap.filter((m) => !isNamespace(m))]);
  return cluster.gitops;
}

export async function stopGitops(cluster: GitopsCapableCluster): Promise<void> {
  if (cluster.gitops) await stopFlux(cluster, cluster.gitops.flux);
}
