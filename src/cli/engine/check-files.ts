// `pledge check`: request files under change, decided by the program's own
// pipeline offline (src/run/decide.ts: no kubeconfig, no cluster, no network),
// in place of their committed versions; what they ask for and where it would go.
import { unplacedWarning } from "../../core/outcome";
import { formatIssues } from "../../issues";
import type { StackOutputs } from "../../outputs";
import type { PledgeStack } from "../stack/pledge-stack";
import { UpdateError } from "../update-error";
import { requestFileName } from "../../run/stack-config";
import { stackDecision } from "./stack-decision";

export interface CheckedFiles {
  /** The stack's outputs as the decision has them, with only the checked files' requests. */
  outputs: StackOutputs;
  /** Why some of those requests would not be fully placed; undefined when all would be. */
  unplaced: string | undefined;
}

/** The checked files' requests, or every problem of the stack with them (UpdateError). */
export async function checkRequestFiles(stack: PledgeStack, projectDir: string, files: readonly string[]): Promise<CheckedFiles> {
  const result = await stackDecision(stack, projectDir, { mode: "offline", checkedFiles: files }).decide(stack, {});
  if (!result) throw new UpdateError(`the project's program in ${projectDir} could not be loaded`);
  if (!result.ok) throw new UpdateError(formatIssues(result.issues));
  const { model, outputs, placement } = result.decision;
  const checked = new Set(files.map((f) => requestFileName(projectDir, f)));
  const keys = model.requests.filter((r) => checked.has(r.configPath.split(": ")[0]!)).map((r) => `${r.promise}/${r.name}`);
  const unplaced = unplacedWarning(placement.requests.filter((r) => keys.includes(r.key)));
  return { outputs: { ...outputs, requests: Object.fromEntries(keys.map((k) => [k, outputs.requests[k]!])) }, unplaced };
}
