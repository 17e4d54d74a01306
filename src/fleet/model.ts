// The fleet model: each configured cluster with the labels and taints Pledge
// derives from its config (cloud, region, zones, version, GPUs, pools) merged
// with the user's, and the identity its provider gets. Problems only the
// derived labels show (a user label clashing with one, a cloud field that makes
// an invalid label) are found here. Pure.
import type { ClusterEntry } from "../config/parse";
import { keyPath, type Issue } from "../issues";
import { validateLabelKey, validateLabelValue, type Labels } from "../labels/labels";
import { checkCloudCluster } from "./cloud-checks";
import {
  clusterTaints,
  derivedClusterLabels,
  derivedLabelProblems,
  derivedPrefix,
  isReservedLabelKey,
  userLabelCollisions,
} from "./derived";

/** A configured cluster whose labels and taints include the derived ones (GPU pools add their taint). */
export type ClusterModel = ClusterEntry & {
  /** User labels plus derived ones. */
  labels: Labels;
  clusterIdentifier: string;
};

function checkLabels(path: string, labels: Record<string, string>, issues: Issue[]): void {
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = validateLabelKey(key);
    if (keyProblem) issues.push({ path: keyPath(path, [key]), message: keyProblem });
    const valueProblem = validateLabelValue(value);
    if (valueProblem) issues.push({ path: keyPath(path, [key]), message: valueProblem });
    if (key.startsWith(derivedPrefix)) {
      issues.push({
        path: keyPath(path, [key]),
        message: `labels under ${derivedPrefix} are set by Pledge`,
        hint: "use another prefix",
      });
    }
  }
}

/** Every cluster's model, with the problems of its labels and cloud settings. */
export function buildFleet(entries: readonly ClusterEntry[]): { clusters: ClusterModel[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const clusters = entries.map((cluster): ClusterModel => {
    const path = cluster.configPath;
    const before = issues.length;
    if (cluster.source === "eks" || cluster.source === "aks" || cluster.source === "gke")
      checkCloudCluster(cluster, path, issues);
    const cloudFieldsOk = issues.length === before;
    const derived = derivedClusterLabels(cluster);
    const derivedKeys = new Set(derived.map((d) => d.key));
    checkLabels(
      `${path}.labels`,
      Object.fromEntries(Object.entries(cluster.labels).filter(([key]) => !isReservedLabelKey(key) && !derivedKeys.has(key))),
      issues,
    );
    issues.push(...userLabelCollisions(path, cluster.labels, derived));
    // A field that failed its own check above would only be reported again.
    if (cloudFieldsOk) issues.push(...derivedLabelProblems(path, derived));
    return {
      ...cluster,
      labels: { ...cluster.labels, ...Object.fromEntries(derived.map((l) => [l.key, l.value])) },
      taints: clusterTaints(cluster),
      clusterIdentifier: cluster.clusterIdentifier ?? cluster.name,
    };
  });
  return { clusters, issues };
}
