// `pledge up` with pledge:rollout: the change goes out wave by wave. Each
// step is decided by src/rollout/step.ts from the waves, what the change does
// on each cluster and the progress so far; this file takes the steps: it
// stores what the clusters have before any is touched (for undo), applies a
// batch through the engine with every other cluster held at its last applied
// form (read here from the state and handed to the program), watches a wave's
// gate, and stops at an approval, a failure or the end of --wait. Every engine
// run records the progress in the stack's outputs, so the next `pledge up`
// (on this laptop or in CI) continues from there.
//
// Exit status beyond update.ts's: 5 the rollout is stopped (a wave failed its
// gate, or it was undone): the change is not on every cluster; 6 it waits (for
// an approval, or a gate that --wait did not see through).
import { durationSeconds } from "../../config/schema";
import { formatIssues } from "../../issues";
import { previousStateOf, type StackOutputs } from "../../outputs";
import type { AppliedDigests } from "../../rollout/applied";
import { changeId, clusterChanges, clustersWithHeldChanges, type ClusterChange } from "../../rollout/changes";
import { isGitDelivered } from "../../gitops/deliveries";
import { appliedWith, type HeldObject, type HeldObjects, type StateForm } from "../../rollout/held";
import type { BeforeForms, RolloutRecord } from "../../rollout/record";
import { approve, gatePassed, halt, nextStep, progressText, resume, type RolloutStep } from "../../rollout/step";
import type { Wave } from "../../fleet/waves";
import type { RunDecision } from "../../run/decide";
import { writeRolloutHandoff, type RolloutHandoff } from "../../run/rollout-handoff";
import { gitopsKubeconfigs, unreachableClusters } from "../clusters/reachability";
import { describe, watchGate, type GateOutcome } from "../clusters/rollout-gate";
import { waitUntilApplied } from "./wait-applied";
import type { PledgeStack } from "../stack/pledge-stack";
import { indexState, objectsUnder, stateFormOf } from "../stack/state-forms";
import { providerKubeconfigs, type StateResource } from "../stack/state-objects";
import { outputValues } from "../stack/stack-outputs";
import { UpdateError } from "../update-error";
import { rolloutPlanLines, type RolloutPlan } from "../views/rollout-plan-view";
import { stackDecision } from "./stack-decision";
import { runUpdate } from "./update";
import type { UpdateOptions, UpdateResult } from "./update-options";

export const rolloutExit = { stopped: 5, waiting: 6 } as const;

/** What the person asked of the rollout besides going on. */
export type RolloutCommand = { kind: "approve"; wave: string } | { kind: "resume" } | { kind: "undo" };

export interface RolloutOptions {
  /** Let a wave go on without its unreachable clusters (they get the change when back). */
  skipUnreachable: boolean;
  command?: RolloutCommand;
}

export interface Situation {
  decision: RunDecision;
  config: NonNullable<RunDecision["model"]["rollout"]>;
  waves: Wave[];
  changes: Map<string, ClusterChange>;
  /** What the plan wants on each cluster (the update's `applied` with nothing held). */
  wanted: AppliedDigests;
  applied: AppliedDigests;
  stored: RolloutRecord | undefined;
  before: BeforeForms<StateForm>;
  state: ReturnType<typeof indexState>;
  resources: StateResource[];
  /** Git-delivered clusters' commits and objects, as the last update recorded them. */
  gitops: NonNullable<StackOutputs["gitops"]>;
}

const now = () => new Date().toISOString();

/** The stack as it is now: its decision without a step, its state, its recorded progress. */
export async function situation(
  stack: PledgeStack,
  projectDir: string,
  allowDelete: readonly string[],
): Promise<Situation | undefined> {
  const decided = await stackDecision(stack, projectDir, { mode: "online", allowDelete }).decide(stack, {
    allowDelete: [...allowDelete],
  });
  if (!decided) return undefined;
  if (!decided.ok) throw new UpdateError(formatIssues(decided.issues));
  const decision = decided.decision;
  if (!decision.model.rollout) return undefined;
  const resources = ((await stack.exportState()).deployment as { resources?: StateResource[] }).resources ?? [];
  const values = await outputValues(stack);
  return {
    decision,
    config: decision.model.rollout,
    waves: decision.model.rollout.waves,
    changes: decision.rollout.changes,
    wanted: decision.outputs.applied ?? {},
    applied: previousStateOf(values).applied ?? {},
    stored: decision.rollout.record,
    before: (values.rolloutBefore ?? {}) as BeforeForms<StateForm>,
    state: indexState(resources),
    resources,
    gitops: (values.gitops ?? {}) as NonNullable<StackOutputs["gitops"]>,
  };
}

