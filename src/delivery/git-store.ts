// A Git state store read and written with isomorphic-git: a shallow fetch of
// one branch into a temporary bare repository (removed afterwards, also on
// error), the owned prefixes made exactly the desired files in one commit, one
// push. A push that lost a race (someone pushed first) is redone on the new
// head. Credentials go only through onAuth: never in a URL, a message or a file.
import * as fs from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import git, { type HttpClient } from "isomorphic-git";
import nodeHttp from "isomorphic-git/http/node";
import { fileChanges, filesUnder, hasChanges, ownerPrefix, pathsOutside, type FileChanges } from "../gitops/owned-files";
import { displayUrl, storeError } from "./store-errors";
import { commitFiles, textsUnder, writeFiles, writeText, type TreeFile } from "./git-tree";

export interface GitStoreAccess {
  name: string;
  url: string;
  branch: string;
  username?: string;
  password?: string;
}

export interface StoreWrite {
  /** Directories this write owns: afterwards each holds exactly the `files` under it. */
  prefixes: string[];
  /** Full repository path -> text. */
  files: Map<string, string>;
  message: string;
  author: { name: string; email: string };
}

export interface StoreWriteResult extends FileChanges {
  /** The branch's head afterwards (unset: the branch still does not exist). */
  commit?: string;
  committed: boolean;
}

/** A server that does not answer within this is unreachable, not slow. */
const requestTimeoutMs = 15_000;
const pushAttempts = 5;

const http: HttpClient = {
  request: (request) => nodeHttp.request({ ...request, fetchOptions: { ...request.fetchOptions, timeout: requestTimeoutMs } }),
};

const auth = (store: GitStoreAccess) => ({
  http,
  url: store.url,
  onAuth: () => (store.username === undefined ? undefined : { username: store.username, password: store.password ?? "" }),
});

/** Runs `work` on a fresh temporary bare repository, removed afterwards whatever happens. */
async function withGitdir<T>(store: GitStoreAccess, work: (gitdir: string) => Promise<T>): Promise<T> {
  const gitdir = await mkdtemp(join(tmpdir(), "pledge-store-"));
  try {
    await git.init({ fs, gitdir, bare: true });
    // A fetch into a non-empty repository needs a remote's refspec; the URL holds no credentials.
    await git.addRemote({ fs, gitdir, remote: "origin", url: store.url });
    return await work(gitdir);
  } finally {
    await rm(gitdir, { recursive: true, force: true });
  }
}

/** The branch's head, fetched one commit deep; unset for an empty repository or a branch not made yet. */
async function fetchHead(store: GitStoreAccess, gitdir: string): Promise<string | undefined> {
  try {
    const result = await git.fetch({
      fs,
      gitdir,
      ...auth(store),
      remote: "origin",
      ref: store.branch,
      singleBranch: true,
      depth: 1,
      tags: false,
    });
    return result.fetchHead ?? undefined;
  } catch (err) {
    if ((err as { code?: string }).code === "NotFoundError") return undefined;
    throw storeError(store, err);
  }
}

/** Every file currently under the prefixes (paths from the repository root), and the head they were read at. */
export async function readStoreFiles(
  store: GitStoreAccess,
  prefixes: string[],
): Promise<{ head?: string; files: Map<string, string> }> {
  return withGitdir(store, async (gitdir) => {
    const head = await fetchHead(store, gitdir);
    return { head, files: head ? await textsUnder(gitdir, head, prefixes) : new Map() };
  });
}

/** One attempt: fetch, apply, commit, push. `rejected` when someone else pushed first. */
async function attemptWrite(store: GitStoreAccess, write: StoreWrite): Promise<StoreWriteResult | "rejected"> {
  return withGitdir(store, async (gitdir) => {
    const head = await fetchHead(store, gitdir);
    const current = head ? await textsUnder(gitdir, head, write.prefixes) : new Map<string, string>();
    const changes = fileChanges(current, write.files);
    if (!hasChanges(changes)) return { commit: head, committed: false, ...changes };

    const kept = (head ? await commitFiles(gitdir, head) : []).filter(
      (file) => ownerPrefix(file.path, write.prefixes) === undefined,
    );
    const written: TreeFile[] = [];
    for (const [path, text] of write.files)
      written.push({ path, mode: "100644", oid: await writeText(gitdir, text), type: "blob" });
    const tree = await writeFiles(gitdir, [...kept, ...written]);
    const ref = `refs/heads/${store.branch}`;
    const commit = await git.commit({
      fs,
      gitdir,
      message: write.message,
      author: write.author,
      tree,
      parent: head ? [head] : [],
      ref,
    });
    try {
      const result = await git.push({ fs, gitdir, ...auth(store), ref, remoteRef: ref });
      if (!result.ok) return "rejected";
    } catch (err) {
      const code = (err as { code?: string }).code;
      // PushRejectedError: isomorphic-git saw the branch moved; GitPushError: the server refused the ref update.
      if (code === "PushRejectedError" || code === "GitPushError") return "rejected";
      throw storeError(store, err);
    }
    return { commit, committed: true, ...changes };
  });
}

/**
 * Makes everything under each owned prefix exactly `files` in one commit and
 * pushes it; nothing is committed when nothing differs. Files outside the
 * prefixes are never touched. A push rejected because the branch moved is
 * redone on the new head, up to 5 attempts.
 */
export async function writeStoreFiles(store: GitStoreAccess, write: StoreWrite): Promise<StoreWriteResult> {
  const stray = pathsOutside(write.files.keys(), write.prefixes);
  if (stray.length > 0)
    throw new Error(`state store ${store.name}: ${stray.join(", ")} lie outside the owned paths ${write.prefixes.join(", ")}`);
  const owned = { ...write, files: filesUnder(write.files, write.prefixes) };
  for (let attempt = 1; attempt <= pushAttempts; attempt++) {
    const result = await attemptWrite(store, owned);
    if (result !== "rejected") return result;
  }
  throw new Error(
    `state store ${store.name} (${displayUrl(store.url)}): the push to ${store.branch} was rejected ${pushAttempts} times ` +
      "because the branch kept moving (someone else is pushing to it); run again, or give this branch to Pledge alone",
  );
}
