// Stack locks of a file backend (.pulumi/locks/<org>/<project>/<stack>/*.json,
// one per running update: pid, user, host, time). A lock whose process is gone
// from this host is stale (the update was killed) and is cleared with a
// message; a live one is waited for, bounded, or reported with who holds it.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface StackLock {
  file: string;
  pid: number;
  username: string;
  hostname: string;
  /** ISO time the update started. */
  timestamp: string;
}

/** The directory of a file backend (file:///path?...), or undefined for another backend. */
export function fileBackendDir(url: string | undefined): string | undefined {
  if (!url?.startsWith("file://")) return undefined;
  return fileURLToPath(url.replace(/\?.*$/, ""));
}

export function stackLocks(backendDir: string, project: string, stack: string, organization = "organization"): StackLock[] {
  const dir = join(backendDir, ".pulumi", "locks", organization, project, stack);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .flatMap((f) => {
      try {
        const lock = JSON.parse(readFileSync(join(dir, f), "utf8")) as Omit<StackLock, "file">;
        return [
          { file: join(dir, f), pid: lock.pid, username: lock.username, hostname: lock.hostname, timestamp: lock.timestamp },
        ];
      } catch {
        return []; // being written or removed right now
      }
    });
}

/** Whether a process with this pid runs here and is a Pulumi engine (a reused pid is not). */
function isRunningEngine(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("pulumi");
  } catch {
    return false;
  }
}

/** A lock left by a process that is gone: taken on this host, and its pid runs no Pulumi engine. */
export function isStale(lock: StackLock, thisHost = hostname()): boolean {
  return lock.hostname === thisHost && !isRunningEngine(lock.pid);
}

export function describeLock(lock: StackLock): string {
  return `${lock.username}@${lock.hostname} (pid ${lock.pid}) since ${lock.timestamp.replace(/\.\d+Z$/, "Z")}`;
}

/** Removes a lock file and the attributes file the backend writes beside it. */
export function removeLock(lock: StackLock): void {
  rmSync(lock.file, { force: true });
  rmSync(`${lock.file}.attrs`, { force: true });
}
