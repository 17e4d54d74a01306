// Stack locks of a file backend (.pulumi/locks/<org>/<project>/<stack>/*.json,
// one per running update: pid, user, host, time). A lock whose process is gone
// from this host is stale (the update was killed) and is cleared with a
// message; a live one is waited for, bounded, or reported with who holds it.
// `pledge unlock` removes them on purpose.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PledgeStack } from "../stack/pledge-stack";
import { UpdateError } from "../update-error";

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

/** The stack's locks on a file backend, with the backend's directory and the project; undefined on another backend. */
export async function locksOf(stack: PledgeStack): Promise<{ locks: StackLock[]; backend: string; project: string } | undefined> {
  const backend = fileBackendDir(stack.workspace.envVars.PULUMI_BACKEND_URL ?? process.env.PULUMI_BACKEND_URL);
  if (!backend) return undefined; // a service backend keeps its own locks; `pledge unlock` cancels there
  const project = (await stack.workspace.projectSettings()).name;
  return { locks: stackLocks(backend, project, stack.name), backend, project };
}

/** A file backend's checkpoint of the stack, in either of the forms Pulumi writes it. */
function checkpointFiles(backend: string, project: string, stack: string): string[] {
  const base = join(backend, ".pulumi", "stacks", project, `${stack}.json`);
  return [base, `${base}.gz`];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Clears locks whose update is gone from this host; waits (bounded) while a live update holds the stack. */
export async function resolveLocks(
  stack: PledgeStack,
  options: { waitSeconds: number; say: (line: string) => void },
): Promise<void> {
  const deadline = Date.now() + options.waitSeconds * 1000;
  let announced = false;
  for (;;) {
    const found = await locksOf(stack);
    if (!found || found.locks.length === 0) {
      // An update that began and ended since the stack was opened wrote a newer state than the one read then.
      if (found) stack.forgetStateIfWritten(checkpointFiles(found.backend, found.project, stack.name));
      return;
    }
    // The state read when the stack was opened may predate what that update writes.
    stack.forgetState();
    const live: StackLock[] = [];
    for (const lock of found.locks) {
      if (isStale(lock)) {
        removeLock(lock);
        options.say(
          `cleared a stale lock on stack ${stack.name}: the update of ${describeLock(lock)} is no longer running (it was killed or its machine stopped)`,
        );
      } else live.push(lock);
    }
    if (live.length === 0) return;
    const holders = live.map(describeLock).join("; ");
    if (Date.now() >= deadline) {
      throw new UpdateError(
        `stack ${stack.name} is being updated by ${holders}. Run again when that update ends` +
          ` (pledge up waits up to --wait seconds), or if that process is gone for good, run pledge unlock -s ${stack.name}`,
      );
    }
    if (!announced)
      options.say(`waiting for the update of stack ${stack.name} held by ${holders} (up to ${options.waitSeconds}s)`);
    announced = true;
    await sleep(2_000);
  }
}

/**
 * Runs the engine, and again while another update takes the stack between the
 * lock check and the engine's own lock, until `deadline` (ms since the epoch).
 */
export async function retryWhileLocked<T>(
  stack: PledgeStack,
  deadline: number,
  say: (line: string) => void,
  run: () => Promise<T>,
): Promise<T> {
  for (;;) {
    try {
      return await run();
    } catch (err) {
      // Another update took the stack between the lock check and the engine's own: wait for it as well.
      if (!/is currently locked|Conflict: Another update is currently in progress/i.test(String(err)) || Date.now() >= deadline)
        throw err;
      // A service backend's lock is not seen here (resolveLocks returns at once): wait a little before trying again.
      await sleep(2_000);
      await resolveLocks(stack, { say, waitSeconds: Math.max(0, Math.round((deadline - Date.now()) / 1000)) });
    }
  }
}

/** Removes every lock of the stack on purpose (file backends), or cancels the running update (service backends). */
export async function unlock(stack: PledgeStack, say: (line: string) => void): Promise<void> {
  const found = await locksOf(stack);
  if (!found) {
    await stack.cancel();
    say(`cancelled the running update of stack ${stack.name}`);
    return;
  }
  if (found.locks.length === 0) say(`stack ${stack.name} is not locked`);
  for (const lock of found.locks) {
    removeLock(lock);
    say(
      `removed the lock of ${describeLock(lock)} on stack ${stack.name}${isStale(lock) ? "" : " (its process still runs: let it finish or stop it before the next update)"}`,
    );
  }
}
