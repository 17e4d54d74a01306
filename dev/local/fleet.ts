// The local fleet: N clusters on loopback, recorded in <dir>/fleet.json with
// their ports and pids. `up` is idempotent (running clusters are reused, dead
// ones restarted from their data), `down` stops by pid, `status` reports.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { localClusterDir } from "../../src/run/local-fleet-files";
import {
  clusterComponents,
  isReady,
  kubeconfigPath,
  newClusterRecord,
  runningComponents,
  startCluster,
  stopCluster,
  type ClusterComponent,
  type LocalClusterRecord,
} from "./cluster";
import { isOurProcess, residentKiB } from "./processes";

export interface FleetRecord {
  version: 1;
  clusters: LocalClusterRecord[];
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
  log?: (message: string) => void;
}

/** Brings clusters local-1..local-N up (reusing running ones); returns the fleet record. */
export async function fleetUp(dir: string, options: FleetUpOptions): Promise<FleetRecord> {
  if (!Number.isInteger(options.clusters) || options.clusters < 1 || options.clusters > 20) {
    throw new Error(`--clusters must be a whole number from 1 to 20, got ${options.clusters}`);
  }
  return withFleetLock(dir, async () => {
    const fleet = readFleet(dir);
    for (let i = 1; i <= options.clusters; i++) {
      const name = localClusterName(i);
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
    }
    return fleet;
  });
}

/** Stops clusters by pid (all, or the named ones); --purge also deletes their data. */
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
    await Promise.all(chosen.map((c) => stopCluster(c)));
    if (options.purge) {
      for (const c of chosen) rmSync(c.dir, { recursive: true, force: true });
      fleet.clusters = fleet.clusters.filter((c) => !chosen.includes(c));
    }
    writeFleet(dir, fleet);
  });
}

export interface ClusterStatus {
  name: string;
  server: string;
  kubeconfig: string;
  ready: boolean;
  running: ClusterComponent[];
  stopped: ClusterComponent[];
  residentMiB: number;
}

export async function fleetStatus(dir: string): Promise<ClusterStatus[]> {
  const fleet = readFleet(dir);
  return Promise.all(
    fleet.clusters.map(async (c) => {
      const running = runningComponents(c);
      const rss = running.reduce((sum, component) => sum + (residentKiB(c.pids[component]) ?? 0), 0);
      return {
        name: c.name,
        server: `https://127.0.0.1:${c.ports.apiserver}`,
        kubeconfig: kubeconfigPath(c),
        ready: running.length > 0 && (await isReady(c)),
        running,
        stopped: clusterComponents.filter((x) => !running.includes(x)),
        residentMiB: Math.round(rss / 1024),
      };
    }),
  );
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
