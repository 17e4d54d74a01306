// The stack outputs contract: what a Pledge stack publishes after every
// update, as one type, the one function that builds it from the placement,
// and the readers the CLI and the next run use. Anything that reads a Pledge
// stack (the CLI, CI, another stack through a StackReference) reads these.
import type { PreviousPlacement } from "./core/facts";
import type { ClusterVerdict, FleetPlacement, Move, RequestPlacement } from "./core/outcome";
import { z } from "zod";

export interface RequestOutput {
  status: RequestPlacement["status"];
  clusters: string[];
  wanted: number;
  summary: string;
  moves: Move[];
  /** What the promise tells the team, per cluster the request runs on (host, port, the name of its credentials' Secret). */
  outputs: Record<string, Record<string, string | number | boolean>>;
  /** The team that asked. */
  team: string;
  /** Set on a part of a compound request: its parent's key and its role there. */
  parent?: { key: string; role: string };
  /** A compound request's parts: role -> request key. */
  parts?: Record<string, string>;
}

export interface PromiseOutput {
  /** Clusters that got the promise's dependencies. */
  eligible: string[];
  summary: string;
}

/**
 * Every cluster's verdict, compact: the verdicts that differ from a plain
 * spare, the rejections shared by requests of the same shape, and how many
 * other clusters were spare. `allVerdicts` in core/outcome.ts expands it.
 */
export interface Explanation {
  verdicts: ClusterVerdict[];
  rejected: readonly ClusterVerdict[];
  spare: number;
  wanted: number;
}

export interface GitopsOutput {
  store: string;
  url: string;
  branch: string;
  /** The cluster's directory in the repository. */
  path: string;
  /** The head of the branch after the update (undefined before the first commit). */
  commit?: string;
  /** The objects its files hold; `request` is set on a request's (promise/name). */
  objects: { request?: string; apiVersion: string; kind: string; namespace?: string; name: string }[];
}

