// `pledge up` and `pledge preview` as a platform owner needs them after
// faults: a lock left by a killed update is cleared (a live one is waited for,
// bounded), an interrupted update's pending operations are resolved from the
// clusters, drift is refreshed from the clusters first, an unreachable cluster
// is named and left alone while the rest is updated, and any problem is
// printed once. Exit status: 0 done, 1 failed, 2 a request is not fully placed,
// 3 partial (a cluster was unreachable and left as it was).
import { configKeys } from "../../config/keys";
import type { RunChannelInput } from "../../run/channel";
import type { RunResult } from "../../run/decide";
import { clusterResourcePatterns, unreachableClusters } from "../clusters/reachability";
import type { PledgeStack } from "../stack/pledge-stack";
import { stackOutputs } from "../stack/stack-outputs";
import { UpdateError } from "../update-error";
import { failureText } from "../views/engine-failure";
import { engineText } from "../views/output";
import { printChanges, printWarnings } from "../views/update-report";
import { EngineListener, type EngineReport } from "./engine-events";
import { journalOf } from "./journal";
import { retryWhileLocked } from "./locks";
import { preflight } from "./preflight";
import { handToProgram, takeBackFromProgram } from "./program-channel";
import { clustersThatWentAway } from "./recovery";
import { decideRun } from "./run-decision";
import { runEngine } from "./run-engine";
import { previewSecretSeed } from "./secret-seed";
import { unchangedSinceLastUpdate } from "./unchanged";
import { defaultParallel, type EngineRunOptions, type UpdateOptions, type UpdateResult } from "./update-options";

/**
 * Runs `up` (or a preview) with every fault handled. The CommandError of a
 * failed engine run never reaches the person: its problems do, once.
 */
export async function runUpdate(
  stack: PledgeStack,
  kind: "up" | "preview",
  projectDir: string,
  options: UpdateOptions,
): Promise<UpdateResult> {
  const listener = new EngineListener(options.progress);
  const shard = options.shard;
  const probe = shard?.probe ?? (() => unreachableClusters(stack, projectDir));
  const { provisioned, unreachable } = await preflight(stack, kind, projectDir, options, probe);
  // Clusters whose objects the engine leaves as they are: the unreachable, and those a halted rollout wave left alone
  // (reachable: they still count in placement, and are not "unreachable" in the run's report).
  const leftAlone = new Map([...unreachable, ...(options.leaveAlone ?? [])]);
  const configStack = shard?.fleet ?? stack;
  const seeded = (await configStack.config())[configKeys.secretSeed]?.value !== undefined;
  const channel: RunChannelInput = {
    unreachable: Object.fromEntries(unreachable),
    allowDelete: [...options.allowDelete],
    ...(seeded ? {} : { previewSecretSeed: previewSecretSeed(configStack.name) }),
    ...(options.rollout ? { rollout: options.rollout } : {}),
  };
  handToProgram(stack, channel);
  const exclude = [...leftAlone.keys()].flatMap(clusterResourcePatterns);
  const common: EngineRunOptions = {
    onEvent: listener.onEvent,
    ...(exclude.length > 0 ? { exclude, excludeDependents: true } : {}),
    ...(options.verbose ? engineText : {}),
    ...(shard ? { configFile: shard.configFile } : {}),
    parallel: options.parallel ?? defaultParallel,
  };
  const deadline = Date.now() + options.waitSeconds * 1000;
  let drift: EngineReport | undefined;
  // The program's decision for this run, made here once when asked (src/cli/engine/stack-decision.ts).
  let decision: () => Promise<RunResult | undefined> = async () => undefined;
  try {
    // A team namespace the update would delete is looked into first: the program keeps it when it holds objects Pledge did not create.
    const decided = await decideRun(stack, configStack, projectDir, channel, options, unreachable);
    if (decided.namespaceContents)
      handToProgram(stack, { ...channel, namespaceContents: Object.fromEntries(decided.namespaceContents) });
    decision = decided.decision;
    drift = await retryWhileLocked(stack, deadline, options.say, async () => {
      const journal = kind === "up" ? await journalOf(stack) : undefined;
      return runEngine(stack, kind, common, listener, options, leftAlone, {
        journal,
        fast: !options.checkpoints && !provisioned,
        // Cloud resources can drift where no listing sees it: a fleet Pledge provisions always runs the engine.
        mayBeUnchanged: !provisioned && leftAlone.size === 0,
        unchanged: (resources) =>
          unchangedSinceLastUpdate(stack, { decide: decision, checkHistory: journal === undefined, resources }),
        // The program's notices (a kept namespace) are said here when the engine, and so the program, does not run.
        skipped: async () => {
          const result = await decision();
          for (const notice of result?.ok ? result.decision.notices : []) options.say(`warning: ${notice}`);
        },
      });
    });
  } catch (err) {
    const report = listener.report();
    printWarnings(report, options.say);
    const partial = kind === "up" ? await clustersThatWentAway(probe, report) : undefined;
    if (partial) {
      for (const [cluster, why] of partial) {
        options.say(
          `cluster ${cluster} became unreachable during the update (${why}): what was not done there is done by the next pledge up`,
        );
        unreachable.set(cluster, why);
      }
      return { ...(await finish(stack, kind, report, unreachable, options, drift)), decision };
    }
    const problems = report.errors.length > 0 ? report.errors : [failureText(err)];
    throw new UpdateError(problems.join("\n"));
  } finally {
    takeBackFromProgram(stack);
  }
  const report = listener.report();
  printWarnings(report, options.say);
  return { ...(await finish(stack, kind, report, unreachable, options, drift)), decision };
}

/** The run's exit status and outputs, and (but for a fleet stack's decision-only run) what changed on each cluster. */
async function finish(
  stack: PledgeStack,
  kind: "up" | "preview",
  report: EngineReport,
  unreachable: Map<string, string>,
  options: UpdateOptions,
  drift?: EngineReport,
): Promise<Omit<UpdateResult, "decision">> {
  const outputs = kind === "up" ? await stackOutputs(stack) : undefined;
  const exitCode = unreachable.size > 0 ? 3 : (outputs?.unplaced.length ?? 0) > 0 ? 2 : 0;
  if (options.decisionOnly) return { exitCode, outputs, report, unreachable, ...(drift ? { drift } : {}) };
  const clusters =
    options.shard?.clusters ??
    outputs?.clusters ??
    (await stackOutputs(stack).then(
      (o) => o.clusters,
      () => [...report.changes.keys()],
    ));
  printChanges(kind, report, clusters, options.say);
  return { exitCode, outputs, report, unreachable, ...(drift ? { drift } : {}) };
}
