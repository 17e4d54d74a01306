// Staged rollouts (pledge:rollout), side by side on one test fleet, in one run:
//   1. a chart version bump of a per-cluster dependency applied by `pledge up`
//      without waves (every cluster at once);
//   2. the same kind of bump with three waves, one cluster each (gate:
//      ready at once), until the last wave is done;
//   3. the extra state read a staged update makes: `pulumi stack export
//      --show-secrets` of the stack, timed alone, and its size.
// The stack also holds `requests` redis requests, so the state is not trivial.
// Steps 1 and 2 alternate `runs` times on the same stack; medians and the
// median of the per-run ratios are printed. Wall time and peak memory of each
// run's whole process tree.
//   node tools/run.mjs bench bench/rollout.bench.ts [requests=30] [runs=3]
// Leaves the test fleet running (npm run fleet:down -- --purge --dir .pledge/test-fleet).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  ensureTestFleet,
  newPledgeStack,
  pledgeCliArgs,
  pledgeCliEnv,
  setPledgeConfig,
  type TestStack,
} from "../test/e2e/harness";
import { writeAgentChart } from "../test/e2e/fixtures/promises";
import { runMeasured, type TreeRun } from "./process-tree";

const requestCount = Number(process.argv[2] ?? 30);
const runs = Number(process.argv[3] ?? 3);
const work = mkdtempSync(join(tmpdir(), "pledge-rollout-bench-"));
const settingsFile = join(work, "agent.json");

const bump = (version: string) =>
  writeFileSync(settingsFile, JSON.stringify({ chart: writeAgentChart(work, version), probe: "1" }));

async function pledgeUp(test: TestStack): Promise<TreeRun> {
  const run = await runMeasured(process.execPath, pledgeCliArgs(test, ["up"]), pledgeCliEnv(test));
  if (run.status !== 0) throw new Error(`pledge up failed:\n${run.stderr}`);
  return run;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function main(): Promise<void> {
  const started = performance.now();
  const clusters = await ensureTestFleet(3);
  process.env.PLEDGE_TEST_AGENT = settingsFile;
  const test = await newPledgeStack({ PLEDGE_TEST_AGENT: settingsFile });
  const team = `rollout${Date.now() % 100000}`;
  await setPledgeConfig(test.stack, {
    clusters: clusters.map((name, i) => ({ name, source: "local", labels: { wave: `w${i}` } })),
    promises: { agent: {}, redis: {} },
    requests: Array.from({ length: requestCount }, (_, i) => ({ promise: "redis", name: `r${i}`, team })),
  });
  const waves = {
    waves: clusters.map((_, i) => ({ name: `w${i}`, clusters: { matchLabels: { wave: `w${i}` } } })),
    gate: { healthyFor: "0s" },
  };
  bump("1.0.0");
  await pledgeUp(test);

  const direct: TreeRun[] = [];
  const staged: TreeRun[] = [];
  for (let run = 0; run < runs; run++) {
    await test.stack.removeConfig("pledge:rollout").catch(() => {});
    bump(`1.${run * 2 + 1}.0`);
    direct.push(await pledgeUp(test));
    await test.stack.setConfig("pledge:rollout", { value: JSON.stringify(waves) });
    bump(`1.${run * 2 + 2}.0`);
    staged.push(await pledgeUp(test));
    console.log(
      `  run ${run + 1}: no waves ${direct[run]!.seconds.toFixed(1)} s, 3 waves ${staged[run]!.seconds.toFixed(1)} s, ratio ${(staged[run]!.seconds / direct[run]!.seconds).toFixed(2)}`,
    );
  }

  const reads: number[] = [];
  let size = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const state = await test.stack.exportStack();
    reads.push((performance.now() - t) / 1000);
    size = JSON.stringify(state).length;
  }
  const resources = (await test.stack.exportStack()).deployment.resources.length;

  console.log(`\nrollout bench: 3 clusters, ${requestCount} redis requests + a per-cluster chart, ${runs} runs`);
  console.log(
    `  pledge up, chart bump, no waves:       median ${median(direct.map((r) => r.seconds)).toFixed(1)} s (peak tree ${median(direct.map((r) => r.peakTreeMiB)).toFixed(0)} MiB)`,
  );
  console.log(
    `  pledge up, chart bump, 3 waves:        median ${median(staged.map((r) => r.seconds)).toFixed(1)} s (peak tree ${median(staged.map((r) => r.peakTreeMiB)).toFixed(0)} MiB)`,
  );
  console.log(
    `  ratio 3 waves / no waves:              median ${median(staged.map((r, i) => r.seconds / direct[i]!.seconds)).toFixed(2)}`,
  );
  console.log(
    `  state read (stack export --show-secrets): median ${median(reads).toFixed(2)} s, ${(size / 1024).toFixed(0)} KiB, ${resources} resources`,
  );
  console.log(`  total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  await test.stack.destroy({ onOutput: () => {} }).catch(() => {});
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
