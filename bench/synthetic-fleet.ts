// Deterministic synthetic fleets for benchmarks: the same seed gives the same
// fleet, so runs on different days compare like with like.
import type { ClusterFacts, PromiseFacts, RequestFacts } from "../src/core/facts";

/** mulberry32: tiny, fast, good enough to spread labels around. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const regions = ["eu", "us", "ap", "sa", "af"];
const workloads = ["general", "data", "edge", "gpu"];
const envs = ["dev", "staging", "prod"];

export function syntheticFleet(clusterCount: number, promiseCount: number, requestCount: number, seed = 1) {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const clusters: ClusterFacts[] = Array.from({ length: clusterCount }, (_, i) => {
    const region = pick(regions);
    const workload = pick(workloads);
    return {
      name: `c${String(i).padStart(4, "0")}`,
      labels: { region, zone: `${region}-${1 + Math.floor(random() * 4)}`, workload, env: pick(envs) },
      taints: workload === "gpu" ? [{ key: "gpu", value: "true", effect: "NoSchedule" as const }] : [],
      capacity: 20 + Math.floor(random() * 40),
    };
  });
  const promises: PromiseFacts[] = Array.from({ length: promiseCount }, (_, i) => ({
    name: `p${i}`,
    selectors:
      i % 4 === 0
        ? []
        : [{ matchExpressions: [{ key: "workload", operator: "In" as const, values: [pick(workloads), pick(workloads)] }] }],
    tolerations: i % 5 === 0 ? [{ key: "gpu", operator: "Exists" as const }] : [],
    requires: i > 0 && i % 7 === 0 ? [`p${i - 1}`] : [],
    defaults: { count: 1 + (i % 3 === 0 ? 1 : 0), spreadBy: i % 3 === 0 ? "zone" : undefined },
  }));
  const requests: RequestFacts[] = Array.from({ length: requestCount }, (_, i) => ({
    promise: `p${i % promiseCount}`,
    name: `r${i}`,
    selector:
      random() < 0.6
        ? { matchLabels: { region: pick(regions) } }
        : random() < 0.5
          ? { matchExpressions: [{ key: "env", operator: "NotIn" as const, values: ["dev"] }] }
          : undefined,
  }));
  return { clusters, promises, requests };
}
