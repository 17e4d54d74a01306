// Git delivery on the local fleet: `node tools/run.mjs bench bench/gitops.bench.ts [commits]`.
// Starts a fresh 1-cluster fleet with the cluster Git-delivered, then pushes
// one ConfigMap change per commit and times commit-to-applied (the commit's
// value readable through the API server), and reports the resident memory of
// the Git server and of each Flux controller. Stopped by pid and deleted after.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { adminKubeConfig } from "../dev/local/cluster";
import { fleetDown, fleetUp, readFleet } from "../dev/local/fleet";
import { FleetRepoClone } from "../dev/local/fleet-repo";
import { fleetStatus } from "../dev/local/fleet-status";
import { fluxControllers } from "../dev/local/flux";
import { kubeRequest } from "../dev/local/kube-api";
import { residentKiB } from "../dev/local/processes";
import { waitFor } from "../dev/local/wait";

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${(median / 1000).toFixed(1)} s (${(sorted[0]! / 1000).toFixed(1)}–${(sorted.at(-1)! / 1000).toFixed(1)})`;
};

async function main(): Promise<void> {
  const commits = Number(process.argv[2] ?? 10);
  const dir = mkdtempSync(join(tmpdir(), "pledge-gitops-bench-"));
  const cloneDir = mkdtempSync(join(tmpdir(), "pledge-gitops-bench-clone-"));
  try {
    const start = performance.now();
    await fleetUp(dir, { clusters: 1, gitops: ["local-1"] });
    console.log(`fleet up with Git delivery: ${((performance.now() - start) / 1000).toFixed(1)} s`);
    const { git } = await fleetStatus(dir);
    const repo = await FleetRepoClone.clone(git!, cloneDir);
    const conn = adminKubeConfig(readFleet(dir).clusters[0]!);
    const path = "/api/v1/namespaces/default/configmaps/bench";
    const timings: number[] = [];
    for (let i = 1; i <= commits; i++) {
      repo.write(
        "clusters/local-1/resources/bench.yaml",
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench\n  namespace: default\ndata:\n  commit: "${i}"\n`,
      );
      const begin = performance.now();
      await repo.commitAndPush(`bench ${i}`);
      await waitFor(
        `commit ${i} applied`,
        async () => ((await kubeRequest(conn, "GET", path)).body?.data?.commit === String(i) ? true : undefined),
        120_000,
        100,
      );
      timings.push(performance.now() - begin);
      console.log(`  commit ${i}: ${((performance.now() - begin) / 1000).toFixed(1)} s`);
    }
    console.log(`commit to applied, ${commits} commits: ${summary(timings)}`);
    const fleet = readFleet(dir);
    const flux = fleet.clusters[0]!.gitops!.flux;
    const mib = (pid?: number) => Math.round((residentKiB(pid) ?? 0) / 1024);
    console.log(
      `resident memory: ${fluxControllers.map((c) => `${c} ${mib(flux.pids[c])} MiB`).join(", ")}, Git server ${mib(fleet.git?.pid)} MiB`,
    );
  } finally {
    await fleetDown(dir, { purge: true });
    for (const d of [dir, cloneDir]) rmSync(d, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
