// A rollout's progress as the stack's outputs keep it (`rollout`), so a laptop
// and CI see the same rollout and a later `pledge up` continues where the last
// one stopped. Pure.
import { z } from "zod";

const when = z.string();

export const rolloutRecordSchema = z.object({
  /** rolling: waves go on as gates pass; halted: a wave failed (resume or undo); done: every wave passed; undone: reverted. */
  state: z.enum(["rolling", "halted", "done", "undone"]),
  startedAt: when,
  /** Clusters that have the change. */
  reached: z.array(z.string()).default([]),
  /** Reached clusters whose gate passed (a wave with maxParallel gates each batch). */
  gated: z.array(z.string()).default([]),
  /** Waves whose gate passed, with when. */
  passed: z.record(z.string(), when).default({}),
  /** Waves a person approved (`pledge rollout approve`), with when. */
  approved: z.record(z.string(), when).default({}),
  /** Unreachable clusters a wave went on without (`--skip-unreachable`): they get the change when they are back. */
  skipped: z.array(z.string()).default([]),
  halted: z.object({ wave: z.string(), reason: z.string(), at: when }).optional(),
  /** The change an undo reverted: it is not rolled out again unless resumed or changed. */
  undone: z.object({ change: z.string(), at: when }).optional(),
});

export type RolloutRecord = z.infer<typeof rolloutRecordSchema>;

export function rolloutRecordOf(value: unknown): RolloutRecord | undefined {
  const parsed = rolloutRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function newRollout(now: string): RolloutRecord {
  return { state: "rolling", startedAt: now, reached: [], gated: [], passed: {}, approved: {}, skipped: [] };
}

/**
 * What a cluster had before the rollout first reached it, for `pledge rollout
 * undo`: each held object's digest and its state resources (undefined: the
 * rollout created it, undo deletes it). Stored as a secret output (`rolloutBefore`).
 */
export type BeforeForms<Form> = Record<string, Record<string, { owner: string; digest?: string; form?: Form }>>;
