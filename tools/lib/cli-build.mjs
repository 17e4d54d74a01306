// The `pledge` CLI as JavaScript, for running it from this checkout. Run from
// its TypeScript through tsx, every command spent about 1.5 s more starting
// (tsx's resolver sits in front of each of the ~1,500 modules the Pulumi SDK
// and the Kubernetes client load); a user's `pledge` is compiled JavaScript
// (dist/, tsconfig.build.json) and does not pay it either. esbuild transpiles
// src/ file by file, as tsx does, in well under a second, and only when a
// source changed since the last build. Types are checked by tsc, not here.
import { buildSync } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "./paths.mjs";

/** What the build was made from: every source's path, size and modification time. */
function sourcesStamp(root, files) {
  const hash = createHash("sha256");
  for (const file of files) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${relative(root, file)} ${size} ${mtimeMs}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}

/** Builds older than this are removed; a CLI started from one has long finished loading it. */
const keepOldBuildsMs = 10 * 60_000;

/**
 * The compiled CLI's entry point, built first when a .ts source under root/src
 * changed since. Each build has a directory of its own, named by what it was
 * built from, so a CLI still loading an older build never sees it replaced.
 * The builds are inside the checkout (root/.pledge, not PLEDGE_STATE_DIR):
 * they resolve their packages from the checkout's node_modules.
 */
export function cliEntry(root = repoRoot) {
  const builds = join(root, ".pledge", "cli-build");
  const files = readdirSync(join(root, "src"), { recursive: true })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(root, "src", f))
    .sort();
  const stamp = sourcesStamp(root, files);
  const dir = join(builds, stamp);
  const entry = join(dir, "src", "cli", "main.js");
  if (existsSync(entry)) return entry;
  // Built beside, then renamed in place: a CLI started meanwhile never sees half a build.
  const fresh = `${dir}.${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  buildSync({
    entryPoints: files,
    outdir: join(fresh, "src"),
    outbase: join(root, "src"),
    format: "cjs",
    platform: "node",
    target: "node22",
    sourcemap: "inline",
    logLevel: "error",
  });
  try {
    renameSync(fresh, dir);
  } catch (err) {
    // Another run built the same sources at the same moment: use its build.
    rmSync(fresh, { recursive: true, force: true });
    if (!existsSync(entry)) throw err;
  }
  for (const old of readdirSync(builds)) {
    const path = join(builds, old);
    if (old !== stamp && Date.now() - statSync(path).mtimeMs > keepOldBuildsMs) rmSync(path, { recursive: true, force: true });
  }
  return entry;
}
/**
 * Node arguments that run the CLI. The build carries source maps; Node reads
 * them with NODE_OPTIONS=--enable-source-maps (then a stack trace names the
 * TypeScript lines), which is not the default: it parses every package's maps
 * too, 0.3 s a start.
 */
export function cliArgs() {
  return [cliEntry()];
}
