// The local fleet's command line, dev tooling of this repository (not in the
// published `pledge`): `npm run fleet:up|down|status` and `npm run demo`, run
// through tools/run.mjs, which builds the control plane first.
import { spawn } from "node:child_process";
import Table from "cli-table3";
import { Command, InvalidArgumentError } from "commander";
import { defaultFleetDir } from "../../src/run/local-fleet-files";
import { fleetDown, fleetUp } from "./fleet";
import { fleetStatus, isFleetHealthy, type ClusterStatus } from "./fleet-status";
import { fluxControllerBinary } from "./flux";

function clusterCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new InvalidArgumentError("give a whole number from 1 to 20");
  return n;
}

/** Flux's controllers of a Git-delivered cluster, "-" for one applied through its API server. */
function fluxColumn(s: ClusterStatus): string {
  if (!s.gitops) return "-";
  return s.gitops.controllers
    .map(
      (c) => `${fluxControllerBinary[c.name]}: ${c.ready ? `ready, ${c.residentMiB} MiB` : c.running ? "NOT READY" : "STOPPED"}`,
    )
    .join("\n");
}

async function printStatus(dir: string, json: boolean): Promise<boolean> {
  const status = await fleetStatus(dir);
  if (json) {
    process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
  } else if (status.clusters.length === 0) {
    process.stdout.write(`no local clusters in ${dir}; start some with \`npm run fleet:up -- --clusters 3\`\n`);
  } else {
    const table = new Table({
      head: ["cluster", "ready", "server", "memory", "stopped parts", "flux", "kubeconfig"],
      style: { head: [], border: [] },
    });
    for (const s of status.clusters) {
      const stopped = s.stopped.join(", ") || "-";
      table.push([s.name, s.ready ? "yes" : "NO", s.server, `${s.residentMiB} MiB`, stopped, fluxColumn(s), s.kubeconfig]);
    }
    process.stdout.write(`${table.toString()}\n`);
    if (status.git) {
      const { git } = status;
      process.stdout.write(
        `git server: ${git.running ? "running" : "STOPPED"} at ${git.url} (branch ${git.branch}); writer ${git.writer.username}, password in ${git.writer.passwordFile}\n`,
      );
    }
  }
  return isFleetHealthy(status);
}

/** Runs the `pledge` CLI built from this checkout's src/, as `npm run pledge` does; resolves to its exit status. */
async function runPledge(args: readonly string[]): Promise<number> {
  const { cliArgs } = await import("../../tools/lib/cli-build.mjs");
  const child = spawn(process.execPath, [...cliArgs(), ...args], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
}

function fleetCommand(): Command {
  const fleet = new Command("fleet").description("run a fleet of real Kubernetes control planes on loopback");
  const fleetDir = defaultFleetDir(process.env, process.cwd());
  fleet
    .command("up")
    .description("start clusters local-1..local-N (running ones are reused)")
    .option("--clusters <n>", "how many clusters", clusterCount, 3)
    .option(
      "--gitops <names...>",
      "clusters delivered through Git: the fleet's Git server and Flux beside each, pulling clusters/<name>/ (they stay so)",
    )
    .option("--dir <path>", "fleet directory", fleetDir)
    .action(async (opts: { clusters: number; gitops?: string[]; dir: string }) => {
      const begin = Date.now();
      await fleetUp(opts.dir, {
        clusters: opts.clusters,
        gitops: opts.gitops,
        log: (m) => process.stderr.write(`${m}\n`),
      });
      process.stderr.write(`fleet up in ${((Date.now() - begin) / 1000).toFixed(1)}s\n`);
      await printStatus(opts.dir, false);
    });
  fleet
    .command("down")
    .description("stop clusters and their Flux by pid (all, with the Git server, or the named ones); data is kept unless --purge")
    .argument("[names...]", "clusters to stop")
    .option("--purge", "also delete their data (etcd, certificates, kubeconfigs)", false)
    .option("--dir <path>", "fleet directory", fleetDir)
    .action(async (names: string[], opts: { purge: boolean; dir: string }) => {
      await fleetDown(opts.dir, { names: names.length > 0 ? names : undefined, purge: opts.purge });
      process.stderr.write(
        `stopped${opts.purge ? " and purged" : ""}: ${names.length > 0 ? names.join(", ") : "all clusters"}\n`,
      );
    });
  fleet
    .command("status")
    .description("show each cluster, whether it and its Flux are ready, its kubeconfig, and the Git server")
    .option("--json", "machine-readable output", false)
    .option("--dir <path>", "fleet directory", fleetDir)
    .action(async (opts: { json: boolean; dir: string }) => {
      if (!(await printStatus(opts.dir, opts.json))) process.exitCode = 1;
    });
  fleet
    .command("demo")
    .description("start a 3-cluster local fleet and deploy the dev stack on it (`pledge up`)")
    .option("--clusters <n>", "local clusters", (v) => Number(v), 3)
    .option("-C, --dir <path>", "Pulumi project directory", process.cwd())
    .action(async (opts: { clusters: number; dir: string }) => {
      process.stderr.write(`starting the local fleet (${opts.clusters} clusters)...\n`);
      await fleetUp(defaultFleetDir(process.env, opts.dir), {
        clusters: opts.clusters,
        log: (m) => process.stderr.write(`${m}\n`),
      });
      process.exitCode = await runPledge(["up", "--stack", "dev", "--dir", opts.dir]);
    });
  return fleet;
}

fleetCommand()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    process.stderr.write(`fleet: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
