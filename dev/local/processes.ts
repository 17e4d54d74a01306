// Daemons of the local fleet: started detached with their output in a log
// file, tracked by pid, and stopped by pid. A pid alone is not proof: after a
// crash or reboot the number can belong to someone else, so every check also
// requires the process's command line to mention the cluster's own directory.
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";

export interface DaemonSpec {
  command: string;
  args: readonly string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function startDaemon(spec: DaemonSpec): number {
  const log = openSync(spec.logFile, "a");
  try {
    const child = spawn(spec.command, [...spec.args], {
      detached: true,
      stdio: ["ignore", log, log],
      env: spec.env ?? process.env,
      cwd: spec.cwd,
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.command}; see ${spec.logFile}`);
    child.unref();
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** True when pid is alive and its command line mentions `marker` (our data dir). */
export function isOurProcess(pid: number | undefined, marker: string): boolean {
  if (!pid) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    const state = /^State:\s+(\w)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return cmdline.includes(marker) && state !== "Z";
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM, wait up to graceMs, then SIGKILL. Only ever signals our own process. */
export async function stopDaemon(pid: number | undefined, marker: string, graceMs = 15_000): Promise<void> {
  if (!pid || !isOurProcess(pid, marker)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isOurProcess(pid, marker)) return;
    await sleep(100);
  }
  if (isOurProcess(pid, marker)) process.kill(pid, "SIGKILL");
  while (isOurProcess(pid, marker)) await sleep(50);
}

/** Resident memory of a process in KiB, from /proc (undefined when gone). */
export function residentKiB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const match = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
