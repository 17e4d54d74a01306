// Whether a live Kubernetes object is ready, in words a team reads: the rules
// kubectl rollout status and Pulumi's await logic use, for the kinds promises
// create, and the Ready condition for anything else that reports one. Pure.

export interface Readiness {
  ready: boolean;
  /** Why not (or, when ready, what was checked), e.g. "0/1000 replicas available". */
  detail: string;
}

interface LiveObject {
  kind?: string;
  metadata?: { generation?: number; deletionTimestamp?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

const num = (value: unknown, fallback = 0) => (typeof value === "number" ? value : fallback);
const conditionsOf = (status: Record<string, unknown> | undefined): Condition[] =>
  Array.isArray(status?.conditions) ? (status.conditions as Condition[]) : [];

const notSeen: Readiness = { ready: false, detail: "its controller has not seen the latest change yet" };
const unseen = (o: LiveObject) =>
  o.metadata?.generation !== undefined && num(o.status?.observedGeneration, -1) < o.metadata.generation;

/** Replicas wanted versus available, and a rollout that the controller has seen. */
function replicasReady(o: LiveObject, availableField: string, label: string): Readiness {
  const wanted = num(o.spec?.replicas, 1);
  if (unseen(o)) return notSeen;
  const available = num(o.status?.[availableField]);
  // The API leaves out fields that are 0, as kubectl rollout status reads them.
  const updated = num(o.status?.updatedReplicas);
  // As kubectl rollout status: while old replicas remain beside the updated ones (a new pod that never becomes
  // ready, say), the available ones are the old version's, and the rollout is not done.
  const old = Math.max(0, num(o.status?.replicas, updated) - updated);
  const ready = available >= wanted && updated >= wanted && old === 0;
  const failing = conditionsOf(o.status).find((c) => c.status === "False" && c.message);
  return {
    ready,
    detail: `${available}/${wanted} replicas ${label}${old > 0 ? `, ${old} of the previous version still running` : ""}${!ready && failing ? ` (${failing.message})` : ""}`,
  };
}

export function readinessOf(o: LiveObject): Readiness {
  if (o.metadata?.deletionTimestamp) return { ready: false, detail: "being deleted" };
  switch (o.kind) {
    case "Deployment":
      return replicasReady(o, "availableReplicas", "available");
    case "StatefulSet":
      return replicasReady(o, "readyReplicas", "ready");
    case "DaemonSet": {
      // As kubectl rollout status: the controller saw the change, every pod is updated and ready.
      if (unseen(o)) return notSeen;
      const wanted = num(o.status?.desiredNumberScheduled);
      const updated = num(o.status?.updatedNumberScheduled);
      const ready = num(o.status?.numberReady);
      return {
        ready: ready >= wanted && updated >= wanted,
        detail: `${ready}/${wanted} pods ready${updated < wanted ? `, ${updated} updated` : ""}`,
      };
    }
    case "Job": {
      const done = conditionsOf(o.status).find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
      if (done?.type === "Failed") return { ready: false, detail: `failed: ${done.message ?? done.reason ?? ""}`.trim() };
      return { ready: done !== undefined, detail: done ? "complete" : "running" };
    }
    case "PersistentVolumeClaim": {
      const phase = String(o.status?.phase ?? "Pending");
      return { ready: phase === "Bound", detail: phase.toLowerCase() };
    }
    case "Pod": {
      const ready = conditionsOf(o.status).some((c) => c.type === "Ready" && c.status === "True");
      return { ready, detail: ready ? "ready" : String(o.status?.phase ?? "pending").toLowerCase() };
    }
    default: {
      // Custom resources and others that report a Ready condition are judged by it; the rest exist, which is all they do.
      const condition = conditionsOf(o.status).find((c) => c.type === "Ready");
      if (!condition) return { ready: true, detail: "exists" };
      const ready = condition.status === "True";
      return { ready, detail: ready ? "ready" : `not ready: ${condition.message ?? condition.reason ?? "no reason given"}` };
    }
  }
}
