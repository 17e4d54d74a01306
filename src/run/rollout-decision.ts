// A run's part of a staged rollout (pledge:rollout): what the change does on
// each cluster (from the last update's `applied` record), and what this run
// keeps as it was, as `pledge up` handed it for this step (src/run/rollout-
// handoff.ts). Without a step (plain `pulumi up`, or the CLI asking what a
// change would do) nothing is kept: the program refuses to run then if the
// rollout would hold anything back (src/program.ts).
import type { Issue } from "../issues";
import type { PreviousState } from "../outputs";
import type { StackModel } from "../promise/stack-model";
import type { AppliedDigests } from "../rollout/applied";
import { clusterChanges, clustersWithHeldChanges, type ClusterChange } from "../rollout/changes";
import type { HeldObjects, StateForm } from "../rollout/held";
import type { BeforeForms, RolloutRecord } from "../rollout/record";
import type { HandoffPointer } from "./rollout-handoff";
import { readRolloutHandoff } from "./rollout-handoff";

export interface RunRollout {
  /** What the change does on each cluster (empty without pledge:rollout). */
  changes: Map<string, ClusterChange>;
  /** What this run keeps as it was (the step's), by cluster and resource name. */
  held: HeldObjects;
  /** Pre-rollout forms to keep recording (for undo). */
  before: BeforeForms<StateForm>;
  heldDirectories: string[];
  /** The progress this run records. */
  record?: RolloutRecord;
  /** Whether this run was handed a step by `pledge up`. */
  stepped: boolean;
}

export function rolloutOfRun(
  model: StackModel,
  previous: PreviousState,
  wanted: AppliedDigests,
  pointer: HandoffPointer | undefined,
): { ok: true; rollout: RunRollout } | { ok: false; issues: Issue[] } {
  const none: RunRollout = { changes: new Map(), held: {}, before: {}, heldDirectories: [], stepped: false };
  if (!model.rollout) return { ok: true, rollout: none };
  if (!previous.applied && previous.clusters.length > 0)
    return {
      ok: false,
      issues: [
        {
          path: "pledge:rollout",
          message:
            "cannot stage this change: the stack's last update did not record what each cluster has applied (it predates staged rollouts)",
          hint: "remove pledge:rollout for one pledge up that changes nothing, then set it again",
        },
      ],
    };
  const changes = clusterChanges(wanted, previous.applied ?? {}, model.rollout.config.holdNew);
  if (!pointer) return { ok: true, rollout: { ...none, changes, ...(previous.rollout ? { record: previous.rollout } : {}) } };
  return { ok: true, rollout: { ...readRolloutHandoff(pointer), changes, stepped: true } };
}

/** Why a run without a step must not go on: the rollout would hold something back, or one is in progress. */
export function unsteppedRolloutIssue(rollout: RunRollout): Issue | undefined {
  if (rollout.stepped) return undefined;
  const held = clustersWithHeldChanges(rollout.changes);
  const inProgress = rollout.record?.state === "rolling" || rollout.record?.state === "halted";
  if (held.length === 0 && !inProgress) return undefined;
  return {
    path: "pledge:rollout",
    message:
      held.length > 0
        ? `stages this change (it holds it back on ${held.join(", ")} until their waves), which only pledge up can do: it reads each object's last applied form from the state`
        : "a rollout is in progress, which only pledge up can continue",
    hint: "run `pledge up` (or `pledge preview`) instead of pulumi up",
  };
}
