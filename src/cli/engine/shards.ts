// `pledge up --all` / `preview --all` on a sharded fleet (pledge:shards).
// First the fleet stack: config checked, password seed set, every cluster
// probed, and the placement decided over the whole fleet and recorded (a
// preview records nothing). Then each shard's stack `<fleet>.<shard>` applies
// its clusters' part, side by side with bounded concurrency, on the fleet's
// config file. A shard that fails does not stop the others: every shard's
// result is reported, and the run fails if one did.
import { describeEngineFailure, isEngineFailure } from "../views/engine-failure";
import { shardStackName, type ShardModel } from "../../fleet/shards";
import { formatIssues } from "../../issues";
import { checkStackConfig } from "./check-config";
import type { EngineReport } from "./engine-events";
import { unreachableClusters } from "../clusters/reachability";
import { changedCount, printShardOutcome } from "../views/shard-report";
import { ShardProgress } from "../views/shard-progress";
import { configFileOf, dropSaltOnlyConfig } from "./shard-stacks";
import { PledgeStack } from "../stack/pledge-stack";
import { runUpdate } from "./update";
import type { UpdateOptions, UpdateResult } from "./update-options";
import { UpdateError } from "../update-error";

export interface ShardOutcome {
  shard: string;
  stack: string;
  /** Undefined when the shard failed. */
  result?: UpdateResult;
  error?: string;
  /** What the shard's run said, printed as one block when it ends (shards run side by side). */
  lines: string[];
  seconds: number;
}

export interface ShardedResult {
  fleet: UpdateResult;
  shards: ShardOutcome[];
  exitCode: number;
}

export interface ShardedOptions extends UpdateOptions {
  /** Only these shards (`--shard`); all when undefined. */
  only?: readonly string[];
  /** How many shards run at once (`parallel` is each shard's engine operations at once). */
  parallelShards: number;
}

/**
 * Two changes a sharded run must not make by accident, since each would make
 * one stack delete what another creates, in no set order: a fleet stack that
 * still holds objects from before it was split (its placement-only run would
 * delete them all), and a cluster that moves to another shard. Neither is
 * automatic yet; both are refused with what to do, before anything runs.
 */
async function refuseUnsafeSplit(fleet: PledgeStack, shards: readonly ShardModel[]): Promise<void> {
  const resources = ((await fleet.exportState()).deployment.resources ?? []) as { type: string }[];
  const objects = resources.filter((r) => r.type.startsWith("kubernetes:")).length;
  if (objects > 0)
    throw new UpdateError(
      `stack ${fleet.name} still holds ${objects} Kubernetes object(s) from before it was split into shards (pledge:shards), ` +
        `and splitting a running fleet is not automatic yet: nothing was changed. Remove pledge:shards to keep one stack, ` +
        `or move each cluster's resources into its shard's stack first (pulumi state move; see docs/scale.md, "Splitting a running fleet")`,
    );
  let before: unknown;
  try {
    before = (await fleet.outputs()).shards?.value;
  } catch {
    return;
  }
  if (typeof before !== "object" || before === null) return;
  const was = new Map(
    Object.entries(before as Record<string, string[]>).flatMap(([shard, clusters]) => clusters.map((c) => [c, shard])),
  );
  const moves = shards.flatMap((s) =>
    s.clusters.filter((c) => was.has(c) && was.get(c) !== s.name).map((c) => `${c} from shard ${was.get(c)} to ${s.name}`),
  );
  if (moves.length > 0)
    throw new UpdateError(
      `pledge:shards would move ${moves.join(", ")} (a changed label or selector), and moving a cluster between shards ` +
        `is not automatic yet: nothing was changed. Keep each cluster in its shard, or move its resources between the ` +
        `shards' stacks first (pulumi state move; see docs/scale.md)`,
    );
}

