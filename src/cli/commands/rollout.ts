// `pledge rollout status|approve|resume|undo`: a staged rollout
// (pledge:rollout, docs/rollouts.md) seen and steered. approve, resume and undo
// are `pledge up` with the person's word added; status reads only.
import { Command } from "commander";
import type { RolloutCommand } from "../engine/rollout";
import { rolloutStatus, rolloutStatusText } from "../engine/rollout-status";
import { PledgeStack } from "../stack/pledge-stack";
import { printJson } from "../views/output";
import { withStack, withUpdate, type StackOptions, type UpdateFlags } from "./options";
import { updateAction } from "./update-action";

function steering(name: string, description: string, command: (arg: string) => RolloutCommand, argument?: string): Command {
  const cmd = withUpdate(new Command(name).description(description));
  if (argument) cmd.argument(argument);
  return cmd.action(async (...args: unknown[]) => {
    const opts = args[argument ? 1 : 0] as UpdateFlags;
    await updateAction("up", { ...opts, shard: [] }, command(argument ? String(args[0]) : ""));
  });
}

export function rolloutCommand(): Command {
  const rollout = new Command("rollout").description(
    "a staged rollout (pledge:rollout): its waves and gates, and the stop button",
  );
  rollout.addCommand(
    withStack(
      new Command("status").description("the rollout's waves, their clusters, and the readiness of what the change put there"),
    )
      .option("--json", "machine-readable output", false)
      .action(async (opts: StackOptions & { json: boolean }) => {
        const stack = await PledgeStack.open(opts.stack, false, opts.dir);
        const status = await rolloutStatus(stack, opts.dir);
        if (opts.json) printJson(status);
        else process.stdout.write(rolloutStatusText(status));
      }),
  );
  rollout.addCommand(
    steering(
      "approve",
      "approve a wave that waits for approval, and go on with the rollout",
      (wave) => ({ kind: "approve", wave }),
      "<wave>",
    ),
  );
  rollout.addCommand(
    steering("resume", "retry a halted rollout's wave (or start an undone one again), and go on", () => ({ kind: "resume" })),
  );
  rollout.addCommand(
    steering("undo", "put the clusters the rollout reached back to what they had before it; the change stays held", () => ({
      kind: "undo",
    })),
  );
  return rollout;
}
