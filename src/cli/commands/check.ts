// `pledge check <files...>`: a team's request files against the stack,
// without touching any cluster (src/cli/engine/check-files.ts), and where
// each request would go. Exit status 2 when one would not be fully placed.
import { Command } from "commander";
import { checkRequestFiles } from "../engine/check-files";
import { PledgeStack } from "../stack/pledge-stack";
import { printJson, say } from "../views/output";
import { requestsTable } from "../views/placement-view";
import { withStack, type StackOptions } from "./options";

export function checkCommand(): Command {
  return withStack(
    new Command("check").description(
      "check a team's request file against the stack (schema, promises, team and its clusters, placement) without touching any cluster, and show where each request would go",
    ),
  )
    .argument("<files...>", "request files, e.g. requests/team-a.yaml (they replace their committed versions)")
    .option("--json", "machine-readable output", false)
    .action(async (files: string[], opts: StackOptions & { json: boolean }) => {
      const stack = await PledgeStack.open(opts.stack, false, opts.dir);
      const { outputs, unplaced } = await checkRequestFiles(stack, opts.dir, files);
      if (opts.json) printJson({ requests: outputs.requests, unplaced: unplaced ?? null });
      else process.stdout.write(`${requestsTable(outputs)}\n`);
      if (unplaced) {
        say(`warning: ${unplaced}`);
        process.exitCode = 2;
      }
    });
}
