// `pledge up` and `pledge preview` from the top: the stack opened while what
// the update needs anyway loads, then the update of that one stack, or of
// every chosen shard of a sharded fleet as one result.
import { kubeClientLibrary } from "../clusters/kube-client";
import { PledgeStack } from "../stack/pledge-stack";
import { loadPlatform } from "../stack/project";
import { mergedReport, runSharded } from "./shards";
import { runUpdate } from "./update";
import { configKeys } from "../../config/keys";
import { rolloutPreview, rolloutUpdate, type RolloutOptions } from "./rollout";
import type { UpdateOptions, UpdateResult } from "./update-options";

export interface StackUpdate {
  stack: string;
  projectDir: string;
  options: UpdateOptions;
  /** A sharded fleet (`--all`, `--shard`): only these shards (all when undefined), parallelShards at once. */
  sharded?: { only?: readonly string[]; parallelShards: number };
  /** pledge:rollout: what the person asked of the rollout (approve, resume, undo) and whether a wave may skip unreachable clusters. */
  rollout?: RolloutOptions;
}

/**
 * Loads what an update needs anyway (the Kubernetes client, the project's
 * program) while the pulumi CLI, started by PledgeStack.open, reads the stack in
 * processes of its own: the two overlap instead of adding up (about 0.7 s of
 * a no-change update). A program that does not load is left for the config
 * check to report.
 */
async function warmUp(projectDir: string): Promise<void> {
  const yieldToIo = () => new Promise((resolve) => setImmediate(resolve));
  await yieldToIo();
  kubeClientLibrary();
  await yieldToIo();
  try {
    loadPlatform(projectDir);
  } catch {
    // reported by the config check, in its words
  }
}

/** Runs the update; a failed one throws (UpdateError), so no result stands for stale outputs. */
export async function updateStack(
  kind: "up" | "preview",
  update: StackUpdate,
): Promise<{ stack: PledgeStack; result: UpdateResult }> {
  const opening = PledgeStack.open(update.stack, true, update.projectDir);
  opening.catch(() => undefined); // its failure is reported by the await below, once
  await warmUp(update.projectDir);
  const stack = await opening;
  if (!update.sharded) {
    // With pledge:rollout the change goes out in waves (src/cli/engine/rollout.ts); the key is read from config already loaded.
    const staged = (await stack.config())[configKeys.rollout] !== undefined;
    const result = !staged
      ? await runUpdate(stack, kind, update.projectDir, update.options)
      : kind === "up"
        ? await rolloutUpdate(stack, update.projectDir, update.options, update.rollout ?? { skipUnreachable: false })
        : ((await rolloutPreview(stack, update.projectDir, update.options)) ??
          (await runUpdate(stack, kind, update.projectDir, update.options)));
    return { stack, result };
  }
  const sharded = await runSharded(stack, kind, update.projectDir, { ...update.options, ...update.sharded });
  return {
    stack,
    result: {
      ...sharded.fleet,
      exitCode: sharded.exitCode,
      report: mergedReport(sharded.shards.map((s) => s.result!.report)),
      ...(kind === "preview" ? { drift: mergedReport(sharded.shards.map((s) => s.result!.drift!)) } : {}),
    },
  };
}
