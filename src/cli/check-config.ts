// The stack's config checked by the CLI before the engine starts: a bad
// config is reported (every problem once) without even a refresh touching the
// state. The same parsing, fleet model and catalogue binding as the program.
import type { Stack } from "@pulumi/pulumi/automation";
import { readKubeconfigs } from "../config/kubeconfigs";
import { readRawStackConfig } from "../config/load";
import type { Issue } from "../issues";
import { buildStackModelWithKratix } from "../kratix/offers";
import { loadCatalogue } from "./project";

/** Every problem of the stack's config, or [] (also when the project's catalogue cannot be read here: the program then checks). */
export async function stackConfigIssues(stack: Stack, projectDir: string): Promise<Issue[]> {
  let catalogue;
  try {
    catalogue = loadCatalogue(projectDir);
  } catch {
    return [];
  }
  const values = await stack.getAllConfig();
  const { raw, issues: readIssues } = readRawStackConfig(projectDir, (key) => values[key]?.value);
  const { result: built } = buildStackModelWithKratix(raw, projectDir, catalogue);
  if (!built.ok || readIssues.length > 0) return [...readIssues, ...(built.ok ? [] : built.issues)];
  return readKubeconfigs(built.model.clusters, projectDir).issues;
}
