// `pledge local up|down|status`: the local fleet of real control planes.
import Table from "cli-table3";
import { Command, InvalidArgumentError } from "commander";
import { defaultFleetDir, fleetDown, fleetStatus, fleetUp } from "../../local/fleet";

function clusterCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new InvalidArgumentError("give a whole number from 1 to 20");
  return n;
}

async function printStatus(dir: string, json: boolean): Promise<boolean> {
  const status = await fleetStatus(dir);
  if (json) {
    process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
  } else if (status.length === 0) {
    process.stdout.write(`no local clusters in ${dir}; start some with \`npm run fleet:up -- --clusters 3\`\n`);
  } else {
    const table = new Table({
      head: ["cluster", "ready", "server", "memory", "stopped parts", "kubeconfig"],
      style: { head: [], border: [] },
    });
    for (const s of status) {
      table.push([s.name, s.ready ? "yes" : "NO", s.server, `${s.residentMiB} MiB`, s.stopped.join(", ") || "-", s.kubeconfig]);
    }
    process.stdout.write(`${table.toString()}\n`);
  }
  return status.every((s) => s.ready);
}

export function localCommand(): Command {
  const local = new Command("local").description("run a fleet of real Kubernetes control planes on loopback");
  local
    .command("up")
    .description("start clusters local-1..local-N (running ones are reused)")
    .option("--clusters <n>", "how many clusters", clusterCount, 3)
    .option("--dir <path>", "fleet directory", defaultFleetDir())
    .action(async (opts: { clusters: number; dir: string }) => {
      const begin = Date.now();
      await fleetUp(opts.dir, { clusters: opts.clusters, log: (m) => process.stderr.write(`${m}\n`) });
      process.stderr.write(`fleet up in ${((Date.now() - begin) / 1000).toFixed(1)}s\n`);
      await printStatus(opts.dir, false);
    });
  local
    .command("down")
    .description("stop clusters by pid (all, or the named ones); data is kept unless --purge")
    .argument("[names...]", "clusters to stop")
    .option("--purge", "also delete their data (etcd, certificates, kubeconfigs)", false)
    .option("--dir <path>", "fleet directory", defaultFleetDir())
    .action(async (names: string[], opts: { purge: boolean; dir: string }) => {
      await fleetDown(opts.dir, { names: names.length > 0 ? names : undefined, purge: opts.purge });
      process.stderr.write(
        `stopped${opts.purge ? " and purged" : ""}: ${names.length > 0 ? names.join(", ") : "all clusters"}\n`,
      );
    });
  local
    .command("status")
    .description("show each cluster, whether it is ready, and its kubeconfig")
    .option("--json", "machine-readable output", false)
    .option("--dir <path>", "fleet directory", defaultFleetDir())
    .action(async (opts: { json: boolean; dir: string }) => {
      if (!(await printStatus(opts.dir, opts.json))) process.exitCode = 1;
    });
  return local;
}
