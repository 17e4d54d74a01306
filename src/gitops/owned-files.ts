// Which files of a state store a run owns, and how the files there differ from
// the desired ones. A prefix is a directory (`clusters/edge-1/resources`): a
// run owns every file below it and no file outside it, so Flux prunes what the
// run stops rendering and nobody else's files are ever touched.
import { compareText } from "../labels/ordering";

/** The files the owned prefixes cover, and how they differ from what is there. */
export interface FileChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/** `a/b` and `a/b/` name the same directory. */
const asDirectory = (prefix: string) => (prefix.endsWith("/") ? prefix : `${prefix}/`);

/** The owned prefix a repository path lies under, if any. */
export function ownerPrefix(path: string, prefixes: readonly string[]): string | undefined {
  return prefixes.find((prefix) => path.startsWith(asDirectory(prefix)));
}

/** Whether a directory must be looked into to find files under the prefixes (it holds one, or lies under one). */
export function leadsToOwned(directory: string, prefixes: readonly string[]): boolean {
  const dir = asDirectory(directory);
  return prefixes.some((prefix) => asDirectory(prefix).startsWith(dir) || dir.startsWith(asDirectory(prefix)));
}

/** The subset of `files` under the prefixes. */
export function filesUnder<T>(files: ReadonlyMap<string, T>, prefixes: readonly string[]): Map<string, T> {
  return new Map([...files].filter(([path]) => ownerPrefix(path, prefixes) !== undefined));
}

/** Desired paths no owned prefix covers: a contract breach by the caller, never silently written. */
export function pathsOutside(paths: Iterable<string>, prefixes: readonly string[]): string[] {
  return [...paths].filter((path) => ownerPrefix(path, prefixes) === undefined);
}

/**
 * What makes the owned files exactly `desired`: `current` is what the store
 * holds under the owned prefixes. Each list is sorted, so messages and diffs
 * read the same on every run.
 */
export function fileChanges(current: ReadonlyMap<string, string>, desired: ReadonlyMap<string, string>): FileChanges {
  const sorted = (paths: string[]) => paths.sort(compareText);
  return {
    added: sorted([...desired.keys()].filter((path) => !current.has(path))),
    changed: sorted([...desired].filter(([path, text]) => current.has(path) && current.get(path) !== text).map(([p]) => p)),
    removed: sorted([...current.keys()].filter((path) => !desired.has(path))),
  };
}

export const hasChanges = (changes: FileChanges) => changes.added.length + changes.changed.length + changes.removed.length > 0;
