// What `pledge up` hands the program for one step of a staged rollout: the
// progress to record, the objects to keep as they were (with their state
// forms, Secrets' data among them), and what the clusters had before the
// rollout (kept for undo). Too big for an environment variable and holding
// secrets, it goes through a file encrypted with a key that only the run
// channel carries (AES-256-GCM); the file is removed when the run ends.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import type { BeforeForms } from "../rollout/record";
import { rolloutRecordSchema, type RolloutRecord } from "../rollout/record";
import type { HeldObjects, StateForm } from "../rollout/held";

export interface RolloutHandoff {
  record: RolloutRecord;
  held: HeldObjects;
  before: BeforeForms<StateForm>;
  /** Git-delivered clusters the change has not reached: their directories are left as they are. */
  heldDirectories: string[];
}

const stateForm: z.ZodType<StateForm> = z.lazy(() =>
  z.object({
    type: z.string(),
    name: z.string(),
    custom: z.boolean(),
    inputs: z.record(z.string(), z.unknown()),
    children: z.array(stateForm),
  }),
);
const heldObject = z.object({ owner: z.string(), digest: z.string().optional(), form: stateForm.optional() });
const handoffSchema = z.object({
  record: rolloutRecordSchema,
  held: z.record(z.string(), z.record(z.string(), heldObject)),
  before: z.record(z.string(), z.record(z.string(), heldObject)),
  heldDirectories: z.array(z.string()),
});

/** Where the channel points: the file and its key (base64). */
export const handoffPointerSchema = z.object({ file: z.string(), key: z.string() }).strict();
export type HandoffPointer = z.infer<typeof handoffPointerSchema>;

/** Writes the handoff for one engine run; `remove` deletes it (call it when the run ends). */
export function writeRolloutHandoff(handoff: RolloutHandoff): { pointer: HandoffPointer; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "pledge-rollout-"));
  const file = join(dir, "handoff");
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(handoff), "utf8"), cipher.final()]);
  writeFileSync(file, Buffer.concat([iv, cipher.getAuthTag(), body]), { mode: 0o600 });
  return { pointer: { file, key: key.toString("base64") }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The handoff a run was given; an unreadable one is Pledge's own bug, said as such. */
export function readRolloutHandoff(pointer: HandoffPointer): RolloutHandoff {
  const data = readFileSync(pointer.file);
  const decipher = createDecipheriv("aes-256-gcm", Buffer.from(pointer.key, "base64"), data.subarray(0, 12));
  decipher.setAuthTag(data.subarray(12, 28));
  const text = Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString("utf8");
  const parsed = handoffSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`the rollout handoff ${pointer.file} does not hold what pledge writes: ${parsed.error.message}`);
  return parsed.data;
}
