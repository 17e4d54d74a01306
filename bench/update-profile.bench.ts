// Where a no-change `pledge up` spends its time, part by part, on one stack of
// the test fleet: the state export, the drift listing, the engine's update
// without a refresh (with and without checkpoint writes), a preview (program
// and diff, no steps), and the whole CLI command. Each part is run `runs`
// times, alternated; medians are quoted.
//   node tools/run.mjs bench bench/update-profile.bench.ts [requests] [runs]
import { performance } from "node:perf_hooks";
import { driftedUrns } from "../src/cli/clusters/drift-check";
import type { StateResource } from "../src/cli/stack/state-objects";
import { runPledge } from "../test/e2e/harness";
import { deployedRedisStack } from "./redis-stack";

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? 100);
  const runs = Number(process.argv[3] ?? 3);
  const test = await deployedRedisStack(requests);
  const times = new Map<string, number[]>();
  const time = async (part: string, fn: () => Promise<unknown> | unknown) => {
    const start = performance.now();
    await fn();
    times.set(part, [...(times.get(part) ?? []), performance.now() - start]);
  };
  let resources: StateResource[] = [];
  for (let i = 0; i < runs; i++) {
    await time("state export (pulumi stack export --show-secrets)", async () => {
      resources = (await test.stack.exportStack()).deployment.resources as StateResource[];
    });
    await time("drift listing (one list per kind, namespace and cluster)", () => driftedUrns(resources, new Set()));
    await time("engine preview (program run and diff, no steps)", () => test.stack.preview({ onOutput: () => {} }));
    await time("engine up, no refresh", () => test.stack.up({ onOutput: () => {} }));
    process.env.PULUMI_SKIP_CHECKPOINTS = "true";
    await time("engine up, no refresh, PULUMI_SKIP_CHECKPOINTS=true (unsafe: no crash guarantee)", () =>
      test.stack.up({ onOutput: () => {} }),
    );
    delete process.env.PULUMI_SKIP_CHECKPOINTS;
    await time("whole pledge up (CLI)", () => {
      const result = runPledge(test, "up");
      if (result.status !== 0) throw new Error(result.stderr);
    });
  }
  const objects = resources.filter((r) => r.type.startsWith("kubernetes:")).length;
  const stateBytes = JSON.stringify(resources).length;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! / 1000;
  console.log(
    `no-change update of ${requests} requests (${objects} Kubernetes objects, ${(stateBytes / 1e6).toFixed(2)} MB of resources in the state), ${runs} runs each:`,
  );
  for (const [part, xs] of times) console.log(`  ${part}: median ${median(xs).toFixed(2)} s`);
  await test.stack.destroy({ onOutput: () => {} });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