function digestOf(applied: AppliedDigests, cluster: string, owner: string, name: string): string | undefined {
  return applied[cluster]?.[owner]?.[name];
}

/** The held objects of these clusters at their last applied forms. */
function heldAt(s: Situation, clusters: readonly string[]): HeldObjects {
  const held: HeldObjects = {};
  const throughGit = gitDelivered(s);
  for (const cluster of clusters) {
    for (const h of s.changes.get(cluster)?.held ?? []) {
      // A Git-delivered cluster's objects are files, not resources: its whole directory is held as it is in Git.
      const form = h.kind === "create" || throughGit.has(cluster) ? undefined : stateFormOf(s.state, h.name);
      if (h.kind !== "create" && !form && !throughGit.has(cluster))
        throw new UpdateError(
          `the state has no form of ${h.name} to hold it as it was: run pledge up --full-refresh, then again`,
        );
      const digest = digestOf(s.applied, cluster, h.owner, h.name);
      const entry: HeldObject = { owner: h.owner, ...(digest ? { digest } : {}), ...(form ? { form } : {}) };
      (held[cluster] ??= {})[h.name] = entry;
    }
  }
  return held;
}

const pendingNotReached = (s: Situation, record: RolloutRecord | undefined) =>
  clustersWithHeldChanges(s.changes).filter((c) => !record?.reached.includes(c));

const gitDelivered = (s: Situation) => new Set(s.decision.model.clusters.filter(isGitDelivered).map((c) => c.name));

/** The clusters delivered through Git that the change has not reached: their directories stay as they are. */
function heldDirectories(s: Situation, held: HeldObjects): string[] {
  const git = gitDelivered(s);
  return Object.keys(held).filter((c) => git.has(c));
}

