// `pledge status [request] [--team T]`: each request's placement, its
// objects' readiness read live, its outputs and drift (src/cli/engine/status.ts).
import { Command } from "commander";
import { collectStatus, statusExitCode, StatusArgumentError } from "../engine/status";
import { PledgeStack } from "../stack/pledge-stack";
import { UpdateError } from "../update-error";
import { printJson } from "../views/output";
import { statusText } from "../views/status-view";
import { withStack, type StackOptions } from "./options";

export function statusCommand(): Command {
  return withStack(
    new Command("status").description(
      "each request's placement and why, its objects' readiness read live from the clusters, its outputs and any drift",
    ),
  )
    .argument("[request]", "one request (promise/name, e.g. redis/checkout-cache); all when absent")
    .option("--team <team>", "only this team's requests")
    .option("--json", "machine-readable output", false)
    .option("--no-drift", "skip reading drift (a refresh preview)")
    .action(async (request: string | undefined, opts: StackOptions & { team?: string; json: boolean; drift: boolean }) => {
      const stack = await PledgeStack.open(opts.stack, false, opts.dir);
      let report;
      try {
        report = await collectStatus(stack, {
          ...(request !== undefined ? { request } : {}),
          ...(opts.team !== undefined ? { team: opts.team } : {}),
          drift: opts.drift,
          projectDir: opts.dir,
        });
      } catch (err) {
        if (err instanceof StatusArgumentError) throw new UpdateError(err.message);
        throw err;
      }
      if (opts.json) printJson(report);
      else process.stdout.write(statusText(report));
      process.exitCode = statusExitCode(report);
    });
}
