// `pledge preview`: what `pledge up` would change, drift included, as tables
// or as a summary for CI (--json) and pull requests (--markdown).
import { Command } from "commander";
import { withUpdate, type UpdateFlags } from "./options";
import { updateAction } from "./update-action";

export function previewCommand(): Command {
  return withUpdate(
    new Command("preview").description(
      "show what would change (drift included), requests that would move, and every deletion per cluster",
    ),
  )
    .option("--json", "print a summary per request and cluster as JSON (for CI)", false)
    .option("--markdown", "print the summary as Markdown (for a pull-request comment)", false)
    .action(async (opts: UpdateFlags) => updateAction("preview", opts));
}
