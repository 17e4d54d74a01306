// What one state-store resource owns this run and how its change reads in a
// preview. Prefixes dropped from the inputs are still owned until their files
// are gone (a cluster removed from the store is emptied, so Flux prunes it);
// held prefixes are neither read nor written.
import type { FileChanges } from "./owned-files";
import { ownerPrefix } from "./owned-files";

export type FileDiffKind = "add" | "update" | "delete";

/** The prefixes a write makes exact: the new ones and the ones given up, except those held. */
export function writablePrefixes(
  next: { prefixes: Record<string, unknown>; held: readonly string[] },
  previous?: { prefixes?: Record<string, unknown> },
): string[] {
  const all = new Set([...Object.keys(next.prefixes), ...Object.keys(previous?.prefixes ?? {})]);
  return [...all].filter((prefix) => !next.held.includes(prefix));
}

/** One entry per changed file, keyed as Pulumi names a property: `files["<path>"]`. */
export function fileDiffEntries(changes: FileChanges): Record<string, FileDiffKind> {
  const entries: Record<string, FileDiffKind> = {};
  for (const path of changes.added) entries[`files[${JSON.stringify(path)}]`] = "add";
  for (const path of changes.changed) entries[`files[${JSON.stringify(path)}]`] = "update";
  for (const path of changes.removed) entries[`files[${JSON.stringify(path)}]`] = "delete";
  return entries;
}

/** The recorded hashes of files under held prefixes: kept, since those files were not looked at. */
export function heldRecords(records: Record<string, string> | undefined, held: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(records ?? {}).filter(([path]) => ownerPrefix(path, held) !== undefined));
}
