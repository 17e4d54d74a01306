// `pledge up`: deploy the stack, after faults too (src/cli/engine/update.ts).
import { Command } from "commander";
import { seconds, withUpdate, type UpdateFlags } from "./options";
import { updateAction } from "./update-action";

export function upCommand(): Command {
  return withUpdate(
    new Command("up").description("deploy the stack: refresh from the clusters, update, and show where every request landed"),
  )
    .option(
      "--full-refresh",
      "read every object back from its cluster before the update, not only those a listing finds changed (slower)",
      false,
    )
    .option(
      "--checkpoints",
      "write the state after every step, as plain pulumi up does, instead of once at the end with Pledge's update journal (slower)",
      false,
    )
    .option(
      "--wait-applied <seconds>",
      "Git-delivered clusters: wait up to this long for Flux to report the new commit applied (where the cluster can be read)",
      seconds,
      0,
    )
    .action(async (opts: UpdateFlags) => updateAction("up", opts));
}
