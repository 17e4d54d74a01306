// `pledge up` and `pledge preview` as a platform owner needs them after
// faults: a lock left by a killed update is cleared (a live one is waited for,
// bounded), an interrupted update's pending operations are resolved from the
// clusters, drift is refreshed from the clusters first, an unreachable cluster
// is named and left alone while the rest is updated, and any problem is
// printed once. Exit status: 0 done, 1 failed, 2 a request is not fully placed,
// 3 partial (a cluster was unreachable and left as it was).
import { join } from "node:path";
import { configKeys } from "../../config/keys";
import { formatIssues } from "../../issues";
import { compareText } from "../../labels/ordering";
import { checkStackConfig } from "./check-config";
import type { StackOutputs } from "../../outputs";
import { changesLine, EngineListener, type EngineReport } from "./engine-events";
import { describeLock, fileBackendDir, isStale, removeLock, stackLocks, type StackLock } from "./locks";
import { clusterResourcePatterns, unreachableClusters } from "../clusters/reachability";
import { driftedUrns } from "../clusters/drift-check";
import { journalFile, sweepJournal } from "./journal";
import { readJournal, writeJournal } from "../../pulumi/update-journal";
import { readRunChannel, runChannelEnv, runChannelVariable, type RunChannelInput } from "../../run/channel";
import type { RunResult } from "../../run/decide";
import { unchangedSinceLastUpdate } from "./unchanged";
import { stackDecision } from "./stack-decision";
import { namespaceContents } from "../clusters/namespace-contents";
import { stopLeftoverProviders } from "./leftover-providers";
import { describeEngineFailure, isEngineFailure } from "../views/engine-failure";
import type { NamespaceContents } from "../../promise/namespace-keeping";
import { ensureSecretSeed, previewSecretSeed } from "./secret-seed";
import type { StateResource } from "../stack/state-objects";
import { UpdateError } from "../update-error";
import { stackOutputs, type PledgeStack } from "../stack/pledge-stack";

export interface UpdateOptions {
  verbose: boolean;
  /** Refresh every object from its cluster instead of only those the listing finds changed. */
  fullRefresh?: boolean;
  /** Confirmations for this run: cluster:<name>, request:<promise>/<name>, many, all. */
  allowDelete: readonly string[];
  /** How long to wait for another update of the stack to finish, in seconds (0: fail at once). */
  waitSeconds: number;
  /** Where messages go (stderr); the placement tables go to stdout. */
  say: (line: string) => void;
  /** One line of progress as the engine goes ("12/40 changes applied"). */
  progress?: (line: string) => void;
  /** The stack is one shard of a sharded fleet: checked, seeded and probed with its fleet stack, whose config it runs with. */
  shard?: ShardRun;
  /** The fleet stack of a sharded fleet: its update only decides and records the placement (no cluster is touched). */
  decisionOnly?: boolean;
  /** Write the state after every step, as Pulumi does by default, instead of once at the end with the update journal. */
  checkpoints?: boolean;
  /** How many resource operations the engine runs at once (Pulumi's default is 16; waits on objects hold a slot). */
  parallel?: number;
}

export interface ShardRun {
  /** The fleet stack's config file (Pulumi.<fleet>.yaml): a shard's stack has no config of its own. */
  configFile: string;
  /** The shard's clusters, for its summary. */
  clusters: readonly string[];
  /** What the fleet's probe found before this run (the placement leaves these clusters alone everywhere). */
  unreachable: ReadonlyMap<string, string>;
  /** Probes the fleet's clusters again (after a failure, to tell a cluster that went away from a real error). */
  probe: () => Promise<Map<string, string>>;
  /** Whether the fleet has clusters Pledge provisions (then every step is checkpointed). */
  provisioned: boolean;
  /** The fleet stack: its config and placement record are the shard's. */
  fleet: PledgeStack;
}

export { UpdateError } from "../update-error";

/** With --verbose, everything the engine prints, its own error output included. */
const engineText = {
  onOutput: (out: string) => process.stderr.write(out),
  onError: (err: string) => process.stderr.write(err),
};

/**
 * Engine operations at once. Most of an update's time is waiting (a Deployment
 * until Available), not work, so more than Pulumi's 16 keeps the API servers
 * busy; the providers' own client limits still bound the load on each cluster.
 */
