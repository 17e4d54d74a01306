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

const clusterCommon = {
  name: z.string(),
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

/** Any existing cluster reachable with a kubeconfig (on-prem, or made elsewhere). */
export const kubeconfigClusterSchema = z
  .object({
    ...clusterCommon,
    source: z.literal("kubeconfig"),
    /** Kubeconfig contents; set it with `pulumi config set --secret --path`. */
    kubeconfig: z.string().min(1).optional(),
    /** Or a path to a kubeconfig file, relative to the project. */
    kubeconfigPath: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
  })
  .strict();

export const clusterSchema = z.discriminatedUnion("source", [localClusterSchema, kubeconfigClusterSchema]);

export const clusterSources = ["local", "kubeconfig"] as const;

export const promiseOfferSchema = z
  .object({
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

/** A request file: requests/<team>.yaml. */
export const requestFileSchema = z
  .object({
    team: z.string().optional(),
    requests: z.array(requestSchema.extend({ team: z.string().optional() }).strict()),
  })
  .strict();

export type ClusterConfig = z.output<typeof clusterSchema>;
export type PromiseOffer = z.output<typeof promiseOfferSchema>;
export type RequestConfig = z.output<typeof requestSchema>;
