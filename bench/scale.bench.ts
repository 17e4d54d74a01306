// Updates at scale, side by side on one test fleet, in one run:
//   1. `pledge up` of N redis requests into one stack, from empty;
//   2. the same objects (read back from that stack's state, moved to their own
//      namespaces) through `kubectl apply --server-side`, one kubectl per
//      cluster in parallel, then `kubectl wait` for every Deployment;
//   3. with shards > 0: `pledge up --all` of the same requests split into that
//      many shards (clusters dealt round-robin), `parallel` at once;
//   4. a no-change `pledge up` of the one stack.
// Steps 1, 2 and 4 are repeated `runs` times (a new stack and team each time),
// alternated, and their medians and the median of the per-run ratios printed.
// Wall time and the peak resident memory of each run's whole process tree.
//   node tools/run.mjs bench bench/scale.bench.ts [clusters=3] [requests=100] [shards=0] [parallel=2] [runs=1]
// Leaves the test fleet running (npm run fleet:down -- --purge --dir .pledge/test-fleet).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { clusterOfProvider, plainValue, type StateResource } from "../src/cli/stack/state-objects";
import { fleetKubeconfigFile } from "../dev/local/fleet";
import {
  ensureTestFleet,
  testFleetDir,
  newPledgeStack,
  pledgeCliArgs,
  pledgeCliEnv,
  setPledgeConfig,
  type TestStack,
} from "../test/e2e/harness";
import { runMeasured, type TreeRun } from "./process-tree";

const argument = (index: number, fallback: number) => Number(process.argv[2 + index] ?? fallback);
const clusterCount = argument(0, 3);
const requestCount = argument(1, 100);
const shardCount = argument(2, 0);
const parallel = argument(3, 2);
const runs = argument(4, 1);

function config(clusters: string[], team: string, shards: number) {
  return {
    clusters: clusters.map((name, i) => ({ name, source: "local", labels: { shard: `s${i % Math.max(1, shards)}` } })),
    promises: { redis: {} },
    requests: Array.from({ length: requestCount }, (_, i) => ({ promise: "redis", name: `r${i}`, team })),
    ...(shards > 0
      ? { shards: Array.from({ length: shards }, (_, s) => ({ name: `s${s}`, clusters: { matchLabels: { shard: `s${s}` } } })) }
      : {}),
  };
}

async function pledgeRun(test: TestStack, ...args: string[]): Promise<TreeRun> {
  const run = await runMeasured(process.execPath, pledgeCliArgs(test, args), pledgeCliEnv(test));
  if (run.status !== 0) throw new Error(`pledge ${args.join(" ")} failed:\n${run.stderr}`);
  return run;
}

/** Every Kubernetes object of the stack, as the program gave it (secrets decrypted), by cluster. */
async function objectsByCluster(test: TestStack): Promise<Map<string, Record<string, any>[]>> {
  const resources = (await test.stack.exportStack()).deployment.resources as StateResource[];
  const byCluster = new Map<string, Record<string, any>[]>();
  for (const r of resources) {
    const cluster = clusterOfProvider((r as { provider?: string }).provider);
    if (!cluster || !r.type.startsWith("kubernetes:")) continue;
    const manifest = Object.fromEntries(Object.entries(r.inputs ?? {}).map(([k, v]) => [k, plainValue(v)]));
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), manifest]);
  }
  return byCluster;
}

/** The same objects in namespace `to` instead of `from`, so they sit beside Pledge's. */
function moved(manifest: Record<string, any>, from: string, to: string): Record<string, any> {
  const metadata = { ...manifest.metadata };
  if (manifest.kind === "Namespace" && metadata.name === from) metadata.name = to;
  if (metadata.namespace === from) metadata.namespace = to;
  delete metadata.annotations?.["pulumi.com/patchForce"];
  return { ...manifest, metadata };
}

async function kubectlRun(byCluster: Map<string, Record<string, any>[]>, from: string, to: string): Promise<TreeRun> {
  const dir = mkdtempSync(join(tmpdir(), "pledge-kubectl-"));
  const script: string[] = ["set -e", "pids=()"];
  for (const [cluster, objects] of byCluster) {
    const file = join(dir, `${cluster}.json`);
    // Namespaces first, as kubectl applies a list in order.
    const ordered = [...objects].sort((a, b) => Number(b.kind === "Namespace") - Number(a.kind === "Namespace"));
    writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items: ordered.map((o) => moved(o, from, to)) }));
    const kube = `--kubeconfig=${fleetKubeconfigFile(testFleetDir(), cluster)}`;
    script.push(
      `( kubectl ${kube} apply --server-side --force-conflicts -f ${file} >/dev/null && ` +
        `kubectl ${kube} wait --for=condition=Available deployment --all -n ${to} --timeout=900s >/dev/null ) &`,
      "pids+=($!)",
    );
  }
  // Each cluster's kubectl must succeed: a failed apply fails the benchmark.
  script.push('for pid in "${pids[@]}"; do wait "$pid"; done');
  const file = join(dir, "apply.sh");
  writeFileSync(file, `${script.join("\n")}\n`);
  const run = await runMeasured("bash", [file], process.env);
  if (run.status !== 0) throw new Error(`kubectl failed:\n${run.stderr}`);
  return run;
}