export async function rolloutUpdate(
  stack: PledgeStack,
  projectDir: string,
  options: UpdateOptions,
  rollout: RolloutOptions,
): Promise<UpdateResult> {
  const giveUpAt = Date.now() + options.waitSeconds * 1000;
  const say = options.say;
  let memory: RolloutRecord | undefined;
  let command = rollout.command;
  let last: UpdateResult | undefined;

  const run = async (s: Situation, handoff: Omit<RolloutHandoff, "heldDirectories">, leaveAlone = new Map<string, string>()) => {
    const { pointer, remove } = writeRolloutHandoff({ ...handoff, heldDirectories: heldDirectories(s, handoff.held) });
    try {
      last = await runUpdate(stack, "up", projectDir, { ...options, rollout: pointer, leaveAlone });
    } finally {
      remove();
    }
    memory = handoff.record;
    return last;
  };
  const finish = (code: number): UpdateResult => {
    if (!last) throw new UpdateError("internal: the rollout ended without an update");
    return { ...last, exitCode: code || last.exitCode };
  };

  for (let steps = 0; steps < 500; steps++) {
    const s = await situation(stack, projectDir, options.allowDelete);
    if (!s) {
      if (command) throw new UpdateError("pledge:rollout is not set: there is no rollout to approve, resume or undo");
      return runUpdate(stack, "up", projectDir, options);
    }
    let record = memory ?? s.stored;
    const hold = (r: RolloutRecord | undefined) => heldAt(s, pendingNotReached(s, r));

    if (command?.kind === "undo") return finish(await undo(s, record, await unreachableClusters(stack, projectDir), run, say));
    if (command?.kind === "resume") {
      if (record?.state !== "halted" && record?.state !== "undone")
        throw new UpdateError(`there is no halted or undone rollout to resume${record ? ` (it is ${record.state})` : ""}`);
      say(
        record.state === "halted"
          ? `resuming: wave ${record.halted!.wave} is tried again`
          : "resuming: the change starts again at the first wave",
      );
      record = resume(record, now());
    }
    if (command?.kind === "approve") {
      const asked = command.wave;
      const wave = s.waves.find((w) => w.name === asked);
      if (!wave)
        throw new UpdateError(`pledge:rollout has no wave ${asked}: its waves are ${s.waves.map((w) => w.name).join(", ")}`);
      if (record?.state !== "rolling")
        throw new UpdateError(`there is no rollout in progress to approve${record ? ` (it is ${record.state})` : ""}`);
      record = approve(record, wave.name, now());
      say(`wave ${wave.name} approved`);
    }
    command = undefined;

    const probed = await unreachableClusters(stack, projectDir);
    const { step, notices } = nextStep({
      config: s.config.config,
      waves: s.waves,
      changes: s.changes,
      record,
      captured: capturedClusters(s),
      unreachable: new Set(probed.keys()),
      skipUnreachable: rollout.skipUnreachable,
      now: now(),
    });
    for (const notice of notices) say(notice);
    const base = { before: s.before };

    switch (step.kind) {
      case "none":
        // Nothing is held and no rollout is in progress: an ordinary update (arrivals and departures go at once).
        return runUpdate(stack, "up", projectDir, options);
      case "refused":
        throw new UpdateError(formatIssues([step.issue]));
      case "capture": {
        const captured: BeforeForms<StateForm> = { ...s.before };
        // What a cluster had before the rollout first touched an object stays: only objects new to the rollout join it.
        for (const [cluster, objects] of Object.entries(heldAt(s, step.clusters)))
          captured[cluster] = { ...objects, ...s.before[cluster] };
        say(
          `rollout: ${s.waves.length} waves (${s.waves.map((w) => `${w.name}: ${w.clusters.join(", ") || "-"}`).join("; ")}); the change is held on ${step.clusters.join(", ")} until their waves`,
        );
        await run(s, { before: captured, held: hold(step.record), record: step.record });
        continue;
      }
      case "apply": {
        say(`wave ${step.wave.name}: applying the change to ${step.clusters.join(", ")}`);
        try {
          await run(s, { ...base, held: hold(step.record), record: step.record });
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          const failure = { wave: step.wave.name, reason, clusters: step.clusters, applied: false };
          return finish(await stopAt(s, step, halt(step.record, failure, now()), run, say));
        }
        continue;
      }
      case "gate": {
        const outcome = await gate(stack, projectDir, s, step, giveUpAt, options, rollout.skipUnreachable);
        const current = step.record;
        if (outcome.kind === "unobservable") {
          await run(s, { ...base, held: hold(current), record: current });
          say(
            `wave ${step.wave.name} cannot be proven healthy: ${outcome.clusters.join(", ")} ${outcome.clusters.length === 1 ? "is" : "are"} delivered through Git with no kubeconfig to read ${outcome.clusters.length === 1 ? "it" : "them"} by (pledge up --skip-unreachable goes on without ${outcome.clusters.length === 1 ? "it" : "them"})`,
          );
          return finish(3);
        }
        if (outcome.kind === "passed") {
          say(`wave ${step.wave.name}: gate passed on ${step.clusters.join(", ")}`);
          memory = gatePassed(current, step.clusters);
          continue;
        }
        if (outcome.kind === "failed") {
          const reason = outcome.notReady.slice(0, 3).map(describe).join("; ");
          return finish(
            await stopAt(
              s,
              step,
              halt(
                current,
                {
                  wave: step.wave.name,
                  reason: `not ready within ${s.config.config.gate.timeout}: ${reason}`,
                  clusters: step.clusters,
                  applied: true,
                },
                now(),
              ),
              run,
              say,
            ),
          );
        }
        await run(s, { ...base, held: hold(current), record: current });
        say(
          `wave ${step.wave.name}: still waiting for its gate when --wait ran out (${outcome.notReady.map(describe).slice(0, 2).join("; ")}); pledge up checks again`,
        );
        return finish(rolloutExit.waiting);
      }
      case "approval":
        await run(s, { ...base, held: hold(step.record), record: step.record });
        say(`wave ${step.wave.name} is healthy and waits for approval: pledge rollout approve ${step.wave.name}`);
        return finish(rolloutExit.waiting);
      case "blocked":
        await run(s, { ...base, held: hold(step.record), record: step.record });
        say(
          `wave ${step.wave.name} cannot be proven healthy: ${step.clusters.join(", ")} unreachable (pledge up --skip-unreachable goes on without ${step.clusters.length === 1 ? "it" : "them"})`,
        );
        return finish(3);
      case "halted":
      case "undone": {
        const leave = haltedClusters(s, step.record);
        await run(s, { ...base, held: hold(step.record), record: step.record }, leave);
        say(
          step.kind === "halted"
            ? `the rollout is halted at wave ${step.record.halted?.wave}: ${step.record.halted?.reason}\n  pledge rollout resume tries the wave again; pledge rollout undo puts the reached clusters back`
            : `the rollout of this change was undone (${step.record.undone?.at}); it is held everywhere: pledge rollout resume starts it again, or change the config`,
        );
        return finish(rolloutExit.stopped);
      }
      case "done":
        await run(s, { before: {}, held: {}, record: step.record });
        if (s.stored?.state !== "done") say(`rollout done: every wave passed (${s.waves.map((w) => w.name).join(", ")})`);
        return finish(0);
    }
  }
  throw new UpdateError(`internal: the rollout took more than 500 steps (${progressText(memory!, [])})`);
}

