// `pledge cordon <cluster>` / `pledge uncordon <cluster>`: a shorthand for
// adding or removing a NoSchedule taint in the stack's own config file
// (Pulumi.<stack>.yaml), nothing more. The file keeps its layout and comments
// (src/cli/stack/cluster-taints.ts); the next `pledge up` applies it like any
// other config edit (a cordon moves nothing, see docs/placement.md).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { formatTaint } from "../../labels/taints";
import { editClusterTaints, withCordon, withoutCordon } from "../stack/cluster-taints";
import { UpdateError } from "../update-error";
import { withStack } from "./options";

function cordonCommand(name: "cordon" | "uncordon"): Command {
  const cordon = name === "cordon";
  return withStack(
    new Command(name)
      .description(
        cordon
          ? "cordon a cluster: add a NoSchedule taint in the stack's config (nothing moves; no new requests go there)"
          : "lift a cordon: remove the NoSchedule taint of that key from the stack's config",
      )
      .argument("<cluster>", "a cluster of pledge:clusters")
      .option("--key <key>", "the taint's key", "maintenance"),
  ).action((cluster: string, opts: { key: string; stack: string; dir: string }) => {
    const file = join(opts.dir, `Pulumi.${opts.stack}.yaml`);
    if (!existsSync(file))
      throw new UpdateError(`${file} does not exist: pledge ${name} edits the stack's config file, which -s and -C name`);
    const edited = editClusterTaints(readFileSync(file, "utf8"), cluster, (taints) =>
      cordon ? withCordon(taints, opts.key) : withoutCordon(taints, opts.key),
    );
    const taint = formatTaint({ key: opts.key, effect: "NoSchedule" });
    if (edited.after.length === edited.before.length) {
      process.stderr.write(`cluster ${cluster} is ${cordon ? "already" : "not"} cordoned by ${taint}: nothing to change\n`);
      return;
    }
    writeFileSync(file, edited.text);
    process.stderr.write(
      cordon
        ? `cluster ${cluster} is cordoned (${taint} in ${file}): pledge up applies it; what runs there stays, new requests go elsewhere\n`
        : `cluster ${cluster} is no longer cordoned by ${taint} (${file}): pledge up applies it; nothing moves back or away\n`,
    );
  });
}

export function cordonCommands(): Command[] {
  return [cordonCommand("cordon"), cordonCommand("uncordon")];
}
