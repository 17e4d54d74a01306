// The next step of a staged rollout, from the waves, what the change does on
// each cluster, and the progress so far: apply the change to the next batch
// of a wave, check a wave's gate, wait for an approval, or nothing (halted,
// undone, done). `pledge up` takes steps until a gate holds it (src/cli/engine/
// rollout.ts); every step here is a decision only. Pure.
import type { RolloutConfig } from "../config/schema";
import type { Issue } from "../issues";
import { changeId, clustersWithHeldChanges, type ClusterChange } from "./changes";
import { newRollout, type RolloutRecord } from "./record";
import type { Wave } from "../fleet/waves";

export type RolloutStep =
  /** No rollout: nothing is held anywhere (arrivals and departures go at once). */
  | { kind: "none"; record?: RolloutRecord }
  /** Store what the clusters about to change have now, before any is touched (for undo). */
  | { kind: "capture"; record: RolloutRecord; clusters: string[] }
  /** Apply the change to these clusters of the wave. */
  | { kind: "apply"; wave: Wave; clusters: string[]; record: RolloutRecord }
  /** Check the wave's gate on its reached clusters. */
  | { kind: "gate"; wave: Wave; clusters: string[]; record: RolloutRecord }
  | { kind: "approval"; wave: Wave; record: RolloutRecord }
  /** The wave has unreachable clusters: it cannot be proven healthy. */
  | { kind: "blocked"; wave: Wave; clusters: string[]; record: RolloutRecord }
  | { kind: "halted"; record: RolloutRecord }
  | { kind: "undone"; record: RolloutRecord }
  /** Every wave passed: the rollout is recorded as done. */
  | { kind: "done"; record: RolloutRecord }
  | { kind: "refused"; issue: Issue; record: RolloutRecord };

export interface StepInput {
  config: RolloutConfig;
  waves: readonly Wave[];
  changes: ReadonlyMap<string, ClusterChange>;
  /** The progress so far (the stack's outputs, with what this run already did). */
  record: RolloutRecord | undefined;
  /** Clusters whose pre-rollout objects are stored (rolloutBefore). */
  captured: ReadonlySet<string>;
  unreachable: ReadonlySet<string>;
  skipUnreachable: boolean;
  now: string;
}

export interface StepResult {
  step: RolloutStep;
  /** What the person should know (a new change joined, unreachable clusters skipped). */
  notices: string[];
}

const active = (r: RolloutRecord | undefined): r is RolloutRecord => r?.state === "rolling" || r?.state === "halted";