export const defaultParallel = 64;

async function locksOf(stack: PledgeStack): Promise<{ locks: StackLock[]; backend: string; project: string } | undefined> {
  const backend = fileBackendDir(stack.workspace.envVars.PULUMI_BACKEND_URL ?? process.env.PULUMI_BACKEND_URL);
  if (!backend) return undefined; // a service backend keeps its own locks; `pledge unlock` cancels there
  const project = (await stack.workspace.projectSettings()).name;
  return { locks: stackLocks(backend, project, stack.name), backend, project };
}

/**
 * Where this stack's update journal lives, when its updates may skip the
 * checkpoint after every step: a file backend (Pulumi Cloud batches its own
 * writes). Undefined: every step is checkpointed.
 */
async function journalOf(stack: PledgeStack): Promise<string | undefined> {
  const found = await locksOf(stack);
  return found ? journalFile(found.backend, found.project, stack.name) : undefined;
}

/** A file backend's checkpoint of the stack, in either of the forms Pulumi writes it. */
function checkpointFiles(backend: string, project: string, stack: string): string[] {
  const base = join(backend, ".pulumi", "stacks", project, `${stack}.json`);
  return [base, `${base}.gz`];
}

/** Clears locks whose update is gone from this host; waits (bounded) while a live update holds the stack. */
export async function resolveLocks(stack: PledgeStack, options: Pick<UpdateOptions, "waitSeconds" | "say">): Promise<void> {
  const deadline = Date.now() + options.waitSeconds * 1000;
  let announced = false;
  for (;;) {
    const found = await locksOf(stack);
    if (!found || found.locks.length === 0) {
      // An update that began and ended since the stack was opened wrote a newer state than the one read then.
      if (found) stack.forgetStateIfWritten(checkpointFiles(found.backend, found.project, stack.name));
      return;
    }
    // The state read when the stack was opened may predate what that update writes.
    stack.forgetState();
    const live: StackLock[] = [];
    for (const lock of found.locks) {
      if (isStale(lock)) {
        removeLock(lock);
        options.say(
          `cleared a stale lock on stack ${stack.name}: the update of ${describeLock(lock)} is no longer running (it was killed or its machine stopped)`,
        );
      } else live.push(lock);
    }
    if (live.length === 0) return;
    const holders = live.map(describeLock).join("; ");
    if (Date.now() >= deadline) {
      throw new UpdateError(
        `stack ${stack.name} is being updated by ${holders}. Run again when that update ends` +
          ` (pledge up waits up to --wait seconds), or if that process is gone for good, run pledge unlock -s ${stack.name}`,
      );
    }
    if (!announced)
      options.say(`waiting for the update of stack ${stack.name} held by ${holders} (up to ${options.waitSeconds}s)`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/** Removes every lock of the stack on purpose (file backends), or cancels the running update (service backends). */
export async function unlock(stack: PledgeStack, say: (line: string) => void): Promise<void> {
  const found = await locksOf(stack);
  if (!found) {
    await stack.cancel();
    say(`cancelled the running update of stack ${stack.name}`);
    return;
  }
  if (found.locks.length === 0) say(`stack ${stack.name} is not locked`);
  for (const lock of found.locks) {
    removeLock(lock);
    say(
      `removed the lock of ${describeLock(lock)} on stack ${stack.name}${isStale(lock) ? "" : " (its process still runs: let it finish or stop it before the next update)"}`,
    );
  }
}

/** After a killed update: operations it left pending are resolved by reading the clusters (objects it created are adopted by the next update). */
async function recoverInterrupted(
  stack: PledgeStack,
  pending: number,
  common: { exclude?: string[]; excludeDependents?: boolean; configFile?: string; parallel?: number },
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

/** Objects a refresh would change: edited or deleted on a cluster by something other than Pledge. */
export function printDrift(report: EngineReport, say: (line: string) => void): void {
  if (report.objects.size === 0) return say("Drift: none (every object is as Pledge last applied it)");
  say("Drift (changed on the clusters outside Pledge; pledge up puts it back):");
  for (const [cluster, objects] of [...report.objects].sort(([a], [b]) => compareText(a, b))) {
    say(`  ${cluster}: ${objects.map((o) => `${o.name} ${o.op === "delete" ? "deleted" : "changed"}`).join(", ")}`);
  }
}

function printReport(report: EngineReport, say: (line: string) => void): void {
  for (const warning of report.warnings) say(`warning: ${warning}`);
}

export interface UpdateResult {
  exitCode: number;
  outputs?: StackOutputs;
  report: EngineReport;
  /** Preview only: what changed on the clusters outside Pledge. */
  drift?: EngineReport;
  unreachable: Map<string, string>;
  /** The program's decision for this run, as the CLI made it (the same function as the program's). */
  decision: () => Promise<RunResult | undefined>;
}

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
  let provisioned = shard?.provisioned ?? false;
  if (!shard) {
    // A bad config stops here: nothing runs, not even the refresh, so the state is untouched.
    const checked = await checkStackConfig(stack, projectDir, options.allowDelete);
    if (checked.issues.length > 0) throw new UpdateError(formatIssues(checked.issues));
    provisioned = checked.provisioned ?? false;
    if (checked.shards && !options.decisionOnly)
      throw new UpdateError(
        `stack ${stack.name} is split into shards (pledge:shards: ${checked.shards.map((s) => s.name).join(", ")}): ` +
          `run pledge ${kind} --all, or --shard <name> for some of them`,
      );
    await ensureSecretSeed(stack, kind, options.say);
  }
  await resolveLocks(stack, options);
  const stopped = await stopLeftoverProviders();
  if (stopped.length > 0)
    options.say(
      `stopped ${stopped.length} provider process${stopped.length === 1 ? "" : "es"} that a killed update left running (pid ${stopped.join(", ")})`,
    );
  const unreachable = shard ? new Map(shard.unreachable) : await probe();
  if (!shard) {
    for (const [cluster, why] of unreachable) {
      options.say(
        `cluster ${cluster} is unreachable (${why}): its objects are left as they are; everything else is ${kind === "up" ? "updated" : "previewed"}`,
      );
    }
  }
  // What the program is handed (src/run/channel.ts), through the engine's environment for this stack's run only
  // (the workspace's, not this process's: shards of one fleet run side by side).
  const env = stack.workspace.envVars;
  const configStack = shard?.fleet ?? stack;
  const seeded = (await configStack.config())[configKeys.secretSeed]?.value !== undefined;
  const channel: RunChannelInput = {
    unreachable: Object.fromEntries(unreachable),
    allowDelete: [...options.allowDelete],
    ...(seeded ? {} : { previewSecretSeed: previewSecretSeed(configStack.name) }),
  };
  Object.assign(env, runChannelEnv(channel));
  // Pledge owns what it applies, chart and YAML objects included (its own manifests carry
  // pulumi.com/patchForce): an edit by hand is taken back instead of failing on a field conflict.
  env.PULUMI_K8S_ENABLE_PATCH_FORCE = "true";
  // The program runs transpile-only unless asked otherwise: Pulumi's ts-node otherwise type-checks it and the
  // SDKs it imports on every run (20-70 s and about 2 GiB here), and Pulumi only sees a tsconfig's noCheck when it
  // is in the project's own file, not in one it extends. Type-check with tsc in the build instead.
  env.PULUMI_NODEJS_TRANSPILE_ONLY = process.env.PULUMI_NODEJS_TRANSPILE_ONLY ?? "true";
  const exclude = [...unreachable.keys()].flatMap(clusterResourcePatterns);
  const common = {
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
    const deciding = stackDecision(configStack, projectDir, { mode: "online", allowDelete: options.allowDelete });
    const decide = (namespaceContents?: NamespaceContents) =>
      deciding.decide(stack, {
        ...channel,
        ...(namespaceContents
          ? { namespaceContents: Object.fromEntries([...namespaceContents].map(([k, v]) => [k, [...v]])) }
          : {}),
      });
    // A team namespace the update would delete is looked into first: the program keeps it when it holds objects Pledge did not create.
    const looked = options.decisionOnly ? undefined : await lookIntoLeavingNamespaces(stack, decide, unreachable);
    if (looked) Object.assign(env, runChannelEnv({ ...channel, namespaceContents: Object.fromEntries(looked.contents) }));
    // The decision the program will make, made once: the first one serves when no namespace was looked into.
    let decided: Promise<RunResult | undefined> | undefined;
    decision = () =>
      (decided ??= looked && looked.contents.size > 0 ? decide(looked.contents) : Promise.resolve(looked?.decision ?? decide()));
    for (;;) {
      try {
        const journal = kind === "up" ? await journalOf(stack) : undefined;
        drift = await runEngine(stack, kind, common, listener, options, unreachable, {
          journal,
          fast: !options.checkpoints && !provisioned,
          // Cloud resources can drift where no listing sees it: a fleet Pledge provisions always runs the engine.
          mayBeUnchanged: !provisioned && unreachable.size === 0,
          unchanged: (resources) =>
            unchangedSinceLastUpdate(stack, { decide: decision, checkHistory: journal === undefined, resources }),
          // The program's notices (a kept namespace) are said here when the engine, and so the program, does not run.
          skipped: async () => {
            const result = await decision();
            for (const notice of result?.ok ? result.decision.notices : []) options.say(`warning: ${notice}`);
          },
        });
        break;
      } catch (err) {
        // Another update took the stack between the lock check and the engine's own: wait for it as well.
        if (!/is currently locked|Conflict: Another update is currently in progress/i.test(String(err)) || Date.now() >= deadline)
          throw err;
        // A service backend's lock is not seen here (resolveLocks returns at once): wait a little before trying again.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        await resolveLocks(stack, { ...options, waitSeconds: Math.max(0, Math.round((deadline - Date.now()) / 1000)) });
      }
    }
  } catch (err) {
    const report = listener.report();
    printReport(report, options.say);
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
    delete env[runChannelVariable];
  }
  const report = listener.report();
  printReport(report, options.say);
  return { ...(await finish(stack, kind, report, unreachable, options, drift)), decision };
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

/**
 * When every failure of an update came from clusters that no longer answer,
 * the update is partial, not failed: the rest was applied. Those clusters, with why.
 */
async function clustersThatWentAway(
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
  options.say(
    `${kind === "up" ? "Changes" : "Would change"}:\n${changesLine(report.changes, clusters, kind === "preview")
      .map((l) => `  ${l}`)
      .join("\n")}`,
  );
  if (kind === "preview") {
    for (const [cluster, objects] of report.objects) {
      const deletions = objects.filter((o) => o.op === "delete" || o.op === "replace");
      if (deletions.length > 0)
        options.say(
          `  ${cluster} would delete: ${deletions.map((o) => `${o.name}${o.op === "replace" ? " (replaced)" : ""}`).join(", ")}`,
        );
    }
  }
  return { exitCode, outputs, report, unreachable, ...(drift ? { drift } : {}) };
}

async function runEngine(
  stack: PledgeStack,
  kind: "up" | "preview",
  common: {
    onEvent: EngineListener["onEvent"];
    exclude?: string[];
    excludeDependents?: boolean;
    onOutput?: (out: string) => void;
    onError?: (err: string) => void;
    configFile?: string;
    parallel?: number;
  },
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

/**
 * Runs an update with the state written once at its end instead of after every
 * step, the program recording its objects in the journal first (see
 * src/pulumi/update-journal.ts for why a kill -9 still loses nothing).
 */
async function fastWhenJournaled<T>(stack: PledgeStack, journal: string | undefined, run: () => Promise<T>): Promise<T> {
  if (!journal) return run();
  const env = stack.workspace.envVars;
  const handed = env[runChannelVariable];
  env.PULUMI_SKIP_CHECKPOINTS = "true";
  Object.assign(env, runChannelEnv({ ...readRunChannel(handed), updateJournal: journal }));
  try {
    return await run();
  } finally {
    delete env.PULUMI_SKIP_CHECKPOINTS;
    if (handed === undefined) delete env[runChannelVariable];
    else env[runChannelVariable] = handed;
  }
}

/** An engine failure with no diagnostics of its own in the event stream (the CLI itself failed to start, say), in a person's words. */
function failureText(err: unknown): string {
  if (isEngineFailure(err)) return describeEngineFailure(err);
  return (err instanceof Error ? err.message : String(err)).trim().split("\n").slice(-5).join("\n");
}
