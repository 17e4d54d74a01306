// The stack the update benchmarks measure: `requests` redis requests of one
// team over two test-fleet clusters, deployed once with `pledge up`.
import { ensureTestFleet, newPledgeStack, runPledge, setPledgeConfig, type TestStack } from "../test/e2e/harness";

export async function deployedRedisStack(requests: number): Promise<TestStack> {
  const clusters = await ensureTestFleet(2);
  const test = await newPledgeStack();
  await setPledgeConfig(test.stack, {
    clusters: clusters.map((name) => ({ name, source: "local", labels: {} })),
    promises: { redis: {} },
    requests: Array.from({ length: requests }, (_, i) => ({ promise: "redis", name: `r${i}`, team: "bench" })),
  });
  const first = runPledge(test, "up");
  if (first.status !== 0) throw new Error(first.stderr);
  return test;
}
