// The options commands share: which stack of which project (-s, -C), and an
// update's (confirmations, waiting, shards, parallelism, verbosity), with
// their parsers.
import { Command, InvalidArgumentError } from "commander";
import { defaultParallel } from "../engine/update-options";

export interface StackOptions {
  stack: string;
  dir: string;
}

export interface UpdateFlags extends StackOptions {
  verbose: boolean;
  fullRefresh?: boolean;
  checkpoints?: boolean;
  parallel: number;
  allowDelete: string[];
  wait: number;
  /** up only: seconds to wait for Flux to apply the commit on Git-delivered clusters (0: do not wait). */
  waitApplied?: number;
  /** Preview only: a machine-readable or pull-request summary on stdout instead of the tables. */
  json?: boolean;
  markdown?: boolean;
  /** A sharded fleet: every shard (--all) or some (--shard), at most parallelShards at once. */
  all?: boolean;
  shard: string[];
  parallelShards: number;
  /** pledge:rollout: a wave goes on without its unreachable clusters. */
  skipUnreachable?: boolean;
}

export function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("give a whole number of seconds, 0 or more");
  return n;
}

export function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("give a whole number, 1 or more");
  return n;
}

/** Repeatable and comma-separated: `--shard a --shard b,c`. */
export function allowList(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** -C: the Pulumi project's directory. */
export const withProject = (command: Command) => command.option("-C, --dir <path>", "Pulumi project directory", process.cwd());

/** -s and -C: a stack of the project. */
export const withStack = (command: Command) => withProject(command.option("-s, --stack <name>", "stack name", "dev"));

/** A stack and how to update it: `pledge up` and `pledge preview`. */
export const withUpdate = (command: Command) =>
  withStack(command)
    .option(
      "--allow-delete <what>",
      "confirm a guarded deletion for this run: cluster:<name>, request:<promise>/<name>, namespace:<team>@<cluster>, many, all (repeat or comma-separate)",
      allowList,
      [],
    )
    .option(
      "--wait <seconds>",
      "how long to wait for another update of this stack to finish, and (pledge:rollout) for a wave's gate",
      seconds,
      600,
    )
    .option("--all", "a sharded fleet (pledge:shards): decide the placement once, then run every shard's stack", false)
    .option(
      "--shard <name>",
      "a sharded fleet: decide the placement once, then run only these shards (repeat or comma-separate)",
      allowList,
      [],
    )
    .option("--parallel-shards <n>", "how many shards run at once", positive, 2)
    .option("--parallel <n>", "how many resource operations the engine runs at once", positive, defaultParallel)
    .option("-v, --verbose", "show the engine's full output as well", false)
    .option(
      "--skip-unreachable",
      "pledge:rollout: let a wave go on without its unreachable clusters (they get the change when they are back)",
      false,
    );