const line = (what: string, r: TreeRun) =>
  `  ${what.padEnd(34)} ${r.seconds.toFixed(1).padStart(7)} s   peak tree ${r.peakTreeMiB.toFixed(0).padStart(5)} MiB` +
  (r.providers > 0 ? `, ${r.providers} providers, largest ${r.peakProviderMiB.toFixed(0)} MiB` : "") +
  `\n  ${"".padEnd(34)} at the peak: ${r.peakBreakdown}`;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: readonly number[], digits = 1) =>
  `median ${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}, ${xs.length} runs)`;

interface Round {
  team: string;
  stack: TestStack;
  create: TreeRun;
  kubectl: TreeRun;
  noChange: TreeRun;
  objects: number;
}

/** One pair side by side on a new stack and team, then that stack's no-change update. */
async function round(clusters: string[], n: number): Promise<Round> {
  const team = `scale${Date.now() % 100000}r${n}`;
  const stack = await newPledgeStack();
  await setPledgeConfig(stack.stack, config(clusters, team, 0));
  const create = await pledgeRun(stack, "up");
  const byCluster = await objectsByCluster(stack);
  const objects = [...byCluster.values()].reduce((count, o) => count + o.length, 0);
  const kubectl = await kubectlRun(byCluster, team, `kc-${team}`);
  const noChange = await pledgeRun(stack, "up");
  const r = { team, stack, create, kubectl, noChange, objects };
  console.log(
    `  run ${n + 1}: pledge ${create.seconds.toFixed(1)} s, kubectl ${kubectl.seconds.toFixed(1)} s, ratio ${(create.seconds / kubectl.seconds).toFixed(2)}, no change ${noChange.seconds.toFixed(1)} s`,
  );
  return r;
}

async function main(): Promise<void> {
  const started = performance.now();
  const clusters = await ensureTestFleet(clusterCount);
  const rounds: Round[] = [];
  for (let n = 0; n < runs; n++) rounds.push(await round(clusters, n));
  const { team, create, kubectl, noChange, objects } = rounds[Math.floor(rounds.length / 2)]!;
  let sharded: TreeRun | undefined;
  let shardedTest: TestStack | undefined;
  if (shardCount > 0) {
    shardedTest = await newPledgeStack();
    await setPledgeConfig(shardedTest.stack, config(clusters, `sh-${team}`, shardCount));
    sharded = await pledgeRun(shardedTest, "up", "--all", "--parallel-shards", String(parallel));
  }
  console.log(
    `${requestCount} redis requests, ${objects} Kubernetes objects on ${clusterCount} local clusters (${new Date().toISOString().slice(0, 10)}):`,
  );
  if (runs > 1) {
    console.log(`  pledge up from empty: ${spread(rounds.map((r) => r.create.seconds))} s`);
    console.log(`  kubectl apply + wait: ${spread(rounds.map((r) => r.kubectl.seconds))} s`);
    console.log(
      `  ratio, run by run:    ${spread(
        rounds.map((r) => r.create.seconds / r.kubectl.seconds),
        2,
      )}`,
    );
    console.log(`  no-change pledge up:  ${spread(rounds.map((r) => r.noChange.seconds))} s`);
    console.log("  the middle run in detail:");
  }
  console.log(line("pledge up, one stack, from empty", create));
  console.log(line("kubectl apply --server-side + wait", kubectl));
  console.log(`  ratio pledge / kubectl: ${(create.seconds / kubectl.seconds).toFixed(2)}`);
  if (sharded) {
    console.log(line(`pledge up --all, ${shardCount} shards x${parallel}`, sharded));
    console.log(`  ratio sharded / kubectl: ${(sharded.seconds / kubectl.seconds).toFixed(2)}`);
  }
  console.log(line("pledge up, one stack, no change", noChange));
  console.log(`  memory per cluster (one stack): ${(create.peakTreeMiB / clusterCount).toFixed(0)} MiB of the tree's peak`);
  console.log(`  (whole benchmark ${((performance.now() - started) / 60000).toFixed(1)} min)`);
  // The kubectl copies go with their namespaces; the stacks are dropped without waiting for each object.
  const namespaces = [...rounds.flatMap((r) => [r.team, `kc-${r.team}`]), ...(shardedTest ? [`sh-${team}`] : [])];
  for (const namespace of namespaces)
    for (const cluster of clusters)
      spawnSync("kubectl", [
        `--kubeconfig=${fleetKubeconfigFile(testFleetDir(), cluster)}`,
        "delete",
        "namespace",
        namespace,
        "--wait=false",
      ]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
