// The Git-delivered side of `pledge status`: per cluster, the commit the last
// update left in its store, what Flux on the cluster says it applied, and the
// objects its files hold, read live where the cluster can be read. Where it
// cannot, the answer is "committed at <sha>, not observed", never a guess.
import type { StackOutputs } from "../../outputs";
import { appliedEverywhere, describeKustomizations, readKustomizations } from "../clusters/flux-status";
import { gitopsKubeconfigs } from "../clusters/reachability";
import type { PledgeStack } from "../stack/pledge-stack";
import type { AppliedObject } from "../stack/state-objects";

/** A Git-delivered cluster in `pledge status`. */
export interface GitDeliveryStatus {
  store: string;
  commit?: string;
  /** False when the cluster cannot be read: nothing is claimed about it. */
  observed: boolean;
  /** Flux applied `commit` and reports Ready. */
  applied: boolean;
  detail: string;
}

const short = (commit: string | undefined) => commit?.slice(0, 12) ?? "(nothing yet)";

export async function gitDelivery(
  stack: PledgeStack,
  outputs: StackOutputs,
  requests: ReadonlySet<string>,
  projectDir: string,
): Promise<{
  objects: AppliedObject[];
  kubeconfigs: Map<string, { kubeconfig: string; context?: string }>;
  clusters: Map<string, GitDeliveryStatus>;
}> {
  const gitops = Object.entries(outputs.gitops ?? {});
  if (gitops.length === 0) return { objects: [], kubeconfigs: new Map(), clusters: new Map() };
  const kubeconfigs = await gitopsKubeconfigs(stack, projectDir);
  const objects = gitops.flatMap(([cluster, g]) =>
    g.objects
      .filter((o) => o.request !== undefined && requests.has(o.request))
      .map((o): AppliedObject => {
        return {
          urn: `gitops:${cluster}:${o.kind}/${o.namespace ?? ""}/${o.name}`,
          cluster,
          apiVersion: o.apiVersion,
          kind: o.kind,
          name: o.name,
          ...(o.namespace ? { namespace: o.namespace } : {}),
          owner: { kind: "request", request: o.request! },
        };
      }),
  );
  const clusters = new Map(
    await Promise.all(
      gitops.map(async ([cluster, g]): Promise<[string, GitDeliveryStatus]> => {
        const access = kubeconfigs.get(cluster);
        const base = { store: g.store, ...(g.commit ? { commit: g.commit } : {}) };
        if (!access)
          return [cluster, { ...base, observed: false, applied: false, detail: `committed at ${short(g.commit)}, not observed` }];
        const states = await readKustomizations(access.kubeconfig, access.context);
        const applied = appliedEverywhere(states, g.commit);
        const unreadable = states.every((s) => s.message.startsWith("cannot be read"));
        if (unreadable)
          return [
            cluster,
            {
              ...base,
              observed: false,
              applied: false,
              detail: `committed at ${short(g.commit)}, not observed (${states[0]!.message})`,
            },
          ];
        const detail = applied
          ? `Flux applied ${short(g.commit)}`
          : `committed ${short(g.commit)}; Flux: ${describeKustomizations(states)}`;
        return [cluster, { ...base, observed: true, applied, detail }];
      }),
    ),
  );
  return { objects, kubeconfigs, clusters };
}
