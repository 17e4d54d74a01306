// Wall time of the smoke stack's `up` and `destroy` (Namespace, ConfigMap and a
// 2-replica Deployment on each of two local clusters) and the peak resident
// memory of the Kubernetes provider processes during `up`:
//   node tools/run.mjs bench bench/smoke.bench.ts [runs]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { copyProject, ensureTestFleet, kubeconfigOf, newStack, uniqueName } from "../test/e2e/harness";
import { residentKiB } from "../dev/local/processes";

/** Pids of provider plugin processes (read-only scan of /proc; nothing is signalled). */
function providerPids(): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, "utf8").includes("pulumi-resource-kubernetes");
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const clusters = await ensureTestFleet(2);
  const ups: number[] = [];
  const destroys: number[] = [];
  let peakProviderKiB = 0;
  let providersSeen = 0;
  for (let i = 0; i < runs; i++) {
    const { stack } = await newStack(copyProject(join(__dirname, "..", "test", "e2e", "fixtures", "smoke")));
    await stack.setConfig("clusters", { value: JSON.stringify(clusters) });
    await stack.setConfig("namespace", { value: uniqueName("bench") });
    for (const c of clusters) await stack.setConfig(`kubeconfig-${c}`, { value: kubeconfigOf(c), secret: true });
    const sampler = setInterval(() => {
      const pids = providerPids();
      providersSeen = Math.max(providersSeen, pids.length);
      for (const pid of pids) peakProviderKiB = Math.max(peakProviderKiB, residentKiB(pid) ?? 0);
    }, 100);
    let start = performance.now();
    await stack.up({ onOutput: () => {} });
    ups.push(performance.now() - start);
    clearInterval(sampler);
    start = performance.now();
    await stack.destroy({ onOutput: () => {} });
    destroys.push(performance.now() - start);
    await stack.workspace.removeStack(stack.name);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! / 1000;
  const range = (xs: number[]) => `min ${(Math.min(...xs) / 1000).toFixed(1)}, max ${(Math.max(...xs) / 1000).toFixed(1)}`;
  console.log(
    `smoke (2 clusters, 8 resources): up median ${median(ups).toFixed(1)} s (${range(ups)}), destroy median ${median(destroys).toFixed(1)} s (${range(destroys)}), ${runs} runs`,
  );
  console.log(
    `provider: up to ${providersSeen} pulumi-resource-kubernetes processes at once, peak ${(peakProviderKiB / 1024).toFixed(0)} MiB resident each`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