/**
 * `pledge preview` of a rollout: the plan (waves in order, their clusters,
 * what changes on each, the gates), and the engine's preview of the next step
 * only (what the next `pledge up` applies first). Nothing is recorded.
 */
export async function rolloutPreview(
  stack: PledgeStack,
  projectDir: string,
  options: UpdateOptions,
): Promise<UpdateResult | undefined> {
  const s = await situation(stack, projectDir, options.allowDelete);
  if (!s) return undefined;
  const pending = clustersWithHeldChanges(s.changes);
  const { step, notices } = nextStep({
    config: s.config.config,
    waves: s.waves,
    changes: s.changes,
    record: s.stored,
    captured: new Set(pending),
    unreachable: new Set(),
    skipUnreachable: false,
    now: now(),
  });
  const record = "record" in step ? step.record : undefined;
  const plan = rolloutPlan(s, step);
  for (const line of rolloutPlanLines(plan)) options.say(line);
  // A new change during a rollout: the preview says it joins (or the refusal below says it waits).
  for (const notice of notices) options.say(`  ${notice}`);
  if (step.kind === "refused") throw new UpdateError(formatIssues([step.issue]));
  if (step.kind === "none") return { ...(await runUpdate(stack, "preview", projectDir, options)), rolloutPlan: plan };
  const held = heldAt(s, pendingNotReached(s, record));
  const { pointer, remove } = writeRolloutHandoff({
    before: s.before,
    held,
    record: record!,
    heldDirectories: heldDirectories(s, held),
  });
  try {
    return await runUpdate(stack, "preview", projectDir, {
      ...options,
      rollout: pointer,
      leaveAlone: haltedClusters(s, record!),
    });
  } finally {
    remove();
  }
}

/** The rollout plan as data: each wave, its clusters and what the change does on each, the gate, and what comes next. */
function rolloutPlan(s: Situation, step: RolloutStep): RolloutPlan {
  // What has happened so far (the step's record already counts the clusters it is about to reach).
  const record = s.stored?.state === "rolling" || s.stored?.state === "halted" ? s.stored : undefined;
  const next =
    step.kind === "apply"
      ? `next pledge up applies wave ${step.wave.name} to ${step.clusters.join(", ")} first; this preview shows that step`
      : step.kind === "none"
        ? "nothing is held: the next pledge up applies everything at once"
        : step.kind === "gate"
          ? `next pledge up checks wave ${step.wave.name}'s gate`
          : step.kind === "approval"
            ? `wave ${step.wave.name} waits for pledge rollout approve ${step.wave.name}`
            : step.kind === "halted" || step.kind === "undone"
              ? `the rollout is ${step.kind}: nothing more is applied until pledge rollout resume`
              : step.kind === "done"
                ? "every wave has passed"
                : step.kind === "blocked"
                  ? `wave ${step.wave.name} waits for ${step.clusters.join(", ")} (unreachable)`
                  : "";
  return {
    gate: s.config.config.gate,
    waves: s.waves.map((wave) => ({
      name: wave.name,
      approval: wave.approval,
      ...(wave.maxParallel ? { maxParallel: wave.maxParallel } : {}),
      passed: record?.passed[wave.name] !== undefined,
      clusters: wave.clusters.map((cluster) => {
        const change = s.changes.get(cluster);
        const count = (kind: string) => change?.held.filter((h) => h.kind === kind).length ?? 0;
        return {
          name: cluster,
          reached: record?.reached.includes(cluster) ?? false,
          held: { create: count("create"), update: count("update"), delete: count("delete") },
          free: change?.free ?? 0,
        };
      }),
    })),
    next,
    ...(record?.state === "rolling" ? { inProgress: progressText(record, s.waves), newChange: s.config.config.newChange } : {}),
  };
}

