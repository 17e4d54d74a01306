// What `pledge up` / `preview` hands the program it runs through the engine:
// one typed value, in one environment variable of the engine's workspace (not
// this process's: shards of one fleet run side by side). The CLI writes it
// with runChannelEnv, the program reads it with readRunChannel; both sides
// use the one schema, so a field cannot be set under one name and read under
// another. Plain `pulumi up` sets nothing: every field then has its default,
// which is what a run without Pledge's CLI means (nothing confirmed, every
// cluster reachable, no namespace looked into).
import { z } from "zod";
import { handoffPointerSchema } from "./rollout-handoff";

const channelSchema = z
  .object({
    /** One-run confirmations from `--allow-delete` (never stored in config). */
    allowDelete: z.array(z.string()).default([]),
    /** Clusters found unreachable before this run, with why: they keep their placements and their objects are left alone. */
    unreachable: z.record(z.string(), z.string()).default({}),
    /**
     * What `pledge up` found in the team namespaces the run would delete, by
     * `<team>@<cluster>` (src/promise/namespace-keeping.ts); absent: nobody looked (they are kept).
     */
    namespaceContents: z.record(z.string(), z.array(z.string())).optional(),
    /** A throw-away password seed for one preview of a stack that has none yet (a preview never writes config). */
    previewSecretSeed: z.string().optional(),
    /** Where a fast update records its planned objects first (src/pulumi/update-journal.ts). */
    updateJournal: z.string().optional(),
    /** A staged rollout's step (src/run/rollout-handoff.ts): what to record and what to keep as it was. */
    rollout: handoffPointerSchema.optional(),
  })
  .strict();

export type RunChannel = z.infer<typeof channelSchema>;
export type RunChannelInput = z.input<typeof channelSchema>;

/** The environment variable that carries the channel. */
export const runChannelVariable = "PLEDGE_RUN";

/** The channel with its defaults filled in, for a decision the CLI makes in its own process. */
export function runChannel(channel: RunChannelInput): RunChannel {
  return channelSchema.parse(channel);
}

/** The channel as the engine's environment holds it. */
export function runChannelEnv(channel: RunChannelInput): Record<string, string> {
  return { [runChannelVariable]: JSON.stringify(runChannel(channel)) };
}

/** The channel a run was handed; an unreadable one is Pledge's own bug, said as such. */
export function readRunChannel(text: string | undefined): RunChannel {
  if (text === undefined || text === "") return channelSchema.parse({});
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(
      `${runChannelVariable} is not JSON (${err instanceof Error ? err.message : String(err)}): set only by pledge`,
    );
  }
  const parsed = channelSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(
      `${runChannelVariable} does not hold what pledge sets: ${parsed.error.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}
