// Node pools of cloud clusters, the same way on every cloud: what a machine
// type implies (arch, GPUs), the taints and labels a pool gets, and the
// checks that catch a wrong pool before any cloud API is called. Pure.
import type { Issue } from "../issues";
import { keyPath } from "../issues";
import type { AksClusterConfig, CloudClusterConfig, NodePoolConfig } from "../config/schema";
import { validateLabelKey, validateLabelValue } from "../labels/labels";
import type { Taint } from "../labels/taints";

export type Cloud = "aws" | "azure" | "gcp";
export type Arch = "amd64" | "arm64";

export const cloudOf = { eks: "aws", aks: "azure", gke: "gcp" } as const satisfies Record<CloudClusterConfig["source"], Cloud>;

/** What a machine type name tells us. arch is undefined when the name is not recognised. */
export interface MachineFacts {
  arch?: Arch;
  /** Comes with GPUs attached. */
  gpu: boolean;
  /** GPUs can be attached to it (GKE accelerators); undefined when the name is not recognised. */
  acceptsGpu?: boolean;
}

// EC2: <family><generation><attributes>.<size>; Graviton has a "g" among the attributes (m7g, c6gn, im4gn), or is a1.
const ec2Type = /^([a-z]+)(\d+)([a-z-]*)\.[a-z0-9-]+$/;
// Azure: Standard_<family><vCPUs>[-<constrained>]<features>[_<extra>]_v<n>; "p" among the features is Arm (Cobalt, Ampere).
const azureSize = /^Standard_([A-Z]+)(\d+)(?:-\d+)?([a-z]*)(?:_|$)/;

export function machineFacts(cloud: Cloud, machineType: string): MachineFacts {
  switch (cloud) {
    case "aws": {
      const m = ec2Type.exec(machineType);
      if (!m) return { gpu: false };
      const [, family, , attributes] = m as unknown as [string, string, string, string];
      const arm = family === "a" || attributes.includes("g");
      return { arch: arm ? "arm64" : "amd64", gpu: ["g", "gr", "p"].includes(family), acceptsGpu: false };
    }
    case "azure": {
      const m = azureSize.exec(machineType);
      if (!m) return { gpu: false };
      const [, family, , features] = m as unknown as [string, string, string, string];
      return { arch: features.includes("p") ? "arm64" : "amd64", gpu: /^N[CDVG]/.test(family), acceptsGpu: false };
    }
    case "gcp": {
      const family = machineType.split("-")[0] ?? "";
      if (!/^[a-z]\d[a-z]?$/.test(family) || !machineType.includes("-")) return { gpu: false };
      const arm = ["t2a", "c4a", "n4a", "a4x"].includes(family);
      const builtIn = ["a2", "a3", "a4", "a4x", "g2", "g4"].includes(family);
      return { arch: arm ? "arm64" : "amd64", gpu: builtIn, acceptsGpu: builtIn || family === "n1" };
    }
  }
}

const examples: Record<Cloud, { amd64: string; arm64: string; gpu: string; gpuType: string }> = {
  aws: { amd64: "m6i.large", arm64: "m7g.large", gpu: "g5.xlarge", gpuType: "nvidia-a10g" },
  azure: { amd64: "Standard_D4s_v5", arm64: "Standard_D4ps_v5", gpu: "Standard_NC4as_T4_v3", gpuType: "nvidia-t4" },
  gcp: { amd64: "e2-standard-4", arm64: "t2a-standard-4", gpu: "g2-standard-8", gpuType: "nvidia-l4" },
};

const machineField: Record<Cloud, string> = { aws: "instanceType", azure: "vmSize", gcp: "machineType" };

export function machineTypeOf(pool: NodePoolConfig): string {
  if ("instanceType" in pool) return pool.instanceType;
  if ("vmSize" in pool) return pool.vmSize;
  return pool.machineType;
}

export const gpuTaintKey = "nvidia.com/gpu";
export const poolLabelKey = "pledge.dev/pool";

/**
 * The GPU taint a pool gets unless it says otherwise. GKE taints GPU nodes
 * itself with value "present"; using the same value avoids two taints with one
 * key. A toleration {key: nvidia.com/gpu, operator: Exists} covers both.
 */
export function defaultGpuTaint(cloud: Cloud): Taint {
  return { key: gpuTaintKey, value: cloud === "gcp" ? "present" : "true", effect: "NoSchedule" };
}

/** GKE taints Arm nodes so x86-only images stay off them; Pledge does not set it, but counts it. */
export const gkeArmTaint: Taint = { key: "kubernetes.io/arch", value: "arm64", effect: "NoSchedule" };

