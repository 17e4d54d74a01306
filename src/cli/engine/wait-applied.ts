// `pledge up --wait-applied <seconds>`: after the commit, wait (bounded) until
// Flux on each Git-delivered cluster that can be read reports the new commit
// applied and Ready. Each cluster's GitRepository is nudged first
// (reconcile.fluxcd.io/requestedAt), so Flux fetches now instead of at its
// next interval. A cluster that cannot be read is named, not waited for.
import type { StackOutputs } from "../../outputs";
import { objectClient } from "../clusters/kube-client";
import { appliedEverywhere, describeKustomizations, readKustomizations } from "../clusters/flux-status";
import { fluxNamespace, gitRepositoryName } from "../../gitops/bootstrap";

export interface AppliedWait {
  applied: string[];
  /** Cluster -> what Flux last said (not applied within the time). */
  pending: Map<string, string>;
  /** Clusters with no kubeconfig to read them by: Git-only. */
  unobserved: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function nudge(kubeconfig: string, context: string | undefined, store: string): Promise<void> {
  const client = objectClient(kubeconfig, context);
  await client
    .patch(
      {
        apiVersion: "source.toolkit.fluxcd.io/v1",
        kind: "GitRepository",
        metadata: {
          name: `pledge-${store}`,
          namespace: fluxNamespace,
          annotations: { "reconcile.fluxcd.io/requestedAt": new Date().toISOString() },
        },
      },
      undefined,
      undefined,
      undefined,
      undefined,
      "application/merge-patch+json",
    )
    .catch(() => undefined); // Only a nudge: Flux fetches at its interval anyway.
}

export async function waitUntilApplied(
  gitops: NonNullable<StackOutputs["gitops"]>,
  kubeconfigs: ReadonlyMap<string, { kubeconfig: string; context?: string }>,
  seconds: number,
): Promise<AppliedWait> {
  const result: AppliedWait = { applied: [], pending: new Map(), unobserved: [] };
  const watched = Object.entries(gitops).filter(([cluster]) => {
    if (kubeconfigs.has(cluster)) return true;
    result.unobserved.push(cluster);
    return false;
  });
  await Promise.all(
    watched.map(([cluster, g]) => nudge(kubeconfigs.get(cluster)!.kubeconfig, kubeconfigs.get(cluster)!.context, g.store)),
  );
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    watched.map(async ([cluster, g]) => {
      const access = kubeconfigs.get(cluster)!;
      for (;;) {
        const states = await readKustomizations(access.kubeconfig, access.context);
        if (appliedEverywhere(states, g.commit)) {
          result.applied.push(cluster);
          return;
        }
        if (Date.now() >= deadline) {
          result.pending.set(cluster, describeKustomizations(states));
          return;
        }
        await sleep(1_000);
      }
    }),
  );
  result.applied.sort();
  return result;
}
