// Cluster taints and promise tolerations, with the semantics of
// core/v1 Toleration.ToleratesTaint. NoSchedule keeps new work off a cluster
// (what runs there stays), NoExecute evicts, and PreferNoSchedule only makes
// the cluster a last choice.

export interface Taint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface Toleration {
  /** Empty or absent with operator Exists: tolerates every taint. */
  key?: string;
  /** Defaults to Equal. */
  operator?: "Equal" | "Exists";
  value?: string;
  /** Absent: tolerates every effect. */
  effect?: Taint["effect"];
}

export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? "Equal") {
    case "Equal":
      return (toleration.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    default:
      return false;
  }
}

function untolerated(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint[] {
  return taints.filter((taint) => !tolerations.some((toleration) => toleratesTaint(toleration, taint)));
}

/** The NoSchedule and NoExecute taints no toleration covers: each one keeps the promise off the cluster. */
export function untoleratedTaints(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint[] {
  return untolerated(taints, tolerations).filter((taint) => taint.effect !== "PreferNoSchedule");
}

/**
 * The untolerated NoSchedule taints alone: a cordon, which keeps new work off
 * the cluster but leaves what already runs there (only NoExecute evicts).
 */
export function untoleratedCordon(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint[] {
  return untolerated(taints, tolerations).filter((taint) => taint.effect === "NoSchedule");
}

/** The PreferNoSchedule taints no toleration covers: each one ranks the cluster lower, never excludes it. */
export function untoleratedPreferences(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint[] {
  return untolerated(taints, tolerations).filter((taint) => taint.effect === "PreferNoSchedule");
}

/** kubectl's taint syntax: `gpu=true:NoSchedule`, or `dedicated:NoExecute` without a value. */
export function formatTaint(taint: Taint): string {
  return taint.value ? `${taint.key}=${taint.value}:${taint.effect}` : `${taint.key}:${taint.effect}`;
}
