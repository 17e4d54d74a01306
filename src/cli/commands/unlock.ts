// `pledge unlock`: the stack's locks removed on purpose (src/cli/engine/locks.ts).
import { Command } from "commander";
import { unlock } from "../engine/locks";
import { PledgeStack } from "../stack/pledge-stack";
import { say } from "../views/output";
import { withStack, type StackOptions } from "./options";

export function unlockCommand(): Command {
  return withStack(
    new Command("unlock").description("remove the stack's lock on purpose (after an update was killed on another machine)"),
  ).action(async (opts: StackOptions) => unlock(await PledgeStack.open(opts.stack, false, opts.dir), say));
}