export interface ResolvedPool {
  name: string;
  machineType: string;
  arch: Arch;
  gpu?: { type: string; count: number };
  min: number;
  max: number;
  desired: number;
  /** Taints Pledge sets through the cloud API. */
  taints: Taint[];
  /** Taints the cloud puts on these nodes itself. */
  cloudTaints: Taint[];
  /** Node labels: the user's plus pledge.dev/pool. */
  nodeLabels: Record<string, string>;
  spot: boolean;
  diskSizeGb?: number;
  /** AKS only: system pools run AKS's own add-ons. */
  mode: "system" | "user";
}

/** A pool as it will be created: arch inferred, defaults applied, GPU taint added. */
export function resolvePool(cloud: Cloud, pool: NodePoolConfig, index: number): ResolvedPool {
  const machineType = machineTypeOf(pool);
  const arch = pool.arch ?? machineFacts(cloud, machineType).arch ?? "amd64";
  const taints = [...pool.taints];
  if (pool.gpu?.taint && !taints.some((t) => t.key === gpuTaintKey)) taints.push(defaultGpuTaint(cloud));
  const cloudTaints = cloud === "gcp" && arch === "arm64" ? [gkeArmTaint] : [];
  const mode = "mode" in pool && pool.mode ? pool.mode : cloud === "azure" && index === 0 ? "system" : "user";
  return {
    name: pool.name,
    machineType,
    arch,
    gpu: pool.gpu ? { type: pool.gpu.type ?? "", count: pool.gpu.count } : undefined,
    min: pool.min,
    max: pool.max,
    desired: pool.desired ?? pool.min,
    taints,
    cloudTaints,
    nodeLabels: { ...pool.labels, [poolLabelKey]: pool.name },
    spot: "spot" in pool ? pool.spot : false,
    diskSizeGb: pool.diskSizeGb,
    mode,
  };
}

export function resolvePools(cluster: CloudClusterConfig): ResolvedPool[] {
  const cloud = cloudOf[cluster.source];
  return cluster.nodePools.map((pool, i) => resolvePool(cloud, pool, i));
}

/**
 * A pool that may grow and shrink: after creation its size belongs to the
 * autoscaler, so Pledge ignores drift in it. A fixed pool (min == max) keeps
 * the size from config.
 */
export function isAutoscaled(pool: Pick<ResolvedPool, "min" | "max">): boolean {
  return pool.min < pool.max;
}

/** Kubernetes' own syntax, as AKS takes it: key=value:Effect. */
export function taintString(taint: Taint): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ""}:${taint.effect}`;
}

/** EKS and GKE spell effects NO_SCHEDULE, PREFER_NO_SCHEDULE, NO_EXECUTE. */
export function upperSnakeEffect(effect: Taint["effect"]): string {
  return effect.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/; // length is checked per cloud below
const aksPoolName = /^[a-z][a-z0-9]{0,11}$/;

function checkPoolName(cloud: Cloud, name: string, path: string, issues: Issue[]): void {
  if (cloud === "azure") {
    if (!aksPoolName.test(name))
      issues.push({
        path,
        message: `${JSON.stringify(name)} is not a valid AKS pool name`,
        hint: "AKS pool names are 1 to 12 lowercase letters and digits, starting with a letter, e.g. gpu1",
      });
    return;
  }
  const max = cloud === "gcp" ? 40 : 63;
  if (name.length > max || !dnsLabel.test(name)) {
    issues.push({
      path,
      message: `${JSON.stringify(name)} must be a DNS label: lowercase letters, digits and '-', at most ${max} characters`,
    });
  }
}

function checkPoolLabels(path: string, labels: Record<string, string>, issues: Issue[]): void {
  for (const [key, value] of Object.entries(labels)) {
    const problem = validateLabelKey(key) ?? validateLabelValue(value);
    if (problem) issues.push({ path: keyPath(path, [key]), message: problem });
    else if (key === poolLabelKey)
      issues.push({
        path: keyPath(path, [key]),
        message: `${poolLabelKey} is set by Pledge to the pool name`,
        hint: "remove it",
      });
  }
}

function checkMachine(cloud: Cloud, pool: NodePoolConfig, path: string, issues: Issue[]): void {
  const machineType = machineTypeOf(pool);
  const facts = machineFacts(cloud, machineType);
  const field = `${path}.${machineField[cloud]}`;
  const ex = examples[cloud];
  if (pool.arch && facts.arch && pool.arch !== facts.arch) {
    issues.push({
      path: `${path}.arch`,
      message: `${pool.arch} does not match ${machineType}, which is an ${facts.arch} machine type`,
      hint: `remove arch (it follows the machine type), or pick an ${pool.arch} type such as ${ex[pool.arch]}`,
    });
  }
  if (pool.gpu && pool.gpu.type === undefined) {
    issues.push({
      path: `${path}.gpu.type`,
      message: "a GPU pool needs its GPU type",
      hint:
        cloud === "gcp"
          ? `the accelerator type, e.g. ${ex.gpuType} or nvidia-tesla-t4`
          : `the GPU model, e.g. ${ex.gpuType}; it labels the pool's nodes`,
    });
  }
  if (facts.gpu && !pool.gpu) {
    issues.push({
      path: `${path}.gpu`,
      message: `${machineType} has GPUs but the pool does not declare them`,
      hint: `add gpu: {type: ${ex.gpuType}}, so the pool gets the GPU taint and the cluster the pledge.dev/gpu label`,
    });
  }
  if (pool.gpu && facts.arch && !facts.gpu && facts.acceptsGpu === false) {
    issues.push({
      path: field,
      message: `${machineType} has no GPUs`,
      hint:
        cloud === "gcp"
          ? "GPUs attach to N1 machine types (n1-standard-4); A2, A3, A4 and G2 types come with their own"
          : `pick a GPU type such as ${ex.gpu}, or remove gpu`,
    });
  }
}

