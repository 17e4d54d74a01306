// The shapes of Pledge's stack config (pledge:clusters, pledge:promises,
// pledge:requests, request files). Structure only; cross-checks (unknown
// promise, duplicate names, selectors that match nothing) live in parse.ts.
import { z } from "zod";

const labelMap = z.record(z.string(), z.string());

export const selectorSchema = z
  .object({
    matchLabels: labelMap.optional(),
    matchExpressions: z
      .array(
        z
          .object({
            key: z.string(),
            operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
            values: z.array(z.string()).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export const taintSchema = z
  .object({
    key: z.string(),
    value: z.string().optional(),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
  })
  .strict();

export const tolerationSchema = z
  .object({
    key: z.string().optional(),
    operator: z.enum(["Equal", "Exists"]).optional(),
    value: z.string().optional(),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
  })
  .strict();

/**
 * How a cluster gets its objects when not through its API server: from a Git
 * state store, applied by Flux on the cluster (docs/gitops.md).
 */
export const gitopsDeliverySchema = z
  .object({
    /** A name from pledge:stateStores. */
    store: z.string().min(1),
    /** The cluster's directory under the store's path; defaults to the cluster's name. */
    path: z.string().min(1).optional(),
    /** The cluster's age public key (age1...): every Secret for it is SOPS-encrypted to this before it is written. */
    ageRecipient: z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/, "must be an age public key: age1 and 58 more characters"),
  })
  .strict();

export const deliverySchema = z.object({ gitops: gitopsDeliverySchema }).strict();

const clusterCommon = {
  name: z.string(),
  /** Delivered through Git instead of the API server (the API server, when there is one, is only read). */
  delivery: deliverySchema.optional(),
  labels: labelMap.default({}),
  taints: z.array(taintSchema).default([]),
  /** Most request placements this cluster takes (all promises); unlimited when absent. */
  capacity: z.number().int().min(0).optional(),
  /** Stable identity for the provider: credential or endpoint changes never replace workloads. Defaults to the name. */
  clusterIdentifier: z.string().min(1).optional(),
};

/** A cluster of the local fleet (`npm run fleet:up`), found by name. */
export const localClusterSchema = z
  .object({
    ...clusterCommon,
    source: z.literal("local"),
    /** Name in the local fleet when it differs from the Pledge name. */
    localName: z.string().optional(),
  })
  .strict();

/**
 * Any existing cluster reachable with a kubeconfig (on-prem, or made
 * elsewhere); without one it must be Git-delivered, and is never contacted.
 */
export const kubeconfigClusterSchema = z
  .object({
    ...clusterCommon,
    source: z.literal("kubeconfig"),
    /** Kubeconfig contents; set it with `pulumi config set --secret --path`. */
    kubeconfig: z.string().min(1).optional(),
    /** Or a path to a kubeconfig file, relative to the project. */
    kubeconfigPath: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
    /** Where the cluster runs, for the pledge.dev/cloud label: an existing EKS cluster is "aws". */
    cloud: z.enum(["aws", "azure", "gcp", "onprem"]).default("onprem"),
  })
  .strict();

// Cloud clusters: Pledge provisions them. Every default below is a working,
// modest cluster a newcomer can accept; docs/clouds.md has the costs.

const kubernetesVersion = z
  .string()
  .regex(/^1\.\d{2}$/, "must be a Kubernetes minor version such as 1.33")
  .default("1.33");

/** GPUs on a node pool. */
export const gpuSchema = z
  .object({
    /** The GPU model: the accelerator type on GKE (nvidia-l4, nvidia-tesla-t4), informational on EKS and AKS (e.g. nvidia-a10g). */
    type: z.string().min(1).optional(),
    /** GPUs per node. */
    count: z.number().int().min(1).default(1),
    /** Taint the pool's nodes with nvidia.com/gpu:NoSchedule so only GPU workloads land there. */
    taint: z.boolean().default(true),
  })
  .strict();

const nodePoolCommon = {
  /** Pool name: a DNS label; on AKS at most 12 lowercase letters and digits. */
  name: z.string(),
  min: z.number().int().min(0).default(1),
  max: z.number().int().min(1).default(3),
  /** Nodes at creation; defaults to min. In an autoscaled pool (min < max) the autoscaler owns it afterwards. */
  desired: z.number().int().min(0).optional(),
  /** CPU architecture; inferred from the instance type when absent. */
  arch: z.enum(["amd64", "arm64"]).optional(),
  gpu: gpuSchema.optional(),
  /** Kubernetes labels on the pool's nodes. */
  labels: labelMap.default({}),
  /** Kubernetes taints on the pool's nodes (GPU pools also get the GPU taint). */
  taints: z.array(taintSchema).default([]),
  /** OS disk per node, GiB; the cloud's default when absent. */
  diskSizeGb: z.number().int().min(20).max(4096).optional(),
};

export const eksNodePoolSchema = z
  .object({
    ...nodePoolCommon,
    /** EC2 instance type, e.g. m6i.large, m7g.large (arm64), g5.xlarge (GPU). */
    instanceType: z.string().min(1),
    /** Spot capacity: cheaper, can be taken back at two minutes' notice. */
    spot: z.boolean().default(false),
  })
  .strict();

export const aksNodePoolSchema = z
  .object({
    ...nodePoolCommon,
    /** Azure VM size, e.g. Standard_D4s_v5, Standard_D4ps_v5 (arm64), Standard_NC4as_T4_v3 (GPU). */
    vmSize: z.string().min(1),
    /** AKS needs one system pool for its own add-ons; defaults to system for the first pool, user for the rest. */
    mode: z.enum(["system", "user"]).optional(),
  })
  .strict();

export const gkeNodePoolSchema = z
  .object({
    ...nodePoolCommon,
    /** Compute Engine machine type, e.g. e2-standard-4, t2a-standard-4 (arm64), g2-standard-8 or n1-standard-4 + gpu (GPU). */
    machineType: z.string().min(1),
    /** Spot VMs: cheaper, can be preempted at any time. */
    spot: z.boolean().default(false),
  })
  .strict();

/** An EKS cluster (AWS): IAM roles, the cluster with access entries, managed node groups, optionally a new VPC. */
export const eksClusterSchema = z
  .object({
    ...clusterCommon,
    source: z.literal("eks"),
    /** AWS region, e.g. eu-west-1. */
    region: z.string().min(1),
    version: kubernetesVersion,
    /** Availability zones: where a new VPC puts its subnets (the first two of the region when absent) and the zone labels. */
    zones: z.array(z.string().min(1)).min(1).optional(),
    /** A new VPC with public and private subnets (the default), or the private subnets of an existing one. */
    vpc: z
      .object({ cidr: z.string().optional(), subnetIds: z.array(z.string().min(1)).optional() })
      .strict()
      .default({}),
    nodePools: z
      .array(eksNodePoolSchema)
      .min(1)
      .prefault([{ name: "general", instanceType: "m6i.large", min: 1, max: 3, desired: 2 }]),
    /** IAM role or user ARNs that get cluster-admin through EKS access entries (the identity running Pulumi gets it anyway). */
    adminPrincipals: z.array(z.string()).default([]),
    /** AWS CLI profile for provisioning and for the kubeconfig's `aws eks get-token --profile`. */
    profile: z.string().min(1).optional(),
    /** Role to assume for provisioning and in the kubeconfig (`aws eks get-token --role-arn`). */
    roleArn: z.string().min(1).optional(),
  })
  .strict();

/** An AKS cluster (Azure): resource group, ManagedCluster with its system pool, user agent pools. */
export const aksClusterSchema = z
  .object({
    ...clusterCommon,
    source: z.literal("aks"),
    /** Azure location, e.g. westeurope. */
    region: z.string().min(1),
    version: kubernetesVersion,
    /** Availability zones of the pools, e.g. ["1", "2", "3"]; none when absent. */
    zones: z.array(z.string().min(1)).min(1).optional(),
    /** Subscription; the Azure CLI's current one when absent. */
    subscriptionId: z.string().min(1).optional(),
    /** An existing resource group; when absent Pledge creates `pledge-<name>`. */
    resourceGroup: z.string().min(1).optional(),
    /** An existing subnet for the nodes (resource ID); AKS makes its own network when absent. */
    subnetId: z.string().min(1).optional(),
    nodePools: z
      .array(aksNodePoolSchema)
      .min(1)
      .prefault([{ name: "system", vmSize: "Standard_D4s_v5", min: 1, max: 3, desired: 2 }]),
    /** Microsoft Entra ID authentication: kubeconfigs use kubelogin and hold no credentials. */
    entraId: z
      .object({
        /** Entra groups whose members are cluster admins. */
        adminGroupObjectIds: z.array(z.string()).default([]),
        tenantId: z.string().min(1).optional(),
        /** Authorize with Azure RBAC role assignments as well as Kubernetes RBAC. */
        azureRbac: z.boolean().default(true),
        /** How kubelogin gets a token where `pulumi up` runs: azurecli (az login), workloadidentity, spn or msi (CI). */
        login: z.enum(["azurecli", "workloadidentity", "spn", "msi"]).default("azurecli"),
        /** Turn off the local admin accounts, so only Entra identities get in. */
        disableLocalAccounts: z.boolean().default(true),
      })
      .strict()
      .optional(),
    /** OIDC issuer and workload identity, so pods can use Entra identities. */
    workloadIdentity: z.boolean().default(true),
  })
  .strict();

/** A GKE cluster (Google Cloud): the cluster without its default pool, node pools, Workload Identity. */
export const gkeClusterSchema = z
  .object({
    ...clusterCommon,
    source: z.literal("gke"),
    /** Google Cloud project ID. */
    project: z.string().min(1),
    /** Region, e.g. europe-west1. */
    region: z.string().min(1),
    /** The region (a regional cluster, the default) or one of its zones (a zonal cluster, cheaper, no control-plane HA). */
    location: z.string().min(1).optional(),
    /** Zones of the nodes, e.g. ["europe-west1-b"]; GKE picks when absent. */
    zones: z.array(z.string().min(1)).min(1).optional(),
    version: kubernetesVersion,
    /** A new VPC network and subnetwork (the default), or existing ones by name. */
    network: z
      .object({ name: z.string().min(1).optional(), subnetwork: z.string().min(1).optional(), cidr: z.string().optional() })
      .strict()
      .default({}),
    nodePools: z
      .array(gkeNodePoolSchema)
      .min(1)
      .prefault([{ name: "general", machineType: "e2-standard-4", min: 1, max: 3, desired: 1 }]),
    /** Workload Identity: pods act as Google service accounts without keys. */
    workloadIdentity: z.boolean().default(true),
    /** GKE refuses to delete a protected cluster; off so `pulumi destroy` works. Turn it on for production. */
    deletionProtection: z.boolean().default(false),
  })
  .strict();

export const clusterSchema = z.discriminatedUnion("source", [
  localClusterSchema,
  kubeconfigClusterSchema,
  eksClusterSchema,
  aksClusterSchema,
  gkeClusterSchema,
]);

export const clusterSources = ["local", "kubeconfig", "eks", "aks", "gke"] as const;

const basicAuth = z.object({ username: z.string().min(1), password: z.string().min(1) }).strict();

/** A Git repository Pledge writes Git-delivered clusters' objects to (pledge:stateStores). */
export const stateStoreSchema = z
  .object({
    name: z.string(),
    /** https:// or http:// (Pledge pushes over smart HTTP); the clusters' Flux pulls the same URL. */
    url: z.string().regex(/^https?:\/\/[^\s]+$/, "must be an http(s):// Git URL, e.g. https://git.example.com/acme/fleet.git"),
    branch: z.string().min(1).default("main"),
    /** Directory in the repository holding one directory per cluster; the repository's root when empty. */
    path: z.string().default(""),
    /** Who Pledge pushes as; set the password with `pulumi config set --secret --path`. */
    credentials: basicAuth.optional(),
    /** What the clusters' Flux reads with (read-only); `pledge bootstrap --apply` puts them on a cluster it can reach. */
    readCredentials: basicAuth.optional(),
  })
  .strict();

/** `kratix:` of a pledge:promises entry: a Kratix Promise file, or the file with the options stack config can give. */
export const kratixOfferSchema = z.union([
  z.string().min(1),
  z
    .object({
      file: z.string().min(1),
      version: z.string().optional(),
      description: z.string().optional(),
      dependenciesFrom: z.string().min(1).optional(),
      placementSelector: selectorSchema.optional(),
      stateful: z.boolean().optional(),
    })
    .strict(),
]);

export const promiseOfferSchema = z
  .object({
    /** Import this promise from a Kratix Promise file (docs/kratix.md); the key is its name. */
    kratix: kratixOfferSchema.optional(),
    /** Added to the promise's own destination selectors (all must match). */
    destinationSelectors: z.array(selectorSchema).default([]),
    /** Added to the promise's own tolerations. */
    tolerations: z.array(tolerationSchema).default([]),
    placement: z
      .object({ count: z.number().int().min(1).optional(), spreadBy: z.string().optional() })
      .strict()
      .default({}),
  })
  .strict();

export const requestSchema = z
  .object({
    promise: z.string(),
    name: z.string(),
    /** The team asking; its namespace on the cluster. Request files default it to the file name. */
    team: z.string(),
    spec: z.unknown().optional(),
    /** Where this request may run, by cluster labels (on top of the promise's own selectors). */
    selector: selectorSchema.optional(),
    count: z.number().int().min(1).optional(),
    spreadBy: z.string().optional(),
    /** Put it exactly on these clusters (overrides stickiness: this is how a user moves a request). */
    pin: z.array(z.string()).min(1).optional(),
  })
  .strict();

const quantity = z.union([
  z.string().regex(/^\d+(\.\d+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/, "must be a Kubernetes quantity such as 500m, 2 or 4Gi"),
  z.number().positive(),
]);

/** pledge:shards: one entry per shard, a separate Pulumi stack (`<stack>.<name>`) applying its clusters' objects. */
export const shardSchema = z
  .object({
    /** The shard's name: its stack is `<stack>.<name>`, e.g. dev.eu. */
    name: z.string(),
    /** Which clusters it holds, by their labels; every cluster belongs to exactly one shard. */
    clusters: selectorSchema,
  })
  .strict();

export type ShardConfig = z.infer<typeof shardSchema>;

/** pledge:teams: who a team is, where it may run, and how much it may use on each cluster. */
export const teamSchema = z
  .object({
    /** The team's name: its namespace on every cluster and the `team` of its requests. */
    name: z.string(),
    /** User names as the clusters' authentication reports them (OIDC subjects, certificate CNs). */
    users: z.array(z.string().min(1)).default([]),
    /** Group names as the clusters' authentication reports them (e.g. OIDC groups). */
    groups: z.array(z.string().min(1)).default([]),
    /** Which clusters the team's requests may use; all when absent. */
    clusters: selectorSchema.optional(),
    /** What the team may use in its namespace on each cluster (a ResourceQuota); unlimited when absent. */
    quota: z
      .object({
        /** Total CPU the team's containers may request, e.g. "4" or "2500m". */
        cpu: quantity.optional(),
        /** Total memory the team's containers may request, e.g. "8Gi". */
        memory: quantity.optional(),
        pods: z.number().int().min(0).optional(),
        /** Most objects of each kind, by resource name: {services: 10, secrets: 20, persistentvolumeclaims: 5}. */
        objects: z
          .record(
            z.string().regex(/^[a-z0-9.]+$/, "must be a resource name such as services or configmaps"),
            z.number().int().min(0),
          )
          .default({}),
      })
      .strict()
      .optional(),
    /** Requests and limits a container gets when it names none (a LimitRange), so a quota on cpu/memory never refuses a pod for leaving them out. */
    defaults: z
      .object({ cpu: quantity.default("100m"), memory: quantity.default("128Mi") })
      .strict()
      .default({ cpu: "100m", memory: "128Mi" }),
    /** A default-deny NetworkPolicy: traffic only within the namespace, and DNS. */
    isolated: z.boolean().default(true),
  })
  .strict();

/** A request file: requests/<team>.yaml. */
export const requestFileSchema = z
  .object({
    team: z.string().optional(),
    requests: z.array(requestSchema.extend({ team: z.string().optional() }).strict()),
  })
  .strict();

/** pledge:deletions: what an update may delete without `pledge up --allow-delete`. */
export const deletionsSchema = z
  .object({
    /** Confirmations kept in config: cluster:<name>, request:<promise>/<name>, namespace:<team>@<cluster>, many, all. Remove them after the update. */
    allow: z
      .array(
        z
          .string()
          .regex(
            /^(cluster:.+|request:[^/]+\/.+|namespace:[^@]+@.+|many|all)$/,
            "must be cluster:<name>, request:<promise>/<name>, namespace:<team>@<cluster>, many or all",
          ),
      )
      .default([]),
    /** Largest share (0 to 1) of the platform's request placements one update may remove before it needs confirmation. */
    maxShare: z.number().min(0).max(1).default(0.5),
  })
  .strict();

/** A duration as people write it in config: 90s, 2m, 1h, 1h30m. */
export const durationSchema = z
  .string()
  .regex(/^(\d+h)?(\d+m)?(\d+s)?$/, "must be a duration such as 30s, 2m or 1h30m")
  .refine((value) => value !== "", "must be a duration such as 30s, 2m or 1h30m");

/** One wave of a staged rollout (pledge:rollout.waves). */
export const waveSchema = z
  .object({
    /** The wave's name: `pledge rollout approve <name>` and the progress lines use it. */
    name: z.string(),
    /** Which clusters it holds, by their labels; absent: every cluster no earlier wave took. */
    clusters: selectorSchema.optional(),
    /** At most this many of its clusters get the change at once (each batch is gated before the next); all when absent. */
    maxParallel: z.number().int().min(1).optional(),
    /** The wave is done only when a person approves it (`pledge rollout approve <name>`). */
    approval: z.boolean().default(false),
  })
  .strict();

/** pledge:rollout: a change reaches the fleet in waves, each gated on the health of the last (docs/rollouts.md). */
export const rolloutSchema = z
  .object({
    waves: z.array(waveSchema).min(1, "needs at least one wave"),
    gate: z
      .object({
        /** How long every changed object of a wave must stay ready before the next wave starts. */
        healthyFor: durationSchema.default("0s"),
        /** How long a wave may take to become ready before the rollout halts. */
        timeout: durationSchema.default("10m"),
      })
      .strict()
      .default({ healthyFor: "0s", timeout: "10m" }),
    /** What a failed wave does: halt (the clusters not reached keep the old version; `pledge rollout undo` reverts the rest). */
    onFailure: z.enum(["halt"]).default("halt"),
    /** A second change during a rollout: join it (restarting at the first wave) or wait (refused until the rollout is done or undone). */
    newChange: z.enum(["join", "wait"]).default("join"),
    /** Hold back new requests and new clusters too (by default they get their objects at once: nothing there to protect). */
    holdNew: z.boolean().default(false),
  })
  .strict();

export type RolloutConfig = z.output<typeof rolloutSchema>;
export type WaveConfig = z.output<typeof waveSchema>;

export type StateStoreConfig = z.infer<typeof stateStoreSchema>;
export type GitopsDelivery = z.infer<typeof gitopsDeliverySchema>;
export type ClusterConfig = z.output<typeof clusterSchema>;
export type EksClusterConfig = z.output<typeof eksClusterSchema>;
export type AksClusterConfig = z.output<typeof aksClusterSchema>;
export type GkeClusterConfig = z.output<typeof gkeClusterSchema>;
export type CloudClusterConfig = EksClusterConfig | AksClusterConfig | GkeClusterConfig;
export type NodePoolConfig =
  z.output<typeof eksNodePoolSchema> | z.output<typeof aksNodePoolSchema> | z.output<typeof gkeNodePoolSchema>;
export type PromiseOffer = z.output<typeof promiseOfferSchema>;
export type RequestConfig = z.output<typeof requestSchema>;
export type DeletionsConfig = z.output<typeof deletionsSchema>;
export type TeamConfig = z.output<typeof teamSchema>;

/** A duration of durationSchema in seconds: "1h30m" -> 5400. */
export function durationSeconds(text: string): number {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match) throw new Error(`internal: ${JSON.stringify(text)} is not a duration`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}
