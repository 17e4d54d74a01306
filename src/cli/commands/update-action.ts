// What `pledge up` and `pledge preview` (and `pledge demo`) do: the update
// (src/cli/engine/update-stack.ts), then what it answers, printed. A failed
// update throws (UpdateError): its problems are printed once by the CLI, and
// no table from stale outputs.
import { formatIssues } from "../../issues";
import { updateStack } from "../engine/update-stack";
import { UpdateError } from "../update-error";
import { say } from "../views/output";
import { printPlacement } from "../views/placement-view";
import { previewMarkdown, previewSummary } from "../views/preview-summary";
import type { UpdateFlags } from "./options";
import type { RolloutCommand } from "../engine/rollout";
import type { StackOutputs } from "../../outputs";
import { gitopsKubeconfigs } from "../clusters/reachability";
import { waitUntilApplied } from "../engine/wait-applied";
import type { PledgeStack } from "../stack/pledge-stack";

export async function updateAction(kind: "up" | "preview", opts: UpdateFlags, command?: RolloutCommand): Promise<void> {
  const { stack, result } = await updateStack(kind, {
    stack: opts.stack,
    projectDir: opts.dir,
    options: {
      verbose: opts.verbose,
      allowDelete: opts.allowDelete,
      ...(opts.fullRefresh ? { fullRefresh: true } : {}),
      ...(opts.checkpoints ? { checkpoints: true } : {}),
      parallel: opts.parallel,
      waitSeconds: opts.wait,
      say,
    },
    rollout: { skipUnreachable: opts.skipUnreachable ?? false, ...(command ? { command } : {}) },
    ...(opts.all || opts.shard.length > 0
      ? { sharded: { ...(opts.all ? {} : { only: opts.shard }), parallelShards: opts.parallelShards } }
      : {}),
  });
  // The placement this preview stands for, as the program decided it (the same decision, made once in this
  // run): the --json / --markdown summary, and exit status 2 when a request is unplaced, as up's, in every form.
  const decided = kind === "preview" ? await result.decision() : undefined;
  const decidedOutputs = decided?.ok ? decided.decision.outputs : undefined;
  const why = decided && !decided.ok ? formatIssues(decided.issues) : "the project's program could not be loaded here";
  if (kind === "preview" && (opts.json || opts.markdown)) {
    if (!decidedOutputs) throw new UpdateError(`the preview's placement could not be summarised: ${why}`);
    const summary = previewSummary(stack.name, decidedOutputs, result.report, result.drift, result.rolloutPlan);
    process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : previewMarkdown(summary));
  } else if (kind === "preview" && !decidedOutputs) {
    say(`warning: whether every request would be placed could not be decided: ${why}`);
  }
  if (result.outputs) printPlacement(result.outputs);
  const unplaced = (decidedOutputs?.unplaced.length ?? 0) > 0 ? 2 : 0;
  const notApplied =
    kind === "up" && opts.waitApplied && result.outputs?.gitops ? await reportApplied(stack, result.outputs.gitops, opts) : 0;
  process.exitCode = result.exitCode || unplaced || notApplied || (process.exitCode ?? 0);
}

/** `--wait-applied`: waits for Flux, says per cluster what it saw; 4 (as pledge status) when one did not apply in time. */
async function reportApplied(
  stack: PledgeStack,
  gitops: NonNullable<StackOutputs["gitops"]>,
  opts: UpdateFlags,
): Promise<number> {
  const waited = await waitUntilApplied(gitops, await gitopsKubeconfigs(stack, opts.dir), opts.waitApplied!);
  if (waited.applied.length > 0) say(`Flux applied the new commit on ${waited.applied.join(", ")}`);
  for (const cluster of waited.unobserved)
    say(`${cluster}: committed at ${gitops[cluster]!.commit?.slice(0, 12)}, not observed (no kubeconfig to read it by)`);
  for (const [cluster, state] of waited.pending) say(`${cluster}: not applied within ${opts.waitApplied}s: ${state}`);
  return waited.pending.size > 0 ? 4 : 0;
}
