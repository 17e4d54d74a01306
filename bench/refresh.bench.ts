// What refreshing from the clusters costs `pledge up` (drift repair): a
// no-change update with and without the refresh, alternated on the same stack
// so the machine's drift hits both alike.
//   node tools/run.mjs bench bench/refresh.bench.ts [requests] [runs]
// requests: redis requests over two local test clusters (3 objects each); 0 uses the dev stack's shape.
import { performance } from "node:perf_hooks";
import { ensureTestFleet, newPledgeStack, setPledgeConfig } from "../test/e2e/harness";

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? 100);
  const runs = Number(process.argv[3] ?? 5);
  const clusters = await ensureTestFleet(3);
  const test = await newPledgeStack();
  const cluster = (name: string, labels: Record<string, string>) => ({ name, source: "local", labels });
  if (requests === 0) {
    // The dev stack's shape: 3 clusters, redis + postgres (a Helm chart), 4 requests.
    await setPledgeConfig(test.stack, {
      clusters: [
        cluster(clusters[0]!, { region: "eu", zone: "eu-1", workload: "general" }),
        cluster(clusters[1]!, { region: "eu", zone: "eu-2", workload: "data" }),
        cluster(clusters[2]!, { region: "us", zone: "us-1", workload: "gpu" }),
      ],
      promises: { redis: {}, postgres: {} },
      requests: [
        { promise: "redis", name: "checkout-cache", team: "shop", spec: { size: "medium" } },
        { promise: "redis", name: "sessions", team: "team-a", count: 2, spreadBy: "zone" },
        { promise: "postgres", name: "orders", team: "team-a" },
        { promise: "postgres", name: "analytics", team: "team-b" },
      ],
    });
  } else {
    await setPledgeConfig(test.stack, {
      clusters: [cluster(clusters[0]!, {}), cluster(clusters[1]!, {})],
      promises: { redis: {} },
      requests: Array.from({ length: requests }, (_, i) => ({ promise: "redis", name: `r${i}`, team: "bench" })),
    });
  }
  await test.stack.up({ onOutput: () => {} });
  const objects = (await test.stack.exportStack()).deployment.resources.filter(
    (r: { type: string }) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm"),
  ).length;
  const plain: number[] = [];
  const refreshed: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    await test.stack.up({ onOutput: () => {} });
    plain.push(performance.now() - start);
    start = performance.now();
    await test.stack.up({ onOutput: () => {}, refresh: true });
    refreshed.push(performance.now() - start);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! / 1000;
  const ratios = plain.map((p, i) => refreshed[i]! / p).sort((a, b) => a - b);
  console.log(
    `no-change up of ${requests === 0 ? "the dev stack's shape" : `${requests} requests`} (${objects} Kubernetes objects), ${runs} pairs:`,
  );
  console.log(
    `  without refresh: median ${median(plain).toFixed(2)} s (min ${(Math.min(...plain) / 1000).toFixed(2)}, max ${(Math.max(...plain) / 1000).toFixed(2)})`,
  );
  console.log(
    `  with refresh   : median ${median(refreshed).toFixed(2)} s (min ${(Math.min(...refreshed) / 1000).toFixed(2)}, max ${(Math.max(...refreshed) / 1000).toFixed(2)})`,
  );
  console.log(
    `  ratio with/without, pair by pair: median ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)} (${ratios[0]!.toFixed(2)}-${ratios.at(-1)!.toFixed(2)})`,
  );
  await test.stack.destroy({ onOutput: () => {} });
  await test.stack.workspace.removeStack(test.stack.name);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
