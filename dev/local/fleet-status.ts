// What `fleet status` reports: each cluster (ready, memory, stopped parts),
// each Git-delivered cluster's Flux controllers, and the fleet's Git server
// with where its credentials are (files, never the passwords themselves), so
// tests and a stack config can be generated from `fleet status --json`.
import { clusterComponents, isReady, kubeconfigPath, runningComponents, type ClusterComponent } from "./cluster";
import { readFleet } from "./fleet";
import { gitReader, gitUrl, gitWriter, isGitServerRunning, usersFile, writerPasswordFile } from "./fleet-git";
import { fluxControllers, isControllerReady, type FluxController } from "./flux";
import type { GitopsCapableCluster } from "./gitops";
import { isOurProcess, residentKiB } from "./processes";

export interface FluxControllerStatus {
  name: FluxController;
  pid?: number;
  running: boolean;
  ready: boolean;
  residentMiB: number;
}

export interface ClusterStatus {
  name: string;
  server: string;
  kubeconfig: string;
  ready: boolean;
  running: ClusterComponent[];
  stopped: ClusterComponent[];
  residentMiB: number;
  /** Present for a Git-delivered cluster. */
  gitops?: { path: string; ageRecipient: string; controllers: FluxControllerStatus[] };
}

export interface GitServerStatus {
  url: string;
  branch: string;
  running: boolean;
  pid?: number;
  writer: { username: string; passwordFile: string };
  reader: { username: string };
  /** Every user with its password (0600): what the server reads. */
  usersFile: string;
}

export interface FleetStatus {
  clusters: ClusterStatus[];
  git?: GitServerStatus;
}

const mib = (kib: number | undefined) => Math.round((kib ?? 0) / 1024);

async function gitopsStatus(c: GitopsCapableCluster): Promise<ClusterStatus["gitops"]> {
  if (!c.gitops) return undefined;
  const { flux } = c.gitops;
  const controllers = await Promise.all(
    fluxControllers.map(async (name) => {
      const running = isOurProcess(flux.pids[name], c.dir);
      return {
        name,
        pid: flux.pids[name],
        running,
        ready: running && (await isControllerReady(flux, name)),
        residentMiB: running ? mib(residentKiB(flux.pids[name])) : 0,
      };
    }),
  );
  return { path: c.gitops.path, ageRecipient: c.gitops.ageRecipient, controllers };
}

export async function fleetStatus(dir: string): Promise<FleetStatus> {
  const fleet = readFleet(dir);
  const clusters = await Promise.all(
    fleet.clusters.map(async (c): Promise<ClusterStatus> => {
      const running = runningComponents(c);
      const rss = running.reduce((sum, component) => sum + (residentKiB(c.pids[component]) ?? 0), 0);
      return {
        name: c.name,
        server: `https://127.0.0.1:${c.ports.apiserver}`,
        kubeconfig: kubeconfigPath(c),
        ready: running.length > 0 && (await isReady(c)),
        running,
        stopped: clusterComponents.filter((x) => !running.includes(x)),
        residentMiB: mib(rss),
        gitops: await gitopsStatus(c),
      };
    }),
  );
  const git = fleet.git && {
    url: gitUrl(fleet.git),
    branch: fleet.git.branch,
    running: isGitServerRunning(fleet.git),
    pid: fleet.git.pid,
    writer: { username: gitWriter, passwordFile: writerPasswordFile(fleet.git) },
    reader: { username: gitReader },
    usersFile: usersFile(fleet.git),
  };
  return { clusters, ...(git ? { git } : {}) };
}

/** Everything up: every cluster ready, its Flux ready, and the Git server serving. */
export function isFleetHealthy(status: FleetStatus): boolean {
  const gitOk = !status.git || status.git.running;
  return gitOk && status.clusters.every((c) => c.ready && (c.gitops?.controllers.every((x) => x.ready) ?? true));
}
