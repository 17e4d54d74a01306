// The program's decision for one update run, made by the CLI once
// (src/cli/engine/stack-decision.ts), after a look into the team namespaces it
// would delete: the program keeps one that holds objects Pledge did not create
// (src/promise/namespace-keeping.ts).
import { namespaceContents } from "../clusters/namespace-contents";
import type { NamespaceContents } from "../../promise/namespace-keeping";
import type { RunChannelInput } from "../../run/channel";
import type { RunResult } from "../../run/decide";
import type { PledgeStack } from "../stack/pledge-stack";
import type { StateResource } from "../stack/state-objects";
import { stackDecision } from "./stack-decision";

export interface RunDecision {
  /** What is in the team namespaces the update would delete, for the program; undefined when nobody looked. */
  namespaceContents?: Map<string, string[]>;
  /** The decision the program will make, made once when asked: the first one serves when no namespace was looked into. */
  decision: () => Promise<RunResult | undefined>;
}

/**
 * The decision for a run of `stack` whose config and placement record are
 * `configStack`'s (the stack itself, or a shard's fleet stack). A fleet stack's
 * decision-only run looks into no namespace: it touches no cluster.
 */
export async function decideRun(
  stack: PledgeStack,
  configStack: PledgeStack,
  projectDir: string,
  channel: RunChannelInput,
  options: { allowDelete: readonly string[]; decisionOnly?: boolean },
  unreachable: ReadonlyMap<string, string>,
): Promise<RunDecision> {
  const deciding = stackDecision(configStack, projectDir, { mode: "online", allowDelete: options.allowDelete });
  const decide = (contents?: NamespaceContents) =>
    deciding.decide(stack, {
      ...channel,
      ...(contents ? { namespaceContents: Object.fromEntries([...contents].map(([k, v]) => [k, [...v]])) } : {}),
    });
  const looked = options.decisionOnly ? undefined : await lookIntoLeavingNamespaces(stack, decide, unreachable);
  let decided: Promise<RunResult | undefined> | undefined;
  return {
    ...(looked ? { namespaceContents: looked.contents } : {}),
    decision: () =>
      (decided ??= looked && looked.contents.size > 0 ? decide(looked.contents) : Promise.resolve(looked?.decision ?? decide())),
  };
}

/**
 * The program's decision made here, and what is in the team namespaces it
 * would delete (only those are listed, and the state is read only when there are any).
 */
async function lookIntoLeavingNamespaces(
  stack: PledgeStack,
  decide: () => Promise<RunResult | undefined>,
  unreachable: ReadonlyMap<string, string>,
): Promise<{ decision: RunResult | undefined; contents: Map<string, string[]> }> {
  const decision = await decide();
  const leaving = decision?.ok ? decision.decision.leavingNamespaces : [];
  if (leaving.length === 0) return { decision, contents: new Map() };
  const resources = ((await stack.exportState()).deployment as { resources?: StateResource[] }).resources ?? [];
  return { decision, contents: await namespaceContents(resources, leaving, new Set(unreachable.keys())) };
}
