// Where the control-plane binaries are. tools/setup.mjs builds them and puts
// their directory in PLEDGE_CONTROL_PLANE_BIN; running the fleet outside that
// wrapper is a usage error with a clear way out.
import { existsSync } from "node:fs";
import { join } from "node:path";

export const controlPlaneBinaries = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"] as const;
export type ControlPlaneBinary = (typeof controlPlaneBinaries)[number];

export interface ControlPlaneTools {
  bin: (name: ControlPlaneBinary) => string;
  kwokStages: string;
}

export function controlPlaneTools(env: NodeJS.ProcessEnv = process.env): ControlPlaneTools {
  const binDir = env.PLEDGE_CONTROL_PLANE_BIN;
  const kwokStages = env.PLEDGE_KWOK_STAGES;
  if (!binDir || !kwokStages) {
    throw new Error(
      "PLEDGE_CONTROL_PLANE_BIN is not set: run the fleet through `npm run fleet:up` (or `node tools/run.mjs fleet up`), which builds the control plane first",
    );
  }
  const missing = controlPlaneBinaries.filter((b) => !existsSync(join(binDir, b)));
  if (missing.length > 0)
    throw new Error(`control-plane binaries missing from ${binDir}: ${missing.join(", ")}; run \`npm run setup\``);
  return { bin: (name) => join(binDir, name), kwokStages };
}
