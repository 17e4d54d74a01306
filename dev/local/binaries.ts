// Where the control-plane binaries are. tools/setup.mjs builds them and puts
// their directory in PLEDGE_CONTROL_PLANE_BIN; running the fleet outside that
// wrapper is a usage error with a clear way out.
import { existsSync, readdirSync } from "node:fs";
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
  if (!crdDir || !existsSync(crdDir)) throw new Error(`PLEDGE_FLUX_CRDS is not set or missing (${crdDir}): ${notSetUp}`);
  const binDir = binDirWith(env, fluxBinaries);
  const crdFiles = readdirSync(crdDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => join(crdDir, f));
  return { bin: (name) => join(binDir, name), crdFiles };
}
