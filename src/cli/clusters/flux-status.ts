// What Flux on a Git-delivered cluster says it applied: the two
// Kustomizations `pledge bootstrap` creates, their last applied revision
// ("main@sha1:<commit>") and Ready condition. Read only where the cluster can
// be read; otherwise status says what was committed and that it was not observed.
import type { KubernetesObject } from "@kubernetes/client-node";
import { objectClient } from "./kube-client";
import { dependenciesKustomization, fluxNamespace, resourcesKustomization } from "../../gitops/bootstrap";
import { unreachableReason } from "./reachability";

export const pledgeKustomizations = [dependenciesKustomization, resourcesKustomization] as const;

export interface KustomizationState {
  name: string;
  /** The commit it last applied, from `main@sha1:<commit>`. */
  appliedCommit?: string;
  ready: boolean;
  /**
   * Ready is Unknown while Flux reconciles again (every interval): what it
   * applied last still stands, so that is not a failure.
   */
  reconciling: boolean;
  /** The Ready condition's message, or why it could not be read. */
  message: string;
}

interface KustomizationObject extends KubernetesObject {
  status?: { lastAppliedRevision?: string; conditions?: { type: string; status: string; message?: string }[] };
}

/** Both Kustomizations of one cluster; an unreadable one says why. */
export async function readKustomizations(kubeconfig: string, context?: string): Promise<KustomizationState[]> {
  const client = objectClient(kubeconfig, context);
  return Promise.all(
    pledgeKustomizations.map(async (name): Promise<KustomizationState> => {
      try {
        const live = (await client.read<KustomizationObject>({
          apiVersion: "kustomize.toolkit.fluxcd.io/v1",
          kind: "Kustomization",
          metadata: { name, namespace: fluxNamespace },
        })) as KustomizationObject;
        const ready = live.status?.conditions?.find((c) => c.type === "Ready");
        const revision = live.status?.lastAppliedRevision;
        return {
          name,
          ...(revision ? { appliedCommit: revision.replace(/^.*sha1:/, "") } : {}),
          ready: ready?.status === "True",
          reconciling: ready?.status === "Unknown",
          message: ready?.message ?? "no Ready condition yet",
        };
      } catch (err) {
        const code = Number((err as { code?: unknown }).code);
        return {
          name,
          ready: false,
          reconciling: false,
          message: code === 404 ? "missing: run pledge bootstrap for this cluster" : `cannot be read: ${unreachableReason(err)}`,
        };
      }
    }),
  );
}

/** True when every Kustomization applied `commit` and is Ready (or reconciling again after applying it). */
export function appliedEverywhere(states: readonly KustomizationState[], commit: string | undefined): boolean {
  return commit !== undefined && states.every((s) => (s.ready || s.reconciling) && s.appliedCommit === commit);
}

/** What Flux says, in one line: `pledge-dependencies: applied 1a2b3c4d5e6f, ready; pledge-resources: nothing applied, <why>`. */
export function describeKustomizations(states: readonly KustomizationState[]): string {
  return states
    .map(
      (s) =>
        `${s.name}: ${s.appliedCommit ? `applied ${s.appliedCommit.slice(0, 12)}` : "nothing applied"}, ${s.ready ? "ready" : s.message}`,
    )
    .join("; ");
}
