// The stack's config checked by the CLI before the engine starts: a bad
// config is reported (every problem once) without even a refresh touching the
// state. It is the first step of the program's own decision
// (src/run/decide.ts), read once for the whole CLI run (src/cli/engine/stack-decision.ts).
import type { PledgeStack } from "../stack/pledge-stack";
import type { ShardModel } from "../../fleet/shards";
import type { Issue } from "../../issues";
import { isProvisioned } from "../../pulumi/register-clusters";
import { stackDecision } from "./stack-decision";

export interface CheckedConfig {
  issues: Issue[];
  /** pledge:shards with each shard's clusters, when the config is good and the stack is split; undefined when it is not. */
  shards?: ShardModel[];
  /** Whether Pledge provisions a cluster of the fleet (EKS, AKS, GKE): cloud resources need a checkpoint per step. */
  provisioned?: boolean;
}

/** Every problem of the stack's config, or none (also when the project's program cannot be loaded here: the program then checks). */
export async function checkStackConfig(
  stack: PledgeStack,
  projectDir: string,
  allowDelete: readonly string[] = [],
): Promise<CheckedConfig> {
  const reading = await stackDecision(stack, projectDir, { mode: "online", allowDelete }).read();
  if (!reading) return { issues: [] };
  if (!reading.result.ok) return { issues: reading.result.issues };
  const model = reading.result.stack.model;
  return {
    issues: [],
    ...(model.shards ? { shards: model.shards } : {}),
    provisioned: model.clusters.some(isProvisioned),
  };
}
