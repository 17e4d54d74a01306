// Local fleet start-up and footprint: `node tools/run.mjs bench bench/fleet.bench.ts [clusters]`.
// Starts a fresh fleet in a temporary directory, reports the time to all-ready
// and each cluster's resident memory (etcd + apiserver + controller-manager +
// scheduler + kwok), then stops it by pid and deletes it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fleetDown, fleetUp, readFleet } from "../dev/local/fleet";
import { fleetStatus } from "../dev/local/fleet-status";
import { clusterComponents } from "../dev/local/cluster";
import { residentKiB } from "../dev/local/processes";

async function main(): Promise<void> {
  const clusters = Number(process.argv[2] ?? 3);
  const dir = mkdtempSync(join(tmpdir(), "pledge-fleet-bench-"));
  try {
    const start = performance.now();
    await fleetUp(dir, { clusters });
    const upMs = performance.now() - start;
    // Settle: memory right after start-up is lower than in steady state.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const status = await fleetStatus(dir);
    const again = performance.now();
    await fleetUp(dir, { clusters });
    const reuseMs = performance.now() - again;
    console.log(`fleet: ${clusters} clusters ready in ${(upMs / 1000).toFixed(1)} s; second up (reuse) ${reuseMs.toFixed(0)} ms`);
    for (const record of readFleet(dir).clusters) {
      const parts = clusterComponents.map((c) => `${c} ${Math.round((residentKiB(record.pids[c]) ?? 0) / 1024)}`).join(", ");
      console.log(
        `  ${record.name}: ${status.clusters.find((s) => s.name === record.name)?.residentMiB} MiB resident (${parts} MiB)`,
      );
    }
  } finally {
    await fleetDown(dir, { purge: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
