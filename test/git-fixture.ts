// A real Git smart-HTTP server (dev/local/git-server.ts) on loopback with a
// writer and a reader, bare repositories to point stores at, and the git CLI
// to look at them and to push "by hand" as another person would.
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ensureBareRepository, startGitServer } from "../dev/local/git-server";
import type { GitStoreAccess } from "../src/delivery/git-store";

export const writer = { name: "pledge", password: "writer-pw-7f3a9c", canPush: true };
export const reader = { name: "flux", password: "reader-pw-2b8e41", canPush: false };

export interface GitFixture {
  server: Server;
  root: string;
  port: number;
  /** A new empty repository and access to it as the writer. */
  store(name: string): GitStoreAccess & { bare: string };
  close(): Promise<void>;
}

export async function startGitFixture(): Promise<GitFixture> {
  const root = mkdtempSync(join(tmpdir(), "pledge-git-"));
  const server = await startGitServer({ root, users: [writer, reader] }, 0);
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    root,
    port,
    store: (name) => ({
      name,
      url: `http://127.0.0.1:${port}/${name}.git`,
      branch: "main",
      username: writer.name,
      password: writer.password,
      bare: ensureBareRepository(root, name),
    }),
    close: async () => {
      server.closeAllConnections();
      // Also when a test closed the server already (to see a store go away): the callback then gets an error.
      await new Promise((resolve) => server.close(resolve));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export const git = (gitdir: string, ...args: string[]) =>
  execFileSync("git", ["--git-dir", gitdir, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();

/** The branch's commits, newest first (none for an empty repository). */
export function commitsOf(bare: string, branch = "main"): string[] {
  try {
    return git(bare, "rev-list", branch).split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

/** Every file of the branch's head, path -> text. */
export function filesOf(bare: string, branch = "main"): Map<string, string> {
  const paths = git(bare, "ls-tree", "-r", "--name-only", branch).split("\n").filter(Boolean);
  return new Map(
    paths.map((path) => [path, execFileSync("git", ["--git-dir", bare, "show", `${branch}:${path}`], { encoding: "utf8" })]),
  );
}

/** A commit pushed straight into the bare repository by someone else: path -> text, or null to delete. */
export function pushByHand(bare: string, files: Record<string, string | null>, branch = "main"): string {
  const work = mkdtempSync(join(tmpdir(), "pledge-hand-"));
  try {
    const run = (...args: string[]) => execFileSync("git", ["-C", work, ...args], { encoding: "utf8" }).trim();
    run("init", "--quiet", `--initial-branch=${branch}`);
    run("config", "user.name", "someone");
    run("config", "user.email", "someone@example.com");
    if (commitsOf(bare, branch).length > 0) run("pull", "--quiet", bare, branch);
    for (const [path, text] of Object.entries(files)) {
      if (text === null) run("rm", "--quiet", path);
      else {
        mkdirSync(dirname(join(work, path)), { recursive: true });
        writeFileSync(join(work, path), text);
        run("add", path);
      }
    }
    run("commit", "--quiet", "-m", "by hand");
    run("push", "--quiet", bare, `HEAD:${branch}`);
    return run("rev-parse", "HEAD");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Makes someone else push right before the next push that reaches the server
 * (git-receive-pack's POST), `times` times: the race a retry must win.
 */
export function raceNextPushes(
  fixture: GitFixture,
  bare: string,
  times: number,
  files: () => Record<string, string | null>,
): void {
  const [original] = fixture.server.listeners("request") as ((...args: unknown[]) => void)[];
  let left = times;
  fixture.server.removeAllListeners("request");
  fixture.server.on("request", (req, res) => {
    if (left > 0 && req.method === "POST" && req.url?.endsWith("/git-receive-pack")) {
      left--;
      pushByHand(bare, files());
    }
    original!(req, res);
  });
}
