// Program construction under Pulumi mocks at scale:
//   node --import tsx bench/program-mocks.bench.ts [clusters] [promises] [requests]
// Times config parsing + placement + render plan + registration of every
// resource with the (mock) engine, and reports peak RSS of the process.
import * as pulumi from "@pulumi/pulumi";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { definePromise, type PledgePromise } from "../src/promise/define";
import { pledgeProgram } from "../src/program";
import { previousStateOf } from "../src/outputs";
import { prng } from "./synthetic-fleet";

const clusterCount = Number(process.argv[2] ?? 50);
const promiseCount = Number(process.argv[3] ?? 20);
const requestCount = Number(process.argv[4] ?? 1000);

const workloads = ["general", "data", "edge", "gpu"];
const catalogue: PledgePromise<any>[] = Array.from({ length: promiseCount }, (_, i) =>
  definePromise({
    name: `svc${i}`,
    version: "1.0.0",
    description: "synthetic",
    schema: z.object({ size: z.enum(["s", "m", "l"]).default("s") }).strict(),
    destinationSelectors:
      i % 4 === 0 ? [] : [{ matchExpressions: [{ key: "workload", operator: "In", values: [workloads[i % 4]!, "general"] }] }],
    dependencies: () => [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: `svc${i}-system` } },
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "defaults", namespace: `svc${i}-system` },
        data: { promise: `svc${i}` },
      },
    ],
    render: (request) => [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `${request.name}-config`, namespace: request.namespace },
        data: { size: request.spec.size },
      },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: request.name, namespace: request.namespace },
        spec: { replicas: 1 },
      },
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: request.name, namespace: request.namespace },
        spec: { ports: [{ port: 80 }] },
      },
    ],
  }),
);

const random = prng(7);
const regions = ["eu", "us", "ap"];
const kubeconfig = (name: string) =>
  `apiVersion: v1\nkind: Config\nclusters: [{name: ${name}, cluster: {server: "https://${name}.invalid"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: ${name}, context: {cluster: ${name}, user: u}}]\ncurrent-context: ${name}\n`;
const clusters = Array.from({ length: clusterCount }, (_, i) => ({
  name: `c${i}`,
  source: "kubeconfig",
  kubeconfig: kubeconfig(`c${i}`),
  labels: { region: regions[i % 3]!, zone: `z${i % 6}`, workload: workloads[i % 4]! },
}));
const requests = Array.from({ length: requestCount }, (_, i) => ({
  promise: `svc${i % promiseCount}`,
  name: `r${i}`,
  team: `team${i % 25}`,
  spec: { size: ["s", "m", "l"][Math.floor(random() * 3)] },
  ...(random() < 0.5 ? { selector: { matchLabels: { region: regions[i % 3]! } } } : {}),
}));

async function main(): Promise<void> {
  // tsx turns on source-mapped stack traces; the SDK captures a stack per resource,
  // which a compiled program does not pay for. Measure the program, not the loader.
  process.setSourceMapsEnabled(false);
  let registered = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered++;
        return { id: `${args.name}-id`, state: {} };
      },
      call: (args) => {
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "pledge",
    "bench",
    false,
  );
  pulumi.runtime.setAllConfig({
    "pledge:secretSeed": "bench-seed",
    "pledge:clusters": JSON.stringify(clusters),
    "pledge:promises": JSON.stringify(Object.fromEntries(catalogue.map((p) => [p.name, {}]))),
    "pledge:requests": JSON.stringify(requests),
  });
  const start = performance.now();
  const outputs = await pledgeProgram({
    catalogue,
    projectDir: process.cwd(),
    previousState: async () => previousStateOf({}),
  });
  const programMs = performance.now() - start;
  let count = -1;
  while (count !== registered) {
    count = registered;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const totalMs = performance.now() - start - 50;
  const unplaced = (outputs.unplaced as string[]).length;
  console.log(
    `program under mocks: ${clusterCount} clusters x ${promiseCount} promises x ${requestCount} requests -> ${registered} resources (${unplaced} unplaced); ` +
      `program ${programMs.toFixed(0)} ms, all registered ${totalMs.toFixed(0)} ms, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