/** The halted wave's reached clusters: left as they are until resumed or undone (the provider would wait on them again). */
function haltedClusters(_s: Situation, record: RolloutRecord): Map<string, string> {
  if (record.state !== "halted" || !record.halted) return new Map();
  const wave = record.halted.wave;
  return new Map(record.halted.clusters.map((c) => [c, `halted at wave ${wave}`] as const));
}

/** Clusters whose every held object's pre-rollout form is stored already (a joined change may add objects). */
function capturedClusters(s: Situation): Set<string> {
  return new Set(
    [...s.changes].filter(([c, change]) => change.held.every((h) => s.before[c]?.[h.name] !== undefined)).map(([c]) => c),
  );
}

type Run = (
  s: Situation,
  handoff: Omit<RolloutHandoff, "heldDirectories">,
  leaveAlone?: Map<string, string>,
) => Promise<UpdateResult>;

/** A wave failed: the halt is recorded (its clusters left as they are) and said. */
async function stopAt(
  s: Situation,
  step: Extract<RolloutStep, { kind: "apply" | "gate" }>,
  record: RolloutRecord,
  run: Run,
  say: (line: string) => void,
): Promise<number> {
  await run(s, { before: s.before, held: heldAt(s, pendingNotReached(s, record)), record }, haltedClusters(s, record));
  const untouched = pendingNotReached(s, record).filter((c) => !record.halted?.clusters.includes(c));
  say(
    `wave ${step.wave.name} failed: ${record.halted!.reason}\n` +
      `the rollout is halted: ${untouched.length > 0 ? `${untouched.join(", ")} keep${untouched.length === 1 ? "s" : ""} the old version` : "no other cluster waits for it"}; ` +
      "pledge rollout undo puts the reached clusters back, pledge rollout resume tries the wave again",
  );
  return rolloutExit.stopped;
}

/** Watches a wave's gate on the objects its change put on the step's clusters. */
async function gate(
  stack: PledgeStack,
  projectDir: string,
  s: Situation,
  step: Extract<RolloutStep, { kind: "gate" }>,
  giveUpAt: number,
  options: UpdateOptions,
  skipUnreachable: boolean,
): Promise<GateOutcome | { kind: "unobservable"; clusters: string[] }> {
  const names = step.clusters.flatMap((cluster) =>
    Object.keys(s.before[cluster] ?? {}).filter((name) => Object.values(s.wanted[cluster] ?? {}).some((names) => name in names)),
  );
  const gateConfig = s.config.config.gate;
  // The timeout counts from when the wave's last batch was applied, whichever invocation that was.
  const appliedAt = Date.parse(step.record.appliedAt[step.wave.name] ?? "");
  const failAt = (Number.isNaN(appliedAt) ? Date.now() : appliedAt) + durationSeconds(gateConfig.timeout) * 1000;
  options.say(
    `wave ${step.wave.name}: checking ${step.clusters.join(", ")} (ready for ${gateConfig.healthyFor}, within ${gateConfig.timeout})`,
  );
  const objects = objectsUnder(s.state, names);
  const kubeconfigs = providerKubeconfigs(s.resources);
  // A Git-delivered cluster's objects are not in the state: it is healthy once Flux applied the commit and what
  // its directory holds is ready, read with its kubeconfig. Without one it cannot be proven healthy.
  const throughGit = step.clusters.filter((c) => gitDelivered(s).has(c));
  if (throughGit.length > 0) {
    const access = await gitopsKubeconfigs(stack, projectDir);
    const unobservable = throughGit.filter((c) => !access.has(c));
    if (unobservable.length > 0 && !skipUnreachable) return { kind: "unobservable", clusters: unobservable };
    const watched = Object.fromEntries(throughGit.filter((c) => access.has(c) && s.gitops[c]).map((c) => [c, s.gitops[c]!]));
    const seconds = Math.max(1, Math.ceil((Math.min(failAt, giveUpAt) - Date.now()) / 1000));
    const applied = await waitUntilApplied(watched, access, seconds);
    if (applied.pending.size > 0) {
      const notReady = [...applied.pending].map(([cluster, why]) => ({
        kind: "Kustomization",
        name: cluster,
        ready: false,
        detail: `Flux has not applied commit ${watched[cluster]!.commit?.slice(0, 12)}: ${why}`,
      }));
      return Date.now() >= failAt ? { kind: "failed", notReady } : { kind: "waiting", notReady };
    }
    for (const [cluster, g] of Object.entries(watched)) {
      kubeconfigs.set(cluster, access.get(cluster)!);
      for (const o of g.objects)
        objects.push({
          urn: `${cluster}/${o.apiVersion}/${o.kind}/${o.namespace ?? ""}/${o.name}`,
          cluster,
          apiVersion: o.apiVersion,
          kind: o.kind,
          name: o.name,
          ...(o.namespace ? { namespace: o.namespace } : {}),
          owner: { kind: "dependency", promise: cluster },
        });
    }
  }
  return watchGate({
    objects,
    kubeconfigs,
    healthyForSeconds: durationSeconds(gateConfig.healthyFor),
    failAt,
    giveUpAt,
    progress: (line) => options.progress?.(`wave ${step.wave.name}: ${line}`),
  });
}

