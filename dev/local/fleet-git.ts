// The fleet's Git server: one per fleet, started when any cluster is
// Git-delivered, tracked by pid like the clusters. It serves one bare
// repository, `fleet`, where each Git-delivered cluster has its own path.
// Users: a writer (Pledge, the tests) and a reader (Flux), with passwords
// generated once into users.json (0600); passwords are never printed.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureBareRepository, type GitUser } from "./git-server";
import { freePort, isPortFree } from "./ports";
import { isOurProcess, startDaemon, stopDaemon } from "./processes";
import { FatalWaitError, waitFor } from "./wait";

export interface FleetGitRecord {
  /** users.json, writer.password, repos/ and the server's log; also the marker on its command line. */
  dir: string;
  port: number;
  pid?: number;
  repository: string;
  branch: string;
}

export const gitWriter = "pledge";
export const gitReader = "flux";

const repoRoot = resolve(__dirname, "..", "..");

export async function newFleetGitRecord(fleetDir: string): Promise<FleetGitRecord> {
  return { dir: join(fleetDir, "git"), port: await freePort(), repository: "fleet", branch: "main" };
}

export function gitUrl(record: FleetGitRecord): string {
  return `http://127.0.0.1:${record.port}/${record.repository}.git`;
}

export function bareRepositoryDir(record: FleetGitRecord): string {
  return join(record.dir, "repos", `${record.repository}.git`);
}

export function usersFile(record: FleetGitRecord): string {
  return join(record.dir, "users.json");
}

/** The writer's password alone, for a stack config or a script that pushes (0600). */
export function writerPasswordFile(record: FleetGitRecord): string {
  return join(record.dir, "writer.password");
}

function ensureUsers(record: FleetGitRecord): void {
  if (existsSync(usersFile(record))) return;
  const password = () => randomBytes(24).toString("base64url");
  const users: GitUser[] = [
    { name: gitWriter, password: password(), canPush: true },
    { name: gitReader, password: password(), canPush: false },
  ];
  writeFileSync(writerPasswordFile(record), users[0]!.password, { mode: 0o600 });
  writeFileSync(usersFile(record), `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
}

/** The credentials a cluster's Flux fetches with. */
export function readerCredentials(record: FleetGitRecord): { username: string; password: string } {
  const users = JSON.parse(readFileSync(usersFile(record), "utf8")) as GitUser[];
  const reader = users.find((u) => u.name === gitReader);
  if (!reader) throw new Error(`${usersFile(record)} has no user ${gitReader}`);
  return { username: reader.name, password: reader.password };
}

export function isGitServerRunning(record: FleetGitRecord): boolean {
  return isOurProcess(record.pid, record.dir);
}

/** Starts the server unless it runs; its pid is recorded through onStarted before the wait. */
export async function ensureFleetGitServer(record: FleetGitRecord, onStarted: () => void, timeoutMs = 30_000): Promise<void> {
  mkdirSync(join(record.dir, "repos"), { recursive: true, mode: 0o700 });
  ensureUsers(record);
  ensureBareRepository(join(record.dir, "repos"), record.repository);
  if (isGitServerRunning(record)) return;
  if (!(await isPortFree(record.port))) record.port = await freePort();
  const logFile = join(record.dir, "git-server.log");
  record.pid = startDaemon({
    command: process.execPath,
    args: ["--import", "tsx", join(repoRoot, "dev", "local", "git-server-main.ts"), record.dir, String(record.port)],
    logFile,
    cwd: repoRoot,
  });
  onStarted();
  await waitFor(
    "the fleet's Git server",
    async () => {
      if (!isGitServerRunning(record)) throw new FatalWaitError(`the Git server exited; see ${logFile}`);
      // Anonymous: 401 means it is serving.
      const res = await fetch(`http://127.0.0.1:${record.port}/`, { signal: AbortSignal.timeout(2_000) });
      return res.status === 401 ? true : undefined;
    },
    timeoutMs,
  );
}

export async function stopFleetGitServer(record: FleetGitRecord): Promise<void> {
  await stopDaemon(record.pid, record.dir);
  delete record.pid;
}

function git(record: FleetGitRecord, args: readonly string[], env: NodeJS.ProcessEnv = {}, input?: string): string {
  const result = spawnSync("git", ["-C", bareRepositoryDir(record), ...args], {
    encoding: "utf8",
    input,
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} in ${bareRepositoryDir(record)} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/**
 * Gives each cluster path its `dependencies/` and `resources/` directories
 * (an empty `.keep` in each), in one commit on the branch, when missing:
 * Flux fails a Kustomization whose path does not exist, and a branch with no
 * commit at all. Written straight into the bare repository (a temporary
 * index, no work tree); update-ref with the old value refuses to lose a
 * concurrent push.
 */
export function ensureClusterPaths(record: FleetGitRecord, clusterPaths: readonly string[]): void {
  const ref = `refs/heads/${record.branch}`;
  const head = spawnSync("git", ["-C", bareRepositoryDir(record), "rev-parse", "--verify", "-q", ref], { encoding: "utf8" });
  const parent = head.status === 0 ? head.stdout.trim() : undefined;
  const wanted = clusterPaths.flatMap((p) => [`${p}/dependencies/.keep`, `${p}/resources/.keep`]);
  const missing = wanted.filter((file) => {
    const dir = file.slice(0, file.lastIndexOf("/"));
    return !parent || git(record, ["ls-tree", "-d", parent, dir]) === "";
  });
  if (missing.length === 0) return;
  const scratch = mkdtempSync(join(record.dir, "seed-"));
  try {
    const env = {
      GIT_INDEX_FILE: join(scratch, "index"),
      GIT_AUTHOR_NAME: "pledge local fleet",
      GIT_AUTHOR_EMAIL: "fleet@pledge.invalid",
      GIT_COMMITTER_NAME: "pledge local fleet",
      GIT_COMMITTER_EMAIL: "fleet@pledge.invalid",
    };
    if (parent) git(record, ["read-tree", parent], env);
    const empty = git(record, ["hash-object", "-w", "--stdin"], env, "");
    for (const file of missing) git(record, ["update-index", "--add", "--cacheinfo", `100644,${empty},${file}`], env);
    const tree = git(record, ["write-tree"], env);
    const message = `Add cluster paths: ${[...new Set(missing.map((f) => f.split("/").slice(0, -2).join("/")))].join(", ")}`;
    const commit = git(record, ["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-m", message], env);
    git(record, ["update-ref", ref, commit, parent ?? ""], env);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