export function nextStep(input: StepInput): StepResult {
  const notices: string[] = [];
  const pending = new Set(clustersWithHeldChanges(input.changes));
  let record = input.record;

  if (record?.state === "undone") {
    if (pending.size > 0 && record.undone?.change === changeId(input.changes))
      return { step: { kind: "undone", record }, notices };
    record = undefined; // something else changed since the undo: a new rollout
  }
  if (active(record)) {
    // A reached cluster with something held again: a second change during the rollout.
    const changedAgain = record.reached.filter((c) => pending.has(c));
    if (changedAgain.length > 0) {
      if (input.config.newChange === "wait")
        return {
          step: {
            kind: "refused",
            record,
            issue: {
              path: "pledge:rollout.newChange",
              message: `is wait, and a rollout is in progress (${progressText(record, input.waves)}): the new change on ${changedAgain.join(", ")} waits until it is done or undone`,
              hint: "finish the rollout with the config it started with, run `pledge rollout undo`, or set newChange: join",
            },
          },
          notices,
        };
      notices.push(
        `a new change joins the rollout in progress: it starts again at wave ${input.waves[0]!.name} (${changedAgain.join(", ")} had the earlier change)`,
      );
      record = { ...newRollout(input.now), startedAt: record.startedAt };
    } else if (record.state === "halted") return { step: { kind: "halted", record }, notices };
  } else {
    if (pending.size === 0) return { step: { kind: "none", ...(record ? { record } : {}) }, notices };
    record = newRollout(input.now);
  }

  let r: RolloutRecord = record;
  // Before anything is touched: what every cluster about to be reached has now, for undo.
  const uncaptured = [...pending].filter((c) => !input.captured.has(c) && !r.reached.includes(c));
  if (uncaptured.length > 0) return { step: { kind: "capture", record: r, clusters: uncaptured }, notices };

  for (const wave of input.waves) {
    if (r.passed[wave.name]) {
      // A cluster a passed wave went on without (unreachable then): it gets the change once it is back.
      const back = wave.clusters.filter((c) => pending.has(c) && !r.reached.includes(c) && !input.unreachable.has(c));
      if (back.length > 0)
        return { step: { kind: "apply", wave, clusters: back, record: reach(r, back, wave.name, input.now) }, notices };
      continue;
    }
    // Only clusters the change touches take part; the others are done at once.
    const members = wave.clusters.filter((c) => pending.has(c) || r.reached.includes(c));
    // Those a run already let the wave go on without are not asked about again.
    const away = members.filter((c) => input.unreachable.has(c) && !r.reached.includes(c) && !r.skipped.includes(c));
    if (away.length > 0 && !input.skipUnreachable) return { step: { kind: "blocked", wave, clusters: away, record: r }, notices };
    if (away.length > 0) {
      notices.push(`wave ${wave.name} goes on without ${away.join(", ")} (unreachable, --skip-unreachable)`);
      r = { ...r, skipped: [...new Set([...r.skipped, ...away])] };
    }
    const reached = members.filter((c) => r.reached.includes(c));
    const ungated = reached.filter((c) => !r.gated.includes(c));
    if (ungated.length > 0) return { step: { kind: "gate", wave, clusters: reached, record: r }, notices };
    const next = members.filter((c) => !r.reached.includes(c) && !input.unreachable.has(c));
    if (next.length > 0) {
      const batch = next.slice(0, wave.maxParallel ?? next.length);
      return { step: { kind: "apply", wave, clusters: batch, record: reach(r, batch, wave.name, input.now) }, notices };
    }
    // A wave the change does not touch has nothing to approve.
    if (wave.approval && members.length > 0 && !r.approved[wave.name])
      return { step: { kind: "approval", wave, record: r }, notices };
    r = { ...r, passed: { ...r.passed, [wave.name]: input.now } };
  }
  return { step: { kind: "done", record: { ...r, state: "done" } }, notices };
}

function reach(record: RolloutRecord, clusters: readonly string[], wave: string, now: string): RolloutRecord {
  return {
    ...record,
    reached: [...new Set([...record.reached, ...clusters])],
    appliedAt: { ...record.appliedAt, [wave]: now },
  };
}

/** "wave eu (2 of 3)" for messages. */
export function progressText(record: RolloutRecord, waves: readonly Wave[]): string {
  const at = waves.findIndex((w) => !record.passed[w.name]);
  return at < 0 ? "every wave passed" : `at wave ${waves[at]!.name}, ${at + 1} of ${waves.length}`;
}

/** The record once a gate passed for these clusters. */
export function gatePassed(record: RolloutRecord, clusters: readonly string[]): RolloutRecord {
  return { ...record, gated: [...new Set([...record.gated, ...clusters])] };
}

/** The record once a wave failed its gate: halted, nothing more is applied until resumed or undone. */
/**
 * The record once a wave failed: halted, nothing more is applied until resumed or undone. A batch whose apply
 * failed is not counted as reached, so resume applies it again; one that failed its gate stays reached.
 */
export function halt(
  record: RolloutRecord,
  failure: { wave: string; reason: string; clusters: readonly string[]; applied: boolean },
  now: string,
): RolloutRecord {
  const reached = failure.applied ? record.reached : record.reached.filter((c) => !failure.clusters.includes(c));
  return {
    ...record,
    reached,
    state: "halted",
    halted: { wave: failure.wave, reason: failure.reason, at: now, clusters: [...failure.clusters] },
  };
}

/** `pledge rollout resume`: a halted rollout retries its wave; an undone one starts again from the first. */
export function resume(record: RolloutRecord, now: string): RolloutRecord {
  if (record.state === "undone") return newRollout(now);
  if (record.state !== "halted" || !record.halted) return record;
  const { halted, ...rest } = record;
  // The wave's gate times out afresh from now.
  return { ...rest, state: "rolling", gated: [], appliedAt: { ...record.appliedAt, [halted.wave]: now } };
}

export function approve(record: RolloutRecord, wave: string, now: string): RolloutRecord {
  return { ...record, approved: { ...record.approved, [wave]: now } };
}
