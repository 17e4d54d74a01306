// The objects a stack applied, read live from their clusters with the
// credentials the stack applied them with, and whether each is ready
// (readiness.ts): what `pledge status` shows a team. Nothing is written.
import type { KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import type { AppliedObject } from "../stack/state-objects";
import { objectClient } from "./kube-client";
import { readinessOf } from "./readiness";
import { unreachableReason } from "./reachability";

export interface ObjectStatus {
  kind: string;
  namespace?: string;
  name: string;
  ready: boolean;
  /** "3/3 replicas available", "missing (deleted outside Pledge)", "cluster unreachable: connection refused". */
  detail: string;
}

/** Reads every object live from its cluster, one client per cluster; an unreachable cluster marks its objects. */
export async function readLive(
  objects: AppliedObject[],
  kubeconfigs: Map<string, { kubeconfig: string; context?: string }>,
  unreachable: Map<string, string>,
): Promise<Map<string, ObjectStatus>> {
  const clients = new Map<string, KubernetesObjectApi>();
  const clientOf = (cluster: string): KubernetesObjectApi | undefined => {
    if (clients.has(cluster)) return clients.get(cluster);
    const access = kubeconfigs.get(cluster);
    if (!access) return undefined;
    const client = objectClient(access.kubeconfig, access.context);
    clients.set(cluster, client);
    return client;
  };
  const statuses = await Promise.all(
    objects.map(async (o): Promise<[string, ObjectStatus]> => {
      const base = { kind: o.kind, ...(o.namespace ? { namespace: o.namespace } : {}), name: o.name };
      const down = unreachable.get(o.cluster);
      if (down) return [o.urn, { ...base, ready: false, detail: `cluster unreachable: ${down}` }];
      const client = clientOf(o.cluster);
      if (!client) return [o.urn, { ...base, ready: false, detail: "no credentials for its cluster in the state" }];
      try {
        const live = await client.read<KubernetesObject>({
          apiVersion: o.apiVersion,
          kind: o.kind,
          metadata: { name: o.name, ...(o.namespace ? { namespace: o.namespace } : {}) },
        });
        return [o.urn, { ...base, ...readinessOf(live as Parameters<typeof readinessOf>[0]) }];
      } catch (err) {
        const code = Number((err as { code?: unknown }).code);
        if (code === 404)
          return [o.urn, { ...base, ready: false, detail: "missing (deleted outside Pledge; pledge up puts it back)" }];
        return [o.urn, { ...base, ready: false, detail: `cannot be read: ${unreachableReason(err)}` }];
      }
    }),
  );
  return new Map(statuses);
}
