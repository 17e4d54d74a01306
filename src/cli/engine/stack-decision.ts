// What a CLI run decides about a stack, through the program's own pipeline
// (src/run/decide.ts): the stack is read and modelled once per CLI run, and
// every question the run asks (is the config good? is the stack sharded?
// would the update change anything? which team namespaces would go? where
// would a team's changed file land?) is answered from that one reading, the
// way the program will answer it.
import { configKeys } from "../../config/keys";
import type { Issue } from "../../issues";
import { previousStateOf } from "../../outputs";
import { pledgeCodeDigest } from "../../pulumi/code-digest";
import { runChannel, type RunChannelInput } from "../../run/channel";
import { decideFromStack, readStack, type RunMode, type RunResult, type StackReadResult } from "../../run/decide";
import { loadPlatform } from "../stack/project";
import type { PledgeStack } from "../stack/pledge-stack";
import { outputValues } from "../stack/stack-outputs";

export interface DecisionOptions {
  mode: RunMode;
  /** Request files under check, in place of their committed versions (`pledge check`). */
  checkedFiles?: readonly string[];
  /** This run's confirmations (--allow-delete). */
  allowDelete?: readonly string[];
}

/** A stack read once: its model (or why it has none), and the digest of the program's copy of Pledge. */
interface Reading {
  result: StackReadResult;
  code: string;
}

export class StackDecision {
  private reading: Promise<Reading | undefined> | undefined;

  /** `stack` holds the config and the placement record (a shard's fleet stack). */
  constructor(
    readonly stack: PledgeStack,
    readonly projectDir: string,
    readonly options: DecisionOptions,
  ) {}

  /** The stack read and modelled; undefined when the project's program cannot be loaded here (the engine will say why). */
  read(): Promise<Reading | undefined> {
    return (this.reading ??= this.readOnce());
  }

  private async readOnce(): Promise<Reading | undefined> {
    let platform;
    try {
      platform = loadPlatform(this.projectDir);
    } catch {
      return undefined;
    }
    const values = await this.stack.config();
    const result = readStack({
      mode: this.options.mode,
      projectDir: this.projectDir,
      catalogue: platform.catalogue,
      config: (key) => values[key]?.value,
      ...(this.options.checkedFiles ? { checkedFiles: this.options.checkedFiles } : {}),
      channel: runChannel({ allowDelete: [...(this.options.allowDelete ?? [])] }),
    });
    // The program's copy of Pledge, whose digest its fingerprint holds (this CLI may be a build of it, or another install).
    return { result, code: typeof platform.codeDigest === "function" ? platform.codeDigest() : pledgeCodeDigest() };
  }

  /** The config's problems, as `pledge up` stops on them (none when the program cannot be loaded here: the engine says why). */
  async issues(): Promise<Issue[]> {
    const reading = await this.read();
    return reading && !reading.result.ok ? reading.result.issues : [];
  }

  /**
   * The program's decision for a run of `runStack` (this stack, or one of its
   * shards) with what the CLI hands it; undefined when the program cannot be loaded here.
   */
  async decide(runStack: PledgeStack, channel: RunChannelInput): Promise<RunResult | undefined> {
    const reading = await this.read();
    if (!reading) return undefined;
    if (!reading.result.ok) return reading.result;
    const handed = runChannel(channel);
    // The seed the first `pledge up` sets after the stack was read: config reads are remembered until one is written.
    const seed = (await this.stack.config())[configKeys.secretSeed]?.value ?? handed.previewSecretSeed;
    const recorded = previousStateOf(await outputValues(this.stack));
    return decideFromStack(reading.result.stack, {
      stackName: runStack.name,
      channel: handed,
      previous: async () => recorded,
      ownPrevious: async () => previousStateOf(await outputValues(runStack)),
      code: reading.code,
      ...(seed ? { secretSeed: seed } : {}),
    });
  }
}

/** One decision per stack per CLI run: a sharded run's shards share their fleet stack's. */
const decisions = new WeakMap<PledgeStack, StackDecision>();

export function stackDecision(stack: PledgeStack, projectDir: string, options: DecisionOptions): StackDecision {
  let found = decisions.get(stack);
  if (!found) decisions.set(stack, (found = new StackDecision(stack, projectDir, options)));
  return found;
}
