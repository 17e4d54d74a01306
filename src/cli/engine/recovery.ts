// An update after faults: the operations a killed update left pending are
// resolved from the clusters first, and an update whose every failure came
// from clusters that stopped answering is partial, not failed.
import type { PledgeStack } from "../stack/pledge-stack";
import { engineText } from "../views/output";
import type { EngineListener, EngineReport } from "./engine-events";
import type { EngineRunOptions, UpdateOptions } from "./update-options";

/** After a killed update: operations it left pending are resolved by reading the clusters (objects it created are adopted by the next update). */
export async function recoverInterrupted(
  stack: PledgeStack,
  pending: number,
  common: EngineRunOptions,
  listener: EngineListener,
  options: UpdateOptions,
): Promise<void> {
  options.say(
    `the last update of stack ${stack.name} was interrupted with ${pending} operation(s) unfinished: reading their objects from the clusters first`,
  );
  await stack.refresh({
    ...(common.exclude ? { exclude: common.exclude, excludeDependents: true } : {}),
    clearPendingCreates: true,
    ...(common.configFile ? { configFile: common.configFile } : {}),
    ...(common.parallel ? { parallel: common.parallel } : {}),
    onEvent: listener.onEvent,
    ...(options.verbose ? engineText : {}),
  });
}

/**
 * When every failure of an update came from clusters that no longer answer,
 * the update is partial, not failed: the rest was applied. Those clusters, with why.
 */
export async function clustersThatWentAway(
  probe: () => Promise<Map<string, string>>,
  report: EngineReport,
): Promise<Map<string, string> | undefined> {
  if (report.failedClusters.size === 0) return undefined;
  const ours = report.errors.filter((e) => ![...report.failedClusters.values()].some((errors) => errors.includes(e)));
  if (ours.length > 0) return undefined;
  const now = await probe();
  const gone = new Map([...report.failedClusters.keys()].filter((c) => now.has(c)).map((c) => [c, now.get(c)!] as const));
  return gone.size === report.failedClusters.size ? gone : undefined;
}
