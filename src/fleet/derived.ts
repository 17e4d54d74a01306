// What Pledge knows about a cluster from its config alone, as labels and
// taints: cloud, region, zones, Kubernetes version, GPUs, architectures, node
// pools. Labels come from config, never from the cloud, so placement is
// decided (and shown in preview) before anything exists. Pure.
import { keyPath, type Issue } from "../issues";
import type { ClusterConfig } from "../config/schema";
import { validateLabelKey, validateLabelValue } from "../labels/labels";
import type { Taint } from "../labels/taints";
import { cloudOf, resolvePools, type ResolvedPool } from "./node-pools";

export const derivedPrefix = "pledge.dev/";
export const zoneLabelPrefix = "zone.pledge.dev/";
export const poolLabelPrefix = "pool.pledge.dev/";
export const regionLabel = "topology.kubernetes.io/region";

export interface DerivedLabel {
  key: string;
  value: string;
  /** The config field the value comes from, relative to the cluster (for messages). */
  from: string;
}

/** Keys users may never set: Pledge owns pledge.dev/ and its subdomains. */
export function isReservedLabelKey(key: string): boolean {
  const prefix = key.includes("/") ? key.slice(0, key.indexOf("/")) : "";
  return prefix === "pledge.dev" || prefix.endsWith(".pledge.dev");
}

/** Zone names as the clusters' own nodes spell them in topology.kubernetes.io/zone. */
export function clusterZones(cluster: ClusterConfig): string[] {
  switch (cluster.source) {
    case "eks":
      return cluster.zones ?? [];
    case "aks":
      return (cluster.zones ?? []).map((z) => `${cluster.region}-${z}`);
    case "gke":
      return cluster.zones ?? (cluster.location && cluster.location !== cluster.region ? [cluster.location] : []);
    default:
      return [];
  }
}

export function derivedClusterLabels(cluster: ClusterConfig): DerivedLabel[] {
  const labels: DerivedLabel[] = [
    { key: `${derivedPrefix}cluster`, value: cluster.name, from: "name" },
    { key: `${derivedPrefix}source`, value: cluster.source, from: "source" },
  ];
  switch (cluster.source) {
    case "local":
      labels.push({ key: `${derivedPrefix}cloud`, value: "local", from: "source" });
      return labels;
    case "kubeconfig":
      labels.push({ key: `${derivedPrefix}cloud`, value: cluster.cloud, from: "cloud" });
      return labels;
  }
  labels.push(
    { key: `${derivedPrefix}cloud`, value: cloudOf[cluster.source], from: "source" },
    { key: regionLabel, value: cluster.region, from: "region" },
    { key: `${derivedPrefix}kubernetes-version`, value: cluster.version, from: "version" },
  );
  for (const zone of clusterZones(cluster))
    labels.push({
      key: `${zoneLabelPrefix}${zone}`,
      value: "true",
      from: cluster.source === "gke" && !cluster.zones ? "location" : "zones",
    });
  const pools = resolvePools(cluster);
  if (pools.some((p) => p.gpu)) labels.push({ key: `${derivedPrefix}gpu`, value: "true", from: "nodePools" });
  for (const arch of [...new Set(pools.map((p) => p.arch))].sort())
    labels.push({ key: `${derivedPrefix}arch-${arch}`, value: "true", from: "nodePools" });
  pools.forEach((p, i) => labels.push({ key: `${poolLabelPrefix}${p.name}`, value: "true", from: `nodePools[${i}].name` }));
  return labels;
}

/**
 * User labels that would hide or contradict a derived one: any label under
 * Pledge's prefixes, and a different value for a derived key such as
 * topology.kubernetes.io/region. Each issue names both values and the fix.
 * (The same value for a non-reserved derived key is harmless and passes.)
 */
export function userLabelCollisions(
  clusterPath: string,
  labels: Record<string, string>,
  derived: readonly DerivedLabel[],
): Issue[] {
  const byKey = new Map(derived.map((d) => [d.key, d]));
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const mine = byKey.get(key);
    const path = keyPath(`${clusterPath}.labels`, [key]);
    if (isReservedLabelKey(key)) {
      issues.push(
        mine && mine.value !== value
          ? {
              path,
              message: `labels under ${derivedPrefix} are set by Pledge: ${JSON.stringify(value)} here, but Pledge derives ${JSON.stringify(mine.value)} from ${mine.from}`,
              hint: `remove the label; to change the value, change ${clusterPath}.${mine.from}`,
            }
          : {
              path,
              message: `labels under ${derivedPrefix} are set by Pledge`,
              hint: mine ? "remove it: Pledge sets it to this value already" : "use another prefix",
            },
      );
    } else if (mine && mine.value !== value) {
      issues.push({
        path,
        message: `${JSON.stringify(value)} conflicts with ${JSON.stringify(mine.value)}, which Pledge derives from ${mine.from}`,
        hint: `remove the label (Pledge sets it), or change ${clusterPath}.${mine.from}`,
      });
    }
  }
  return issues;
}

/** Derived labels that Kubernetes would refuse, reported at the config field they come from. */
export function derivedLabelProblems(clusterPath: string, derived: readonly DerivedLabel[]): Issue[] {
  return derived.flatMap((d) => {
    const problem = validateLabelKey(d.key) ?? validateLabelValue(d.value);
    return problem ? [{ path: `${clusterPath}.${d.from}`, message: `cannot become the label ${d.key}: ${problem}` }] : [];
  });
}

function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && (a.value ?? "") === (b.value ?? "") && a.effect === b.effect;
}

/**
 * Taints every node pool carries become cluster taints: a workload that does
 * not tolerate them has nowhere to run, so a promise that does not tolerate
 * them must not be placed there. A GPU-only cluster is thus tainted like its
 * GPU pools; one untainted pool keeps the cluster open to every promise.
 */
export function derivedClusterTaints(cluster: ClusterConfig): Taint[] {
  if (cluster.source === "local" || cluster.source === "kubeconfig") return [];
  const pools: ResolvedPool[] = resolvePools(cluster);
  const [first, ...rest] = pools.map((p) => [...p.taints, ...p.cloudTaints]);
  if (!first) return [];
  return first.filter((t) => rest.every((taints) => taints.some((u) => sameTaint(t, u))));
}

/** User taints plus derived ones, without duplicates. */
export function clusterTaints(cluster: ClusterConfig): Taint[] {
  const taints = [...cluster.taints];
  for (const t of derivedClusterTaints(cluster)) if (!taints.some((u) => sameTaint(t, u))) taints.push(t);
  return taints;
}
