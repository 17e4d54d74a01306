// Where the control-plane binaries are. tools/setup.mjs builds them and puts
// their directory in PLEDGE_CONTROL_PLANE_BIN; running the fleet outside that
// wrapper is a usage error with a clear way out.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const controlPlaneBinaries = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"] as const;
export type ControlPlaneBinary = (typeof controlPlaneBinaries)[number];

/** Built into the same directory, for Git-delivered clusters: Flux out of cluster, and SOPS for the tests. */
export const fluxBinaries = ["source-controller", "kustomize-controller", "sops"] as const;
export type FluxBinary = (typeof fluxBinaries)[number];

export interface ControlPlaneTools {
  bin: (name: ControlPlaneBinary) => string;
  kwokStages: string;
}

export interface FluxTools {
  bin: (name: FluxBinary) => string;
  /** Every CRD file of source-controller and kustomize-controller (PLEDGE_FLUX_CRDS). */
  crdFiles: string[];
}

const notSetUp =
  "run the fleet through `npm run fleet:up` (or `node tools/run.mjs fleet up`), which builds the control plane first";

function binDirWith(env: NodeJS.ProcessEnv, names: readonly string[]): string {
  const binDir = env.PLEDGE_CONTROL_PLANE_BIN;
  if (!binDir) throw new Error(`PLEDGE_CONTROL_PLANE_BIN is not set: ${notSetUp}`);
  const missing = names.filter((b) => !existsSync(join(binDir, b)));
  if (missing.length > 0)
    throw new Error(`control-plane binaries missing from ${binDir}: ${missing.join(", ")}; run \`npm run setup\``);
  return binDir;
}

export function controlPlaneTools(env: NodeJS.ProcessEnv = process.env): ControlPlaneTools {
  const kwokStages = env.PLEDGE_KWOK_STAGES;
  if (!kwokStages) throw new Error(`PLEDGE_KWOK_STAGES is not set: ${notSetUp}`);
  const binDir = binDirWith(env, controlPlaneBinaries);
  return { bin: (name) => join(binDir, name), kwokStages };
}

export function fluxTools(env: NodeJS.ProcessEnv = process.env): FluxTools {
  const crdDir = env.PLEDGE_FLUX_CRDS;
  const binDir = env.PLEDGE_FLUX_BIN;
  if (!crdDir || !binDir) throw new Error(`PLEDGE_FLUX_BIN or PLEDGE_FLUX_CRDS is not set: ${notSetUp}`);
  const missing = fluxBinaries.filter((b) => !existsSync(join(binDir, b)));
  if (missing.length > 0 || !existsSync(crdDir))
    throw new Error(
      `Git delivery's tools are missing from ${binDir} (${missing.join(", ") || "flux-crds"}); run \`npm run setup\``,
    );
  const crdFiles = readdirSync(crdDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => join(crdDir, f));
  return { bin: (name) => join(binDir, name), crdFiles };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Flux's tools once they are there: a test run builds them in the background
 * (tools/run.mjs), and its directory appears whole, by rename, when done. A
 * failed build left its reason beside it: that is the error, at once.
 */
export async function awaitFluxTools(env: NodeJS.ProcessEnv = process.env, timeoutMs = 60 * 60_000): Promise<FluxTools> {
  const toolset = env.PLEDGE_GITOPS_TOOLS;
  const deadline = Date.now() + timeoutMs;
  for (let said = false; ; said = true) {
    if (toolset && existsSync(`${toolset}.failed`)) throw new Error(readFileSync(`${toolset}.failed`, "utf8").trim());
    if (toolset && existsSync(toolset)) return fluxTools(env);
    // Nothing builds it (or it took too long): say what is missing and how to get it.
    if (!toolset || env.PLEDGE_GITOPS_BUILDING !== "1" || Date.now() > deadline) return fluxTools(env);
    if (!said) process.stderr.write(`# waiting for Git delivery's tools to finish building (${toolset})\n`);
    await sleep(5_000);
  }
}
