// The digest of a local chart's files, for the fingerprint: a chart can change
// under the same path, and the update must then run.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** The digest of every file under a directory (a local chart), by relative path. */
export function directoryDigest(dir: string): string {
  const hash = createHash("sha256");
  const walk = (d: string, prefix: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else hash.update(`${prefix}${name}\u0000`).update(readFileSync(path)).update("\u0000");
    }
  };
  walk(dir, "");
  return hash.digest("hex");
}
