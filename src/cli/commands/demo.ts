// `pledge demo`: a local fleet started, and the dev stack deployed on it.
import { Command } from "commander";
import { defaultFleetDir, fleetUp } from "../../local/fleet";
import { defaultParallel } from "../engine/update-options";
import { updateAction } from "./update-action";

export function demoCommand(): Command {
  return new Command("demo")
    .description("start a 3-cluster local fleet and deploy the dev stack on it")
    .option("--clusters <n>", "local clusters", (v) => Number(v), 3)
    .option("-C, --dir <path>", "Pulumi project directory", process.cwd())
    .action(async (opts: { clusters: number; dir: string }) => {
      process.stderr.write(`starting the local fleet (${opts.clusters} clusters)...\n`);
      await fleetUp(defaultFleetDir(process.env, opts.dir), {
        clusters: opts.clusters,
        log: (m) => process.stderr.write(`${m}\n`),
      });
      await updateAction("up", {
        stack: "dev",
        dir: opts.dir,
        verbose: false,
        allowDelete: [],
        wait: 600,
        shard: [],
        parallelShards: 2,
        parallel: defaultParallel,
      });
    });
}
