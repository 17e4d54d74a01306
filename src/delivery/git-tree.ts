// A commit's files as a flat list, and a flat list back as Git trees, on a
// bare object store: a state store is read and written without a checkout, so
// a repository holding many clusters costs only the objects of what changes,
// and every file outside the owned prefixes keeps its exact blob and mode.
import * as fs from "node:fs";
import git from "isomorphic-git";
import { leadsToOwned, ownerPrefix } from "../gitops/owned-files";

export interface TreeFile {
  path: string;
  mode: string;
  oid: string;
  type: "blob" | "commit";
}

/** Every file of a tree; directories that `descend` rejects are kept as they are, unlisted, under their own entry. */
async function list(gitdir: string, oid: string, base: string, descend: (dir: string) => boolean): Promise<TreeFile[]> {
  const { tree } = await git.readTree({ fs, gitdir, oid });
  const files: TreeFile[] = [];
  for (const entry of tree) {
    const path = base ? `${base}/${entry.path}` : entry.path;
    if (entry.type !== "tree") files.push({ path, mode: entry.mode, oid: entry.oid, type: entry.type as TreeFile["type"] });
    else if (descend(path)) files.push(...(await list(gitdir, entry.oid, path, descend)));
  }
  return files;
}

/** Every file (blob or submodule) of a commit. */
export async function commitFiles(gitdir: string, commit: string): Promise<TreeFile[]> {
  return list(gitdir, commit, "", () => true);
}

/** The texts of the files under the prefixes, reading only the directories that lead there. */
export async function textsUnder(gitdir: string, commit: string, prefixes: readonly string[]): Promise<Map<string, string>> {
  const files = await list(gitdir, commit, "", (dir) => leadsToOwned(dir, prefixes));
  const texts = new Map<string, string>();
  for (const file of files) {
    if (file.type !== "blob" || ownerPrefix(file.path, prefixes) === undefined) continue;
    const { blob } = await git.readBlob({ fs, gitdir, oid: file.oid });
    texts.set(file.path, Buffer.from(blob).toString("utf8"));
  }
  return texts;
}

/** Writes a text as a blob; its oid. */
export async function writeText(gitdir: string, text: string): Promise<string> {
  return git.writeBlob({ fs, gitdir, blob: Buffer.from(text, "utf8") });
}

/** Writes the trees holding exactly these files; the root tree's oid (isomorphic-git sorts entries Git's way). */
export async function writeFiles(gitdir: string, files: readonly TreeFile[]): Promise<string> {
  const here: { mode: string; path: string; oid: string; type: "blob" | "tree" | "commit" }[] = [];
  const below = new Map<string, TreeFile[]>();
  for (const file of files) {
    const slash = file.path.indexOf("/");
    if (slash < 0) here.push(file);
    else {
      const dir = file.path.slice(0, slash);
      if (!below.has(dir)) below.set(dir, []);
      below.get(dir)!.push({ ...file, path: file.path.slice(slash + 1) });
    }
  }
  for (const [dir, children] of below)
    here.push({ mode: "040000", path: dir, oid: await writeFiles(gitdir, children), type: "tree" });
  return git.writeTree({ fs, gitdir, tree: here });
}
