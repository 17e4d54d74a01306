// `pledge explain <request>` / `--promise <name>`: every cluster's verdict,
// with its reasons, from the stack's outputs.
import { Command } from "commander";
import { PledgeStack } from "../stack/pledge-stack";
import { stackOutputs } from "../stack/stack-outputs";
import { explainPromiseTable, explainRequestTable } from "../views/placement-view";
import { withStack, type StackOptions } from "./options";

export function explainCommand(): Command {
  return withStack(
    new Command("explain").description("each cluster's verdict on one request, or with --promise on a promise's dependencies"),
  )
    .argument("<name>", "request key (promise/name, e.g. redis/checkout-cache), or a promise name with --promise")
    .option("--promise", "explain where the promise's dependencies go", false)
    .action(async (name: string, opts: StackOptions & { promise: boolean }) => {
      const outputs = await stackOutputs(await PledgeStack.open(opts.stack, false, opts.dir));
      process.stdout.write(`${opts.promise ? explainPromiseTable(outputs, name) : explainRequestTable(outputs, name)}\n`);
    });
}