/** Runs tasks with at most `limit` at once, in order of the list; each settles on its own. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function runSharded(
  fleet: PledgeStack,
  kind: "up" | "preview",
  projectDir: string,
  options: ShardedOptions,
): Promise<ShardedResult> {
  const checked = await checkStackConfig(fleet, projectDir, options.allowDelete);
  if (checked.issues.length > 0) throw new UpdateError(formatIssues(checked.issues));
  const shards = checked.shards;
  if (!shards)
    throw new UpdateError(
      `stack ${fleet.name} is not split into shards (no pledge:shards): run pledge ${kind} without --all or --shard`,
    );
  const unknown = (options.only ?? []).filter((name) => !shards.some((s) => s.name === name));
  if (unknown.length > 0)
    throw new UpdateError(
      `--shard ${unknown.join(", ")}: stack ${fleet.name} has no such shard (pledge:shards: ${shards.map((s) => s.name).join(", ")})`,
    );
  await refuseUnsafeSplit(fleet, shards);
  const chosen = options.only ? shards.filter((s) => options.only!.includes(s.name)) : shards;
  const configFile = configFileOf(fleet, projectDir);
  const provisioned = checked.provisioned ?? false;

  // The decision, once: a bad config, an unplaceable request or an unconfirmed deletion stops here, before any shard runs.
  options.say(`stack ${fleet.name}: deciding the placement over the whole fleet (${shards.length} shards)`);
  const decided = await runUpdate(fleet, kind, projectDir, { ...options, decisionOnly: true });

  const progress = new ShardProgress(chosen.map((s) => s.name));
  const outcomes: ShardOutcome[] = [];
  const probe = () => unreachableClusters(fleet, projectDir);
  await eachLimited(chosen, Math.max(1, options.parallelShards), async (shard) => {
    const name = shardStackName(fleet.name, shard.name);
    const lines: string[] = [];
    const started = Date.now();
    progress.start(shard.name);
    try {
      const stack = await PledgeStack.open(name, true, projectDir, false);
      const result = await runUpdate(stack, kind, projectDir, {
        ...options,
        say: (line) => lines.push(line),
        progress: (line) => progress.update(shard.name, line),
        shard: { configFile, clusters: shard.clusters, unreachable: decided.unreachable, probe, provisioned, fleet },
      });
      const seconds = (Date.now() - started) / 1000;
      progress.end(shard.name, true, changedCount(result.report, kind));
      outcomes.push({ shard: shard.name, stack: name, result, lines, seconds });
    } catch (err) {
      const error = isEngineFailure(err) ? describeEngineFailure(err) : err instanceof Error ? err.message : String(err);
      progress.end(shard.name, false, error.split("\n")[0]!);
      outcomes.push({ shard: shard.name, stack: name, error, lines, seconds: (Date.now() - started) / 1000 });
    } finally {
      dropSaltOnlyConfig(projectDir, name);
    }
  });
  progress.close();
  outcomes.sort((a, b) => chosen.findIndex((s) => s.name === a.shard) - chosen.findIndex((s) => s.name === b.shard));

  for (const o of outcomes) printShardOutcome(o, options.say);
  const failed = outcomes.filter((o) => o.error);
  if (failed.length > 0) {
    throw new UpdateError(
      `${failed.length} of ${outcomes.length} shard(s) failed: ${failed.map((o) => `${o.shard} (stack ${o.stack})`).join(", ")}; ` +
        `the other shards were ${kind === "up" ? "updated" : "previewed"}. Fix the cause and run pledge ${kind} --all again` +
        ` (or --shard ${failed.map((o) => o.shard).join(",")})`,
    );
  }
  const codes = [decided.exitCode, ...outcomes.map((o) => o.result!.exitCode)];
  const exitCode = codes.includes(3) ? 3 : codes.includes(2) ? 2 : 0;
  return { fleet: decided, shards: outcomes, exitCode };
}

/** The shards' engine reports as one (each cluster is in one shard, so their maps do not overlap). */
export function mergedReport(reports: readonly EngineReport[]): EngineReport {
  return {
    errors: reports.flatMap((r) => r.errors),
    warnings: [...new Set(reports.flatMap((r) => r.warnings))],
    failedClusters: new Map(reports.flatMap((r) => [...r.failedClusters])),
    changes: new Map(reports.flatMap((r) => [...r.changes])),
    objects: new Map(reports.flatMap((r) => [...r.objects])),
  };
}