export interface StackOutputs {
  /** Request key -> clusters, in placement order: what the next run keeps (stickiness). */
  placements: Record<string, string[]>;
  requests: Record<string, RequestOutput>;
  promises: Record<string, PromiseOutput>;
  explanations: { promises: Record<string, Explanation>; requests: Record<string, Explanation> };
  /** Every cluster of the fleet, by name. */
  clusters: string[];
  /** Requests not (fully) placed; non-empty means `pledge up` exits with status 2. */
  unplaced: string[];
  /** A sharded fleet's stack: each shard's clusters (pledge:shards). */
  shards?: Record<string, string[]>;
  /** A shard's stack: which shard it applies. */
  shard?: string;
  /** The digest of everything the update registered (src/promise/fingerprint.ts): equal next time, nothing to do. */
  fingerprint?: string;
  /** Git-delivered clusters (docs/gitops.md): where their files are and the commit the update left there. */
  gitops?: Record<string, GitopsOutput>;
  /** Team namespaces no request uses any more, kept because they hold objects Pledge did not create (src/promise/namespace-keeping.ts). */
  keptNamespaces?: { cluster: string; namespace: string }[];
  /** What each cluster has applied, object by object (src/rollout/applied.ts): what the next change would do is read from it. */
  applied?: AppliedDigests;
  /** The staged rollout in progress or last done (pledge:rollout, docs/rollouts.md). */
  rollout?: RolloutRecord;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The name of the output the next run reads its previous placement from. */
export const placementsOutputName = "placements" satisfies keyof StackOutputs;

/** What the render plan adds to the placement: each request's team and declared outputs. */
export interface RequestFacts {
  teams: ReadonlyMap<string, string>;
  outputs: ReadonlyMap<string, Record<string, Record<string, string | number | boolean>>>;
  /** Parts of compound requests: part key -> its parent's key and its role there. */
  parents?: ReadonlyMap<string, { key: string; role: string }>;
}

/** The facts of the render plan the outputs carry: each request's team, declared outputs, and parent if it is a part. */
export function requestFactsOf(
  requests: readonly { promise: string; name: string; team: string; parent?: { key: string; role: string } }[],
  outputs: RequestFacts["outputs"],
): RequestFacts {
  return {
    teams: new Map(requests.map((r) => [`${r.promise}/${r.name}`, r.team])),
    outputs,
    parents: new Map(
      requests.flatMap((r) =>
        r.parent ? [[`${r.promise}/${r.name}`, { key: r.parent.key, role: r.parent.role }] as const] : [],
      ),
    ),
  };
}

export function buildStackOutputs(
  placement: FleetPlacement,
  clusterNames: readonly string[],
  facts: RequestFacts = { teams: new Map(), outputs: new Map() },
): StackOutputs {
  const parts = new Map<string, Record<string, string>>();
  for (const [part, parent] of facts.parents ?? []) parts.set(parent.key, { ...parts.get(parent.key), [parent.role]: part });
  return {
    placements: Object.fromEntries(placement.requests.map((r) => [r.key, r.clusters])),
    requests: Object.fromEntries(
      placement.requests.map((r) => {
        const parent = facts.parents?.get(r.key);
        const own = parts.get(r.key);
        const output: RequestOutput = {
          status: r.status,
          clusters: r.clusters,
          wanted: r.wanted,
          summary: r.summary,
          moves: r.moves,
          team: facts.teams.get(r.key) ?? "",
          outputs: facts.outputs.get(r.key) ?? {},
          ...(parent ? { parent } : {}),
          ...(own ? { parts: own } : {}),
        };
        return [r.key, output];
      }),
    ),
    promises: Object.fromEntries(placement.promises.map((p) => [p.promise, { eligible: p.eligible, summary: p.summary }])),
    explanations: {
      promises: Object.fromEntries(
        placement.promises.map((p) => [p.promise, { verdicts: p.verdicts, rejected: [], spare: 0, wanted: 0 }]),
      ),
      requests: Object.fromEntries(
        placement.requests.map((r) => [r.key, { verdicts: r.verdicts, rejected: r.rejected, spare: r.spare, wanted: r.wanted }]),
      ),
    },
    clusters: [...clusterNames],
    unplaced: placement.requests.filter((r) => r.status !== "placed").map((r) => r.key),
  };
}

/** What the last update left, as the next run needs it: for stickiness, and to see what a change would delete. */
export interface PreviousState {
  placement: PreviousPlacement;
  /** The fleet's clusters at the last update (empty on the first). */
  clusters: string[];
  /** Each promise's eligible clusters at the last update. */
  eligible: Map<string, string[]>;
  /** Parts of compound requests at the last update: part key -> parent key. */
  parents: Map<string, string>;
  /** Each request's team at the last update (its namespace on every cluster it ran on). */
  teams: Map<string, string>;
  /** Team namespaces the last update kept although no request used them. */
  keptNamespaces: { cluster: string; namespace: string }[];
  /** What each cluster had applied; undefined when the last update predates this record (or there was none). */
  applied?: AppliedDigests;
  rollout?: RolloutRecord;
}

export function previousStateOf(outputs: {
  applied?: unknown;
  rollout?: unknown;
  placements?: unknown;
  clusters?: unknown;
  promises?: unknown;
  requests?: unknown;
  keptNamespaces?: unknown;
}): PreviousState {
  const clusters = Array.isArray(outputs.clusters) ? outputs.clusters.filter((c): c is string => typeof c === "string") : [];
  const eligible = new Map<string, string[]>();
  if (isRecord(outputs.promises)) {
    for (const [name, promise] of Object.entries(outputs.promises)) {
      const list =
        isRecord(promise) && Array.isArray(promise.eligible)
          ? promise.eligible.filter((c): c is string => typeof c === "string")
          : [];
      eligible.set(name, list);
    }
  }
  const parents = new Map<string, string>();
  const teams = new Map<string, string>();
  if (isRecord(outputs.requests)) {
    for (const [key, request] of Object.entries(outputs.requests)) {
      const parent = isRecord(request) && isRecord(request.parent) ? request.parent.key : undefined;
      if (typeof parent === "string") parents.set(key, parent);
      if (isRecord(request) && typeof request.team === "string" && request.team) teams.set(key, request.team);
    }
  }
  const keptNamespaces = Array.isArray(outputs.keptNamespaces)
    ? outputs.keptNamespaces.filter(
        (k): k is { cluster: string; namespace: string } =>
          isRecord(k) && typeof k.cluster === "string" && typeof k.namespace === "string",
      )
    : [];
  const applied = appliedDigestsOf(outputs.applied);
  const rollout = rolloutRecordOf(outputs.rollout);
  return {
    placement: previousPlacementOf(outputs.placements),
    clusters,
    eligible,
    parents,
    teams,
    keptNamespaces,
    ...(applied ? { applied } : {}),
    ...(rollout ? { rollout } : {}),
  };
}

/** Where each request was placed, from a `placements` output; anything malformed counts as never placed. */
export function previousPlacementOf(value: unknown): PreviousPlacement {
  const out = new Map<string, string[]>();
  if (typeof value !== "object" || value === null) return out;
  for (const [key, clusters] of Object.entries(value)) {
    if (Array.isArray(clusters) && clusters.every((c) => typeof c === "string")) out.set(key, clusters);
  }
  return out;
}

/**
 * A stack's outputs as StackOutputs, from the raw values the Automation API
 * returns. A stack that has never been updated, or whose last update predates
 * this contract, is an error that says what to run.
 */
export function stackOutputsOf(values: Record<string, unknown>): StackOutputs {
  const missing = (["placements", "requests", "promises", "explanations", "clusters", "unplaced"] as const).filter(
    (key) => values[key] === undefined,
  );
  const explanations = values.explanations;
  if (missing.length > 0 || !isRecord(explanations) || !isRecord(explanations.requests) || !isRecord(explanations.promises)) {
    throw new Error(
      `the stack has no Pledge outputs${missing.length > 0 ? ` (missing ${missing.join(", ")})` : " in this version's shape"}: run \`pledge up\` first`,
    );
  }
  // Built by buildStackOutputs and stored by the engine as JSON: the shape is this contract's.
  return values as unknown as StackOutputs;
}

// --- Staged rollouts' records (src/rollout/): what each cluster applied, and a rollout's progress ---

/** cluster -> owner key -> resource name -> digest of the object's planned form. */
export type AppliedDigests = Record<string, Record<string, Record<string, string>>>;

/** A value read back from the stack's outputs, as AppliedDigests when it has that shape. */
export function appliedDigestsOf(value: unknown): AppliedDigests | undefined {
  if (!isRecord(value)) return undefined;
  const out: AppliedDigests = {};
  for (const [cluster, owners] of Object.entries(value)) {
    if (!isRecord(owners)) return undefined;
    out[cluster] = {};
    for (const [owner, names] of Object.entries(owners)) {
      if (!isRecord(names) || !Object.values(names).every((d) => typeof d === "string")) return undefined;
      out[cluster][owner] = names as Record<string, string>;
    }
  }
  return out;
}

const when = z.string();

export const rolloutRecordSchema = z.object({
  /** rolling: waves go on as gates pass; halted: a wave failed (resume or undo); done: every wave passed; undone: reverted. */
  state: z.enum(["rolling", "halted", "done", "undone"]),
  startedAt: when,
  /** Clusters that have the change. */
  reached: z.array(z.string()).default([]),
  /** Reached clusters whose gate passed (a wave with maxParallel gates each batch). */
  gated: z.array(z.string()).default([]),
  /** Waves whose gate passed, with when. */
  passed: z.record(z.string(), when).default({}),
  /** Waves a person approved (`pledge rollout approve`), with when. */
  approved: z.record(z.string(), when).default({}),
  /** Unreachable clusters a wave went on without (`--skip-unreachable`): they get the change when they are back. */
  skipped: z.array(z.string()).default([]),
  /** When each wave's last batch was applied: its gate's timeout counts from there, across invocations. */
  appliedAt: z.record(z.string(), when).default({}),
  /** A failed wave: why, and its clusters left as they are until resumed or undone. */
  halted: z.object({ wave: z.string(), reason: z.string(), at: when, clusters: z.array(z.string()).default([]) }).optional(),
  /** The change an undo reverted: it is not rolled out again unless resumed or changed. */
  undone: z.object({ change: z.string(), at: when }).optional(),
});

export type RolloutRecord = z.infer<typeof rolloutRecordSchema>;

export function rolloutRecordOf(value: unknown): RolloutRecord | undefined {
  const parsed = rolloutRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
