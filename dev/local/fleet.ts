// The local fleet: N clusters on loopback, recorded in <dir>/fleet.json with
// their ports and pids, and for Git-delivered clusters the fleet's Git server
// and each one's Flux. `up` is idempotent (running processes are reused, dead
// ones restarted from their data), `down` stops by pid (fleet-status.ts reports).
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { localClusterDir } from "../../src/run/local-fleet-files";
import { kubeconfigPath, newClusterRecord, startCluster, stopCluster } from "./cluster";
import {
  ensureClusterPaths,
  ensureFleetGitServer,
  newFleetGitRecord,
  stopFleetGitServer,
  type FleetGitRecord,
} from "./fleet-git";
import { clusterPath, ensureGitops, stopGitops, type GitopsCapableCluster } from "./gitops";
import { isOurProcess } from "./processes";

export interface FleetRecord {
  version: 1;
  clusters: GitopsCapableCluster[];
  /** The Git server, once any cluster is Git-delivered. */
  git?: FleetGitRecord;
}

export function localClusterName(index: number): string {
  return `local-${index}`;
}

export function readFleet(dir: string): FleetRecord {
  const file = join(dir, "fleet.json");
  if (!existsSync(file)) return { version: 1, clusters: [] };
  return JSON.parse(readFileSync(file, "utf8")) as FleetRecord;
}

function writeFleet(dir: string, fleet: FleetRecord): void {
  const file = join(dir, "fleet.json");
  writeFileSync(`${file}.tmp`, `${JSON.stringify(fleet, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** One fleet command at a time per directory; a lock left by a dead process is taken over. */
async function withFleetLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lock = join(dir, "fleet.lock");
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lock, "wx");
      writeFileSync(fd, String(process.pid)); // through the same descriptor: never an empty lock
      closeSync(fd);
      break;
    } catch {
      const holder = Number(readFileSync(lock, "utf8") || "0");
      if (!holder && attempt < 20) {
        // Being written by another command right now: not stale.
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if (!holder || !isOurProcess(holder, "")) {
        rmSync(lock, { force: true });
        continue;
      }
      throw new Error(`another fleet command (pid ${holder}) is working on ${dir}; wait for it or remove ${lock} if it is gone`);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

export interface FleetUpOptions {
  clusters: number;
  /** Clusters to make Git-delivered (Flux pulls their path of the fleet repository); once made, they stay so. */
  gitops?: readonly string[];
  log?: (message: string) => void;
}

/** The Git server, its cluster paths, and each Git-delivered cluster's Flux and bootstrap objects. */
async function upGitops(dir: string, fleet: FleetRecord, clusters: GitopsCapableCluster[], options: FleetUpOptions) {
  const save = () => writeFleet(dir, fleet);
  const delivered = clusters.filter((c) => c.gitops || options.gitops?.includes(c.name));
  if (delivered.length === 0) return;
  fleet.git ??= await newFleetGitRecord(dir);
  save();
  await ensureFleetGitServer(fleet.git, save);
  ensureClusterPaths(
    fleet.git,
    delivered.map((c) => c.gitops?.path ?? clusterPath(c.name)),
  );
  for (const cluster of delivered) {
    try {
      await ensureGitops(cluster, fleet.git, save);
    } finally {
      save();
    }
    options.log?.(`${cluster.name}: Flux pulls ${cluster.gitops!.path} of the fleet repository`);
  }
}

/** Brings clusters local-1..local-N up (reusing running ones); returns the fleet record. */
export async function fleetUp(dir: string, options: FleetUpOptions): Promise<FleetRecord> {
  if (!Number.isInteger(options.clusters) || options.clusters < 1 || options.clusters > 20) {
    throw new Error(`--clusters must be a whole number from 1 to 20, got ${options.clusters}`);
  }
  const names = Array.from({ length: options.clusters }, (_, i) => localClusterName(i + 1));
  const unknown = (options.gitops ?? []).filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    throw new Error(`--gitops names ${unknown.join(", ")}, not among the clusters being started (${names.join(", ")})`);
  }
  return withFleetLock(dir, async () => {
    const fleet = readFleet(dir);
    const started: GitopsCapableCluster[] = [];
    for (const name of names) {
      let record = fleet.clusters.find((c) => c.name === name);
      if (!record) {
        record = await newClusterRecord(name, localClusterDir(dir, name));
        fleet.clusters.push(record);
      }
      writeFleet(dir, fleet);
      try {
        await startCluster(record, { log: options.log, onStarted: () => writeFleet(dir, fleet) });
      } finally {
        writeFleet(dir, fleet);
      }
      started.push(record);
    }
    await upGitops(dir, fleet, started, options);
    return fleet;
  });
}

/** Stops clusters by pid (all, or the named ones; all also stops the Git server); --purge also deletes their data. */
export async function fleetDown(dir: string, options: { names?: readonly string[]; purge?: boolean } = {}): Promise<void> {
  if (!existsSync(join(dir, "fleet.json"))) return;
  await withFleetLock(dir, async () => {
    const fleet = readFleet(dir);
    const unknown = (options.names ?? []).filter((n) => !fleet.clusters.some((c) => c.name === n));
    if (unknown.length > 0)
      throw new Error(
        `no local cluster named ${unknown.join(", ")} in ${dir} (has: ${fleet.clusters.map((c) => c.name).join(", ") || "none"})`,
      );
    const chosen = fleet.clusters.filter((c) => !options.names || options.names.includes(c.name));
    // Flux first: it would log a stream of errors against a stopped API server.
    await Promise.all(
      chosen.map(async (c) => {
        await stopGitops(c);
        await stopCluster(c);
      }),
    );
    const wholeFleet = !options.names;
    if (wholeFleet && fleet.git) await stopFleetGitServer(fleet.git);
    if (options.purge) {
      for (const c of chosen) rmSync(c.dir, { recursive: true, force: true });
      fleet.clusters = fleet.clusters.filter((c) => !chosen.includes(c));
      if (wholeFleet && fleet.git) {
        rmSync(fleet.git.dir, { recursive: true, force: true });
        delete fleet.git;
      }
    }
    writeFleet(dir, fleet);
  });
}

/** Kubeconfig file of a named local cluster, or a clear error naming what exists. */
export function fleetKubeconfigFile(dir: string, name: string, user: "admin" | "team-a" | "team-b" = "admin"): string {
  const record = readFleet(dir).clusters.find((c) => c.name === name);
  if (!record) {
    const known = readFleet(dir).clusters.map((c) => c.name);
    throw new Error(
      `local cluster "${name}" is not in the fleet at ${dir} (has: ${known.join(", ") || "none"}); start it with \`npm run fleet:up -- --clusters N\``,
    );
  }
  return kubeconfigPath(record, user);
}