/** `pledge rollout undo`: the reached clusters back to what they had before the rollout; the change stays held everywhere. */
async function undo(
  s: Situation,
  record: RolloutRecord | undefined,
  unreachable: ReadonlyMap<string, string>,
  run: Run,
  say: (line: string) => void,
): Promise<number> {
  if (!record || (record.state !== "rolling" && record.state !== "halted"))
    throw new UpdateError(`there is no rollout in progress or halted to undo${record ? ` (it is ${record.state})` : ""}`);
  const git = gitDelivered(s);
  const inGit = record.reached.filter((c) => git.has(c));
  if (inGit.length > 0)
    say(
      `${inGit.join(", ")} ${inGit.length === 1 ? "is" : "are"} delivered through Git: undo does not rewrite ${inGit.length === 1 ? "its directory" : "their directories"} (revert the rollout's commit in the state store to put ${inGit.length === 1 ? "it" : "them"} back)`,
    );
  // Every cluster whose objects were stored before the rollout touched them: reached now, or earlier under a
  // change that a later one joined, or left half-applied by a failed wave.
  const reverted = Object.keys(s.before).filter((c) => !git.has(c));
  const away = reverted.filter((c) => unreachable.has(c));
  if (away.length > 0)
    throw new UpdateError(
      `cannot undo now: ${away.join(", ")} ${away.length === 1 ? "is" : "are"} unreachable (${away.map((c) => unreachable.get(c)).join("; ")}); run pledge rollout undo when ${away.length === 1 ? "it is" : "they are"} back`,
    );
  // Everything held stays as it is (a change made since the rollout started included); what was stored goes back.
  const held: HeldObjects = heldAt(s, clustersWithHeldChanges(s.changes));
  for (const cluster of reverted) held[cluster] = { ...held[cluster], ...s.before[cluster] };
  const after = clusterChanges(s.wanted, appliedWith(s.wanted, held), s.config.config.holdNew);
  const undone: RolloutRecord = {
    state: "undone",
    startedAt: record.startedAt,
    reached: [],
    gated: [],
    passed: {},
    approved: {},
    skipped: [],
    appliedAt: {},
    undone: { change: changeId(after), at: now() },
  };
  await run(s, { before: {}, held, record: undone });
  say(
    `rollout undone: ${reverted.length > 0 ? `${reverted.join(", ")} ${reverted.length === 1 ? "has" : "have"} what ${reverted.length === 1 ? "it" : "they"} had before it` : "no cluster had been reached"}; the change is held everywhere until pledge rollout resume or a new change`,
  );
  return 0;
}
