// Whether an update would change nothing, decided before the engine starts:
// the program's decision for this run (src/promise/decide-run.ts, the same
// function the program runs) has the fingerprint the last update recorded.
// With no drift on the clusters, nothing pending and no leftovers to remove,
// `pledge up` then does not run the engine at all: for a large stack that is
// most of a no-change update (registering and diffing every object).
import type { Stack } from "@pulumi/pulumi/automation";
import { readRawStackConfig } from "../config/load";
import { previousStateOf } from "../outputs";
import { decideRun, type RunResult } from "../promise/decide-run";
import type { NamespaceContents } from "../promise/namespace-keeping";
import { pledgeCodeDigest } from "../pulumi/code-digest";
import { loadPlatform } from "./project";
import { nameOfUrn, type StateResource } from "./state-objects";
import { outputValues } from "./stack";

/**
 * The program's decision for this run of `stack`, made here before the engine
 * starts, or undefined when the program cannot be loaded (the engine will say
 * why). `decisionStack` holds the config and the placement record (a shard's
 * fleet stack; the stack itself otherwise).
 */
export async function decideBeforeEngine(
  stack: Stack,
  decisionStack: Stack,
  projectDir: string,
  run: {
    unreachable: ReadonlyMap<string, string>;
    allowDelete: readonly string[];
    /** What was found in the team namespaces the run would delete (src/cli/namespace-contents.ts). */
    namespaceContents?: NamespaceContents;
  },
): Promise<RunResult | undefined> {
  const values = await decisionStack.getAllConfig();
  const { raw, issues } = readRawStackConfig(projectDir, (key) => values[key]?.value);
  raw.allowDelete = [...run.allowDelete];
  const recorded = await outputValues(decisionStack);
  let platform;
  try {
    platform = loadPlatform(projectDir);
  } catch {
    return undefined; // the program will say what is wrong with it
  }
  return decideRun({
    raw,
    readIssues: issues,
    projectDir,
    catalogue: platform.catalogue,
    stackName: stack.name,
    previous: async () => previousStateOf(recorded),
    ownPrevious: async () => previousStateOf(await outputValues(stack)),
    unreachable: run.unreachable,
    // The program's copy of Pledge, whose digest its fingerprint holds (this CLI may be a build of it, or another install).
    code: typeof platform.codeDigest === "function" ? platform.codeDigest() : pledgeCodeDigest(),
    ...(run.namespaceContents ? { namespaceContents: run.namespaceContents } : {}),
  });
}

/** True when this run of `stack`'s program would register exactly what its last update did. */
export async function unchangedSinceLastUpdate(
  stack: Stack,
  run: {
    /** The program's decision for this run (decideBeforeEngine). */
    decide: () => Promise<RunResult | undefined>;
    /** False when an update journal already says the last update finished (it is kept when one did not). */
    checkHistory: boolean;
    /** The state now: every object the decision plans must be in it (a refresh may have dropped one). */
    resources: readonly StateResource[];
  },
): Promise<boolean> {
  const last = (await outputValues(stack)).fingerprint;
  if (typeof last !== "string") return false;
  if (run.checkHistory) {
    // A failed update records its outputs too, with objects that never made it: only a successful one counts.
    const history = await stack.history(10).catch(() => []);
    if (history.find((h) => h.kind === "update")?.result !== "succeeded") return false;
  }
  const result = await run.decide();
  if (!result?.ok || result.decision.fingerprint !== last) return false;
  const inState = new Set(run.resources.map((r) => nameOfUrn(r.urn)));
  return result.decision.plan.objects.every((o) => inState.has(o.resourceName));
}
