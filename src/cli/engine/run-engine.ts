// One update's engine runs. `up`: an interrupted update's pending operations
// resolved, drift found by listing and refreshed, the engine not run at all
// when nothing changed, else the update (journaled, the state written once at
// its end) and the sweep of what an interrupted one left. `preview`: the drift
// on its own, then the preview.
import { driftedUrns } from "../clusters/drift-check";
import { readJournal, writeJournal } from "../../pulumi/update-journal";
import type { PledgeStack } from "../stack/pledge-stack";
import type { StateResource } from "../stack/state-objects";
import { failureText } from "../views/engine-failure";
import { printDrift } from "../views/update-report";
import { EngineListener, type EngineReport } from "./engine-events";
import { sweepJournal } from "./journal";
import { fastWhenJournaled } from "./program-channel";
import { recoverInterrupted } from "./recovery";
import type { EngineRunOptions, UpdateOptions } from "./update-options";

export async function runEngine(
  stack: PledgeStack,
  kind: "up" | "preview",
  common: EngineRunOptions,
  listener: EngineListener,
  options: UpdateOptions,
  unreachable: ReadonlyMap<string, string>,
  run: {
    /** The stack's update journal (file backends): present while an update has not finished. */
    journal: string | undefined;
    /** Skip the checkpoint after every step (the program records its objects in the journal). */
    fast: boolean;
    mayBeUnchanged: boolean;
    unchanged: (resources: readonly StateResource[]) => Promise<boolean>;
    /** Called when the engine is not run (nothing changed). */
    skipped: () => Promise<void>;
  },
): Promise<EngineReport | undefined> {
  const journal = run.journal;
  if (kind === "up") {
    // continueOnError: a cluster that fails mid-update does not stop the others.
    const state = (await stack.exportState()).deployment as { pending_operations?: unknown[]; resources?: StateResource[] };
    const pending = state.pending_operations?.length ?? 0;
    if (pending > 0) await recoverInterrupted(stack, pending, common, listener, options);
    // Drift repair: objects deleted or edited by hand are refreshed from their clusters, then put back by the update.
    // Found by listing each kind once per namespace; when that cannot decide, everything is refreshed.
    const drifted =
      pending > 0 || options.fullRefresh
        ? undefined
        : await driftedUrns(state.resources ?? [], new Set(unreachable.keys()), (why) =>
            options.say(`the drift check could not decide (${why}): every object is read back from its cluster instead (slower)`),
          );
    // A journal left behind means an update that did not finish: it may have applied objects no state knows.
    const unfinished = journal !== undefined && readJournal(journal) !== undefined;
    if (drifted?.length === 0 && !unfinished && run.mayBeUnchanged && (await run.unchanged(state.resources ?? []))) {
      if (options.verbose)
        options.say("nothing changed since the last update (same fingerprint, no drift): the engine was not run");
      await run.skipped();
      return undefined;
    }
    // From here until the update ends the journal exists, so a kill anywhere (even during the refresh) is seen next time.
    if (journal && !unfinished) writeJournal(journal, { earlier: [], current: [] });
    if (drifted !== undefined && drifted.length > 0) {
      if (options.verbose) options.say(`refreshing ${drifted.length} object(s) changed or deleted on the clusters`);
      await stack.refresh({ ...common, target: drifted });
    }
    await fastWhenJournaled(stack, run.fast ? journal : undefined, () =>
      stack.up({ ...common, continueOnError: true, ...(drifted === undefined ? { refresh: true } : {}) }),
    );
    // With a cluster left alone, what the update planned there is not on record: the journal waits for the next update.
    if (journal && unreachable.size === 0) {
      await sweepJournal(journal, async () => (await stack.exportState()).deployment.resources ?? [], options.say).catch(
        (err: unknown) =>
          options.say(
            `warning: objects an interrupted update left could not be checked (${failureText(err)}); the next pledge up tries again`,
          ),
      );
    }
    return undefined;
  }
  // Drift first, on its own: what changed on the clusters outside Pledge (nothing is written).
  const drift = new EngineListener();
  await stack.previewRefresh({ ...common, onEvent: drift.onEvent });
  if (!options.decisionOnly) printDrift(drift.report(), options.say);
  await stack.preview({ ...common, refresh: true, ...(options.verbose ? { diff: true } : {}) });
  return drift.report();
}
