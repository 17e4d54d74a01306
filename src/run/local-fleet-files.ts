// Where the local fleet keeps its files: the one convention shared by the
// library (stack clusters with `source: local` read their kubeconfig here) and
// the fleet itself (dev/local writes there), so the two cannot disagree.
import { join, resolve } from "node:path";

/** The fleet directory: PLEDGE_FLEET_DIR, else <PLEDGE_STATE_DIR or .pledge>/fleet, relative to the project. */
export function defaultFleetDir(env: NodeJS.ProcessEnv, projectDir: string): string {
  return resolve(projectDir, env.PLEDGE_FLEET_DIR ?? join(env.PLEDGE_STATE_DIR ?? ".pledge", "fleet"));
}

/** A local cluster's own directory in its fleet: its data, certificates and kubeconfigs. */
export function localClusterDir(fleetDir: string, clusterName: string): string {
  return join(fleetDir, clusterName);
}

/** The kubeconfig file of one user of a local cluster (admin, or a team), in the cluster's directory. */
export function localKubeconfigFile(clusterDir: string, user = "admin"): string {
  return join(clusterDir, `${user}.kubeconfig`);
}
