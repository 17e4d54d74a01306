// A rollout's progress as the stack's outputs keep it (`rollout`), so a laptop
// and CI see the same rollout and a later `pledge up` continues where the last
// one stopped. Pure.
import { type RolloutRecord } from "../outputs";

export { rolloutRecordOf, rolloutRecordSchema, type RolloutRecord } from "../outputs";

export function newRollout(now: string): RolloutRecord {
  return { state: "rolling", startedAt: now, reached: [], gated: [], passed: {}, approved: {}, skipped: [], appliedAt: {} };
}

/**
 * What a cluster had before the rollout first reached it, for `pledge rollout
 * undo`: each held object's digest and its state resources (undefined: the
 * rollout created it, undo deletes it). Stored as a secret output (`rolloutBefore`).
 */
export type BeforeForms<Form> = Record<string, Record<string, { owner: string; digest?: string; form?: Form }>>;
