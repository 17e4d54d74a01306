// What the project's program is handed for a run of the engine
// (src/run/channel.ts), through the engine's environment for this stack's runs
// only (the workspace's, not this process's: shards of one fleet run side by side).
import { readRunChannel, runChannelEnv, runChannelVariable, type RunChannelInput } from "../../run/channel";
import type { PledgeStack } from "../stack/pledge-stack";

/** Hands `channel` to the program of the stack's next engine runs, with the engine settings every Pledge run uses. */
export function handToProgram(stack: PledgeStack, channel: RunChannelInput): void {
  const env = stack.workspace.envVars;
  Object.assign(env, runChannelEnv(channel));
  // Pledge owns what it applies, chart and YAML objects included (its own manifests carry
  // pulumi.com/patchForce): an edit by hand is taken back instead of failing on a field conflict.
  env.PULUMI_K8S_ENABLE_PATCH_FORCE = "true";
  // The program runs transpile-only unless asked otherwise: Pulumi's ts-node otherwise type-checks it and the
  // SDKs it imports on every run (20-70 s and about 2 GiB here), and Pulumi only sees a tsconfig's noCheck when it
  // is in the project's own file, not in one it extends. Type-check with tsc in the build instead.
  env.PULUMI_NODEJS_TRANSPILE_ONLY = process.env.PULUMI_NODEJS_TRANSPILE_ONLY ?? "true";
}

/** The run is over: the stack's next engine run is handed nothing it was not given again. */
export function takeBackFromProgram(stack: PledgeStack): void {
  delete stack.workspace.envVars[runChannelVariable];
}

/**
 * Runs an update with the state written once at its end instead of after every
 * step, the program recording its objects in the journal first (see
 * src/pulumi/update-journal.ts for why a kill -9 still loses nothing).
 */
export async function fastWhenJournaled<T>(stack: PledgeStack, journal: string | undefined, run: () => Promise<T>): Promise<T> {
  if (!journal) return run();
  const env = stack.workspace.envVars;
  const handed = env[runChannelVariable];
  env.PULUMI_SKIP_CHECKPOINTS = "true";
  Object.assign(env, runChannelEnv({ ...readRunChannel(handed), updateJournal: journal }));
  try {
    return await run();
  } finally {
    delete env.PULUMI_SKIP_CHECKPOINTS;
    if (handed === undefined) delete env[runChannelVariable];
    else env[runChannelVariable] = handed;
  }
}
