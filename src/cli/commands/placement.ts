// `pledge placement`: where every request landed and why, from the stack's
// outputs (nothing is asked of a cluster).
import { Command } from "commander";
import { PledgeStack } from "../stack/pledge-stack";
import { stackOutputs } from "../stack/stack-outputs";
import { printJson } from "../views/output";
import { printPlacement } from "../views/placement-view";
import { withStack, type StackOptions } from "./options";

export function placementCommand(): Command {
  return withStack(new Command("placement").description("where every request landed and why (from the last update)"))
    .option("--json", "machine-readable output", false)
    .action(async (opts: StackOptions & { json: boolean }) => {
      const outputs = await stackOutputs(await PledgeStack.open(opts.stack, false, opts.dir));
      if (opts.json) {
        printJson(outputs);
        if (outputs.unplaced.length > 0) process.exitCode = 2;
      } else printPlacement(outputs);
    });
}
