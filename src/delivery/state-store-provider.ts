// The state-store resource's provider, run in Pulumi's dynamic provider host
// (src/pulumi/state-store-commit.ts loads it there by path). Its diff compares
// the desired files with what is in Git now, not with the previous inputs, so
// a hand edit in Git shows as drift and the next update reverts it.
import { createHash } from "node:crypto";
import { fileChanges, hasChanges, ownerPrefix, pathsOutside } from "../gitops/owned-files";
import { resolveDesiredFiles } from "../gitops/secret-files";
import type { StateStoreCommitInputs, StateStoreCommitResult } from "../gitops/store-inputs";
import { fileDiffEntries, heldRecords, writablePrefixes, type FileDiffKind } from "../gitops/store-plan";
import { readStoreFiles, writeStoreFiles, type GitStoreAccess } from "./git-store";
import { withDetailedDiff } from "./host-detailed-diff";
import { encryptSecretManifest } from "./sops";

/** The resource's state: what it needs to diff and delete later (no file contents), and what it wrote. */
export type StateStoreCommitState = Omit<StateStoreCommitInputs, "files" | "message"> & StateStoreCommitResult;

export interface StoreDiff {
  changes: boolean;
  replaces: string[];
  detailedDiff: Record<string, { kind: FileDiffKind; inputDiff: boolean }>;
}

const author = { name: "pledge", email: "pledge@users.noreply.pledge.dev" };

const access = (inputs: Pick<StateStoreCommitInputs, "store" | "credentials">): GitStoreAccess => ({
  ...inputs.store,
  username: inputs.credentials?.username,
  password: inputs.credentials?.password,
});

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** The desired files under the writable prefixes: those under held prefixes wait for a later run. */
const desiredUnder = (news: StateStoreCommitInputs, prefixes: string[]) =>
  Object.fromEntries(Object.entries(news.files).filter(([path]) => ownerPrefix(path, prefixes) !== undefined));

/** The desired files as final texts (unchanged Secrets keep their ciphertext), given what Git holds now. */
async function desiredTexts(news: StateStoreCommitInputs, prefixes: string[], current: ReadonlyMap<string, string>) {
  const { texts, toEncrypt } = resolveDesiredFiles(desiredUnder(news, prefixes), current);
  for (const secret of toEncrypt) texts.set(secret.path, await encryptSecretManifest(secret.secret, secret.ageRecipient));
  return texts;
}

const storeMoved = (olds: StateStoreCommitState, news: StateStoreCommitInputs) =>
  olds.store.url !== news.store.url || olds.store.branch !== news.store.branch;

/** In a preview, inputs not known yet (computed by other resources) arrive as placeholder strings. */
const known = (news: StateStoreCommitInputs) =>
  [news.files, news.prefixes, news.store, news.held].every((value) => typeof value === "object" && value !== null);

/** Inputs the program got wrong: a file no owned prefix covers would never be written, so it is refused up front. */
export function check(news: StateStoreCommitInputs): { property: string; reason: string }[] {
  if (!known(news)) return [];
  const owned = Object.keys(news.prefixes);
  return pathsOutside(Object.keys(news.files), owned).map((path) => ({
    property: `files[${JSON.stringify(path)}]`,
    reason: `${path} lies under none of the store's owned paths (${owned.join(", ")})`,
  }));
}

export async function diff(olds: StateStoreCommitState, news: StateStoreCommitInputs): Promise<StoreDiff> {
  // Until every input is known, Git cannot be compared: say it may change.
  if (!known(news)) return withDetailedDiff({ changes: true, replaces: [] }, {});
  if (storeMoved(olds, news)) return withDetailedDiff({ changes: true, replaces: ["store"] }, {});
  const prefixes = writablePrefixes(news, olds);
  // Every directory held (the store was found unreachable): nothing to compare, and the store is not asked.
  if (prefixes.length === 0) return withDetailedDiff({ changes: false, replaces: [] }, {});
  const { files: current } = await readStoreFiles(access(news), prefixes);
  // A Secret that must be encrypted anew differs from Git whatever its ciphertext: no need to run sops to know.
  const { texts, toEncrypt } = resolveDesiredFiles(desiredUnder(news, prefixes), current);
  for (const secret of toEncrypt) texts.set(secret.path, `\0 re-encrypt ${secret.path}`);
  const changes = fileChanges(current, texts);
  return withDetailedDiff({ changes: hasChanges(changes), replaces: [] }, fileDiffEntries(changes));
}

/** Create and update: make the store hold the desired files under every writable prefix. */
export async function write(news: StateStoreCommitInputs, olds?: StateStoreCommitState): Promise<StateStoreCommitState> {
  const prefixes = writablePrefixes(news, olds);
  const store = access(news);
  if (prefixes.length === 0) {
    const held: StateStoreCommitState = {
      store: news.store,
      credentials: news.credentials,
      prefixes: news.prefixes,
      held: news.held,
      commit: olds?.commit,
      files: heldRecords(olds?.files, news.held),
    };
    return held;
  }
  const { files: current } = await readStoreFiles(store, prefixes);
  const files = await desiredTexts(news, prefixes, current);
  const result = await writeStoreFiles(store, { prefixes, files, message: news.message, author });
  return {
    store: news.store,
    credentials: news.credentials,
    prefixes: news.prefixes,
    held: news.held,
    commit: result.commit,
    files: {
      ...heldRecords(olds?.files, news.held),
      ...Object.fromEntries([...files].map(([path, text]) => [path, sha256(text)])),
    },
  };
}

/** Removes every file under the owned prefixes (held ones stay) in one commit. */
export async function remove(state: StateStoreCommitState): Promise<void> {
  const prefixes = writablePrefixes(state);
  const message = `Remove ${prefixes.join(", ")}`;
  await writeStoreFiles(access(state), { prefixes, files: new Map(), message, author });
}
