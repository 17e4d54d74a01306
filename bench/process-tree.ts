// Runs a command to the end while sampling the resident memory of its whole
// process tree (the CLI, the engine, the program, one Kubernetes provider per
// cluster) from /proc every 200 ms: wall time, peak of the tree's sum, and the
// peak of each provider process.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

export interface TreeRun {
  seconds: number;
  status: number | null;
  stderr: string;
  /** Peak of the summed RSS of every process in the tree, MiB. */
  peakTreeMiB: number;
  /** Peak RSS of the largest pulumi-resource-kubernetes process, MiB, and how many ran at once at most. */
  peakProviderMiB: number;
  providers: number;
  /** At the tree's peak: resident MiB by process name, largest first. */
  peakBreakdown: string;
}

function processTable(): Map<number, { ppid: number; rssKiB: number; name: string }> {
  const table = new Map<number, { ppid: number; rssKiB: number; name: string }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const rssKiB = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? "";
      table.set(Number(entry), { ppid, rssKiB, name });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

function treeOf(root: number, table: ReturnType<typeof processTable>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, p] of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return out;
}

export function runMeasured(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<TreeRun> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    let peakTree = 0;
    let peakProvider = 0;
    let providers = 0;
    let peakBreakdown = "";
    const timer = setInterval(() => {
      const table = processTable();
      const tree = treeOf(child.pid!, table)
        .map((pid) => table.get(pid))
        .filter((p) => p !== undefined);
      const total = tree.reduce((n, p) => n + p.rssKiB, 0);
      if (total > peakTree) {
        peakTree = total;
        const byName = new Map<string, number>();
        for (const p of tree) byName.set(p.name, (byName.get(p.name) ?? 0) + p.rssKiB);
        peakBreakdown = [...byName]
          .sort((a, b) => b[1] - a[1])
          .map(([name, kib]) => `${name} ${(kib / 1024).toFixed(0)}`)
          .join(", ");
      }
      const providerProcesses = tree.filter((p) => p.name.startsWith("pulumi-resource"));
      providers = Math.max(providers, providerProcesses.length);
      for (const p of providerProcesses) peakProvider = Math.max(peakProvider, p.rssKiB);
    }, 200);
    child.on("close", (status) => {
      clearInterval(timer);
      resolve({
        seconds: (performance.now() - start) / 1000,
        status,
        stderr,
        peakTreeMiB: peakTree / 1024,
        peakProviderMiB: peakProvider / 1024,
        providers,
        peakBreakdown,
      });
    });
  });
}
