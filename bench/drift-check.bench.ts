// What `pledge up`'s drift check costs against refreshing every object: a
// no-change `pledge up` (lists each kind once per namespace, refreshes only
// what changed) alternated with `pledge up --full-refresh` (reads every object
// back), through the CLI on the same stack of the test fleet.
//   node tools/run.mjs bench bench/drift-check.bench.ts [requests] [runs]
import { performance } from "node:perf_hooks";
import { runPledge } from "../test/e2e/harness";
import { deployedRedisStack } from "./redis-stack";

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? 100);
  const runs = Number(process.argv[3] ?? 5);
  const test = await deployedRedisStack(requests);
  const objects = (await test.stack.exportStack()).deployment.resources.filter((r: { type: string }) =>
    r.type.startsWith("kubernetes:"),
  ).length;
  const timed = (...args: string[]) => {
    const start = performance.now();
    const result = runPledge(test, ...args);
    if (result.status !== 0) throw new Error(result.stderr);
    return performance.now() - start;
  };
  const listing: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < runs; i++) {
    listing.push(timed("up"));
    full.push(timed("up", "--full-refresh"));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! / 1000;
  const ratios = listing.map((l, i) => full[i]! / l).sort((a, b) => a - b);
  const range = (xs: number[]) => `min ${(Math.min(...xs) / 1000).toFixed(2)}, max ${(Math.max(...xs) / 1000).toFixed(2)}`;
  console.log(`no-change pledge up of ${requests} requests (${objects} Kubernetes objects), ${runs} pairs:`);
  console.log(`  drift check by listing: median ${median(listing).toFixed(2)} s (${range(listing)})`);
  console.log(`  --full-refresh:         median ${median(full).toFixed(2)} s (${range(full)})`);
  console.log(`  full / listing, pair by pair: median ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}`);
  await test.stack.destroy({ onOutput: () => {} });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
