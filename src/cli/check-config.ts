// The stack's config checked by the CLI before the engine starts: a bad
// config is reported (every problem once) without even a refresh touching the
// state. The same parsing, fleet model and catalogue binding as the program.
import type { Stack } from "@pulumi/pulumi/automation";
import { readKubeconfigs } from "../config/kubeconfigs";
import { readRawStackConfig } from "../config/load";
import type { ShardModel } from "../fleet/shards";
import type { Issue } from "../issues";
import { buildStackModelWithKratix } from "../kratix/offers";
import { isProvisioned } from "../pulumi/register-clusters";
import { loadCatalogue } from "./project";

export interface CheckedConfig {
  issues: Issue[];
  /** pledge:shards with each shard's clusters, when the config is good and the stack is split; undefined when it is not. */
  shards?: ShardModel[];
  /** Whether Pledge provisions a cluster of the fleet (EKS, AKS, GKE): cloud resources need a checkpoint per step. */
  provisioned?: boolean;
}

/** Every problem of the stack's config, or none (also when the project's catalogue cannot be read here: the program then checks). */
export async function checkStackConfig(stack: Stack, projectDir: string): Promise<CheckedConfig> {
  let catalogue;
  try {
    catalogue = loadCatalogue(projectDir);
  } catch {
    return { issues: [] };
  }
  const values = await stack.getAllConfig();
  const { raw, issues: readIssues } = readRawStackConfig(projectDir, (key) => values[key]?.value);
  const { result: built } = buildStackModelWithKratix(raw, projectDir, catalogue);
  if (!built.ok || readIssues.length > 0) return { issues: [...readIssues, ...(built.ok ? [] : built.issues)] };
  return {
    issues: readKubeconfigs(built.model.clusters, projectDir).issues,
    ...(built.model.shards ? { shards: built.model.shards } : {}),
    provisioned: built.model.clusters.some(isProvisioned),
  };
}

export async function stackConfigIssues(stack: Stack, projectDir: string): Promise<Issue[]> {
  return (await checkStackConfig(stack, projectDir)).issues;
}