/** Every problem with one cluster's node pools, with key paths under `path` (the cluster). */
export function checkNodePools(cluster: CloudClusterConfig, path: string, issues: Issue[]): void {
  const cloud = cloudOf[cluster.source];
  const seen = new Map<string, number>();
  cluster.nodePools.forEach((pool, i) => {
    const poolPath = `${path}.nodePools[${i}]`;
    checkPoolName(cloud, pool.name, `${poolPath}.name`, issues);
    const earlier = seen.get(pool.name);
    if (earlier !== undefined)
      issues.push({
        path: `${poolPath}.name`,
        message: `duplicate pool name ${JSON.stringify(pool.name)}`,
        hint: `also at ${path}.nodePools[${earlier}]`,
      });
    seen.set(pool.name, i);
    if (pool.min > pool.max)
      issues.push({
        path: `${poolPath}.min`,
        message: `${pool.min} is more than max (${pool.max})`,
        hint: "min <= desired <= max",
      });
    const desired = pool.desired ?? pool.min;
    if (pool.desired !== undefined && (desired < pool.min || desired > pool.max)) {
      issues.push({
        path: `${poolPath}.desired`,
        message: `${desired} is outside min..max (${pool.min}..${pool.max})`,
        hint: "min <= desired <= max",
      });
    }
    checkMachine(cloud, pool, poolPath, issues);
    checkPoolLabels(`${poolPath}.labels`, pool.labels, issues);
    pool.taints.forEach((taint, t) => {
      const problem = validateLabelKey(taint.key) ?? (taint.value === undefined ? undefined : validateLabelValue(taint.value));
      if (problem) issues.push({ path: `${poolPath}.taints[${t}]`, message: problem });
    });
  });
  if (cluster.source === "aks") checkAksSystemPool(cluster, path, issues);
}

const criticalAddonsOnly = "CriticalAddonsOnly";

/** AKS refuses a cluster without a system pool, and a system pool must be able to run AKS's add-ons. */
function checkAksSystemPool(cluster: AksClusterConfig, path: string, issues: Issue[]): void {
  const pools = cluster.nodePools.map((p, i) => resolvePool("azure", p, i));
  const system = pools.map((p, i) => [p, i] as const).filter(([p]) => p.mode === "system");
  if (system.length === 0) {
    issues.push({
      path: `${path}.nodePools`,
      message: "AKS needs a system pool for its own add-ons",
      hint: "set mode: system on a general-purpose pool (the first pool is the system pool unless it says mode: user)",
    });
  }
  for (const [pool, i] of system) {
    if (pool.gpu)
      issues.push({
        path: `${path}.nodePools[${i}].mode`,
        message: "a GPU pool cannot be the system pool",
        hint: "add a general-purpose pool first, e.g. {name: system, vmSize: Standard_D4s_v5}",
      });
    else if (pool.taints.some((t) => t.key !== criticalAddonsOnly)) {
      issues.push({
        path: `${path}.nodePools[${i}].taints`,
        message: "a system pool can only carry the CriticalAddonsOnly taint",
        hint: "move the taint to a user pool",
      });
    }
    if (pool.min < 1)
      issues.push({ path: `${path}.nodePools[${i}].min`, message: "a system pool needs at least one node", hint: "min: 1" });
  }
}
