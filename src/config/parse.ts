// parseStackConfig: the raw stack config in, typed config out, with every
// problem the config alone can show (shapes, names, duplicates, selector and
// label syntax) under its key path. Pure: files are read by load.ts. What needs
// the fleet (derived labels) or the catalogue (request specs) is checked by
// the layers that know them: fleet/model.ts and promise/stack-model.ts.
import { z } from "zod";
export { dnsLabelProblem, type AtPath } from "./names";
import { closest, fromZodIssues, keyPath, type Issue } from "../issues";
import { validateLabelKey } from "../labels/labels";
import { dnsLabelProblem, type AtPath } from "./names";
import { checkGitopsDelivery, parseStateStores, type StateStoreEntry } from "./state-stores";
import { validateSelector, type LabelSelector } from "../labels/selectors";
import {
  clusterSchema,
  clusterSources,
  deletionsSchema,
  rolloutSchema,
  type RolloutConfig,
  promiseOfferSchema,
  requestFileSchema,
  requestSchema,
  type ClusterConfig,
  type DeletionsConfig,
  type PromiseOffer,
  type RequestConfig,
  type ShardConfig,
  shardSchema,
  type TeamConfig,
  teamSchema,
} from "./schema";

/** Raw values as read from stack config and request files (already YAML/JSON-decoded). */
export interface RawStackConfig {
  clusters?: unknown;
  promises?: unknown;
  requests?: unknown;
  /** Request files, e.g. requests/team-a.yaml, decoded. */
  requestFiles?: readonly { file: string; content: unknown }[];
  deletions?: unknown;
  /** Confirmations given for this run only (`pledge up --allow-delete`). */
  allowDelete?: readonly string[];
  teams?: unknown;
  /** The stack's secret seed for generated passwords (pledge:secretSeed), decrypted. */
  secretSeed?: string;
  shards?: unknown;
  stateStores?: unknown;
  rollout?: unknown;
}

export type ClusterEntry = ClusterConfig & AtPath;

/** One entry of pledge:promises: the catalogue name and what the platform owner adds to it. */
export interface OfferEntry extends AtPath {
  name: string;
  offer: PromiseOffer;
}

/** A request with its team settled (request files default it to the file name). */
export type RequestEntry = RequestConfig & AtPath;

export type TeamEntry = TeamConfig & AtPath;

export type ShardEntry = ShardConfig & AtPath;

export interface StackConfig {
  clusters: ClusterEntry[];
  offers: OfferEntry[];
  requests: RequestEntry[];
  /** What an update may delete without confirmation: config's `allow` plus this run's. */
  deletions: DeletionsConfig;
  /** The teams of pledge:teams, or undefined when the stack declares none (then any team name is its own namespace, without tenancy). */
  teams: TeamEntry[] | undefined;
  /** Seed of the passwords promises generate (derived, so stable across runs); undefined when not set. */
  secretSeed: string | undefined;
  /** The shards of pledge:shards, or undefined when the stack is not split. */
  shards: ShardEntry[] | undefined;
  /** Git repositories Git-delivered clusters read (pledge:stateStores). */
  stateStores: StateStoreEntry[];
  /** Staged rollouts (pledge:rollout), or undefined when every change goes everywhere at once. */
  rollout: RolloutConfig | undefined;
}

/** Namespaces a team cannot own: Kubernetes' own and those promises install into (pledge-*). */
function reservedNamespaceProblem(team: string): string | undefined {
  if (team === "default" || team.startsWith("kube-") || team.startsWith("pledge-")) {
    return `${JSON.stringify(team)} is reserved (default, kube-*, pledge-* belong to Kubernetes and to promises)`;
  }
  return undefined;
}

export function checkSelector(path: string, selector: LabelSelector | undefined, issues: Issue[]): void {
  if (!selector) return;
  for (const problem of validateSelector(selector)) {
    const [where, ...rest] = problem.split(": ");
    issues.push({ path: `${path}.${where}`, message: rest.join(": ") });
  }
}

function parseClusters(raw: unknown, issues: Issue[]): ClusterEntry[] {
  const base = "pledge:clusters";
  if (raw === undefined) {
    issues.push({
      path: base,
      message: "is required: the fleet has no clusters",
      hint: "add at least one, e.g. {name: local-1, source: local}",
    });
    return [];
  }
  if (!Array.isArray(raw)) {
    issues.push({ path: base, message: "must be a list of clusters" });
    return [];
  }
  if (raw.length === 0) {
    // Applied, an empty fleet would delete every object on every cluster.
    issues.push({
      path: base,
      message: "is empty: the fleet needs at least one cluster",
      hint: "to take everything down on purpose, run pulumi destroy",
    });
    return [];
  }
  const clusters: ClusterEntry[] = [];
  const seen = new Map<string, number>();
  raw.forEach((item, index) => {
    const path = keyPath(base, [index]);
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      issues.push({ path, message: "must be a cluster: {name, source, labels, ...}" });
      return;
    }
    const source = (item as { source?: unknown }).source;
    if (typeof source !== "string" || !(clusterSources as readonly string[]).includes(source)) {
      const typo = Object.keys(item).find((k) => k !== "source" && closest(k, ["source"]) === "source");
      issues.push({
        path: `${path}.source`,
        message:
          source === undefined
            ? "is required"
            : `${typeof source === "string" ? JSON.stringify(source) : `a ${typeof source}`} is not one of ${clusterSources.join(", ")}`,
        hint: typo ? `found "${typo}": did you mean source?` : `one of ${clusterSources.join(", ")}`,
      });
      return;
    }
    const parsed = clusterSchema.safeParse(item, { reportInput: true });
    if (!parsed.success) {
      issues.push(...fromZodIssues(path, parsed.error.issues));
      return;
    }
    const cluster = parsed.data;
    const nameProblem = dnsLabelProblem(cluster.name);
    if (nameProblem) issues.push({ path: `${path}.name`, message: nameProblem });
    const previous = seen.get(cluster.name);
    if (previous !== undefined)
      issues.push({
        path: `${path}.name`,
        message: `duplicate cluster name ${JSON.stringify(cluster.name)}`,
        hint: `also at pledge:clusters[${previous}]`,
      });
    seen.set(cluster.name, index);
    cluster.taints.forEach((taint, t) => {
      const keyProblem = validateLabelKey(taint.key);
      if (keyProblem) issues.push({ path: `${path}.taints[${t}].key`, message: keyProblem });
    });
    if (cluster.source === "kubeconfig" && cluster.kubeconfig !== undefined && cluster.kubeconfigPath !== undefined) {
      issues.push({ path, message: "give one of kubeconfig (contents, as a secret) or kubeconfigPath, not both" });
    } else if (
      cluster.source === "kubeconfig" &&
      cluster.kubeconfig === undefined &&
      cluster.kubeconfigPath === undefined &&
      !cluster.delivery
    ) {
      issues.push({
        path,
        message: "give kubeconfig (contents, as a secret) or kubeconfigPath",
        hint: "or, for a cluster Pledge never contacts, delivery: {gitops: {store, ageRecipient}} (docs/gitops.md)",
      });
    }
    clusters.push({ ...cluster, configPath: path });
  });
  return clusters;
}

function parseOffers(raw: unknown, issues: Issue[]): OfferEntry[] {
  const base = "pledge:promises";
  if (raw === undefined) return [];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    issues.push({ path: base, message: "must be a map from promise name to its settings, e.g. {redis: {}}" });
    return [];
  }
  const offers: OfferEntry[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const path = keyPath(base, [name]);
    const parsed = promiseOfferSchema.safeParse(value ?? {}, { reportInput: true });
    if (!parsed.success) {
      issues.push(...fromZodIssues(path, parsed.error.issues));
      continue;
    }
    parsed.data.destinationSelectors.forEach((s, i) => checkSelector(`${path}.destinationSelectors[${i}]`, s, issues));
    offers.push({ name, offer: parsed.data, configPath: path });
  }
  return offers;
}

interface RawRequest {
  item: unknown;
  path: string;
  defaultTeam?: string;
}

function collectRawRequests(raw: RawStackConfig, issues: Issue[]): RawRequest[] {
  const out: RawRequest[] = [];
  if (raw.requests !== undefined) {
    if (!Array.isArray(raw.requests)) issues.push({ path: "pledge:requests", message: "must be a list of requests" });
    else raw.requests.forEach((item, i) => out.push({ item, path: keyPath("pledge:requests", [i]) }));
  }
  for (const { file, content } of raw.requestFiles ?? []) {
    const parsed = requestFileSchema.safeParse(content, { reportInput: true });
    if (!parsed.success) {
      // Report structure problems of the file, but keep going with what looks like requests.
      const shallow = z.object({ requests: z.array(z.unknown()) }).safeParse(content);
      const fileIssues = fromZodIssues(
        `${file}:`,
        parsed.error.issues.filter((i) => i.path[0] !== "requests" || i.path.length < 2),
      );
      issues.push(...fileIssues.map((i) => ({ ...i, path: i.path.replace(/^(.*):\./, "$1: ") })));
      if (!shallow.success) continue;
    }
    const team = (content as { team?: unknown })?.team;
    const requests = (content as { requests?: unknown[] })?.requests ?? [];
    const defaultTeam = typeof team === "string" ? team : file.replace(/^.*\//, "").replace(/\.ya?ml$/, "");
    requests.forEach((item, i) => out.push({ item, path: `${file}: requests[${i}]`, defaultTeam }));
  }
  return out;
}

function parseRequests(raw: RawStackConfig, issues: Issue[]): RequestEntry[] {
  const requests: RequestEntry[] = [];
  const seen = new Map<string, string>();
  for (const { item, path, defaultTeam } of collectRawRequests(raw, issues)) {
    const withTeam =
      defaultTeam && typeof item === "object" && item !== null && !("team" in item) ? { ...item, team: defaultTeam } : item;
    const parsed = requestSchema.safeParse(withTeam, { reportInput: true });
    if (!parsed.success) {
      issues.push(...fromZodIssues(path, parsed.error.issues));
      continue;
    }
    const r = parsed.data;
    const nameProblem = dnsLabelProblem(r.name);
    if (nameProblem) issues.push({ path: `${path}.name`, message: nameProblem });
    const teamProblem = dnsLabelProblem(r.team) ?? reservedNamespaceProblem(r.team);
    if (teamProblem)
      issues.push({ path: `${path}.team`, message: teamProblem, hint: "the team name is also its namespace on the cluster" });
    const key = `${r.promise}/${r.name}`;
    const earlier = seen.get(key);
    if (earlier)
      issues.push({
        path: `${path}.name`,
        message: `duplicate request ${JSON.stringify(r.name)} for promise ${r.promise}`,
        hint: `also at ${earlier}`,
      });
    seen.set(key, path);
    checkSelector(`${path}.selector`, r.selector, issues);
    if (r.spreadBy !== undefined) {
      const problem = validateLabelKey(r.spreadBy);
      if (problem) issues.push({ path: `${path}.spreadBy`, message: problem });
    }
    requests.push({ ...r, configPath: path });
  }
  return requests;
}

function parseTeams(raw: unknown, issues: Issue[]): TeamEntry[] | undefined {
  const base = "pledge:teams";
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    issues.push({ path: base, message: "must be a list of teams: [{name, groups, clusters, quota}, ...]" });
    return [];
  }
  const seen = new Map<string, string>();
  return raw.flatMap((item, index): TeamEntry[] => {
    const path = keyPath(base, [index]);
    const parsed = teamSchema.safeParse(item, { reportInput: true });
    if (!parsed.success) {
      issues.push(...fromZodIssues(path, parsed.error.issues));
      return [];
    }
    const team = parsed.data;
    const nameProblem = dnsLabelProblem(team.name) ?? reservedNamespaceProblem(team.name);
    if (nameProblem)
      issues.push({ path: `${path}.name`, message: nameProblem, hint: "the team name is also its namespace on the cluster" });
    const earlier = seen.get(team.name);
    if (earlier)
      issues.push({ path: `${path}.name`, message: `duplicate team ${JSON.stringify(team.name)}`, hint: `also at ${earlier}` });
    seen.set(team.name, path);
    checkSelector(`${path}.clusters`, team.clusters, issues);
    if (team.users.length === 0 && team.groups.length === 0) {
      issues.push({
        path,
        message: "names no users and no groups: nobody could use the team's namespace",
        hint: "add groups: [<your OIDC group>] or users: [...]",
      });
    }
    return [{ ...team, configPath: path }];
  });
}

function parseShards(raw: unknown, issues: Issue[]): ShardEntry[] | undefined {
  const base = "pledge:shards";
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length === 0) {
    issues.push({
      path: base,
      message: "must be a non-empty list of shards: [{name, clusters: <label selector>}, ...]",
      hint: "remove the key to keep the whole fleet in one stack",
    });
    return [];
  }
  const seen = new Map<string, string>();
  return raw.flatMap((item, index): ShardEntry[] => {
    const path = keyPath(base, [index]);
    const parsed = shardSchema.safeParse(item, { reportInput: true });
    if (!parsed.success) {
      issues.push(...fromZodIssues(path, parsed.error.issues));
      return [];
    }
    const shard = parsed.data;
    const nameProblem = dnsLabelProblem(shard.name);
    if (nameProblem)
      issues.push({ path: `${path}.name`, message: nameProblem, hint: "the shard's stack is named <stack>.<name>" });
    const earlier = seen.get(shard.name);
    if (earlier)
      issues.push({ path: `${path}.name`, message: `duplicate shard ${JSON.stringify(shard.name)}`, hint: `also at ${earlier}` });
    seen.set(shard.name, path);
    checkSelector(`${path}.clusters`, shard.clusters, issues);
    return [{ ...shard, configPath: path }];
  });
}

function parseRollout(raw: unknown, sharded: boolean, issues: Issue[]): RolloutConfig | undefined {
  const base = "pledge:rollout";
  if (raw === undefined) return undefined;
  const parsed = rolloutSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    issues.push(...fromZodIssues(base, parsed.error.issues));
    return undefined;
  }
  const rollout = parsed.data;
  if (sharded)
    issues.push({
      path: base,
      message: "cannot be used with pledge:shards yet: each shard's stack would roll out on its own",
      hint: "remove one of the two keys",
    });
  const seen = new Map<string, string>();
  rollout.waves.forEach((wave, index) => {
    const path = keyPath(base, ["waves", index]);
    const nameProblem = dnsLabelProblem(wave.name);
    if (nameProblem) issues.push({ path: `${path}.name`, message: nameProblem });
    const earlier = seen.get(wave.name);
    if (earlier)
      issues.push({ path: `${path}.name`, message: `duplicate wave ${JSON.stringify(wave.name)}`, hint: `also at ${earlier}` });
    seen.set(wave.name, path);
    checkSelector(`${path}.clusters`, wave.clusters, issues);
    if (!wave.clusters && index < rollout.waves.length - 1)
      issues.push({
        path: `${path}.clusters`,
        message: "is missing: only the last wave may leave it out (it takes every cluster no earlier wave took)",
        hint: "give this wave a label selector, e.g. {matchLabels: {env: dev}}",
      });
  });
  return rollout;
}

function parseDeletions(raw: RawStackConfig, issues: Issue[]): DeletionsConfig {
  const parsed = deletionsSchema.safeParse(raw.deletions ?? {}, { reportInput: true });
  const allowed = deletionsSchema.shape.allow.safeParse(raw.allowDelete ?? [], { reportInput: true });
  if (!allowed.success) issues.push(...fromZodIssues("--allow-delete", allowed.error.issues));
  if (!parsed.success) {
    issues.push(...fromZodIssues("pledge:deletions", parsed.error.issues));
    return { allow: [], maxShare: 0.5 };
  }
  return { ...parsed.data, allow: [...parsed.data.allow, ...(allowed.success ? allowed.data : [])] };
}

/** The stack config as typed entries, with every problem the config alone shows. */
export function parseStackConfig(raw: RawStackConfig): { config: StackConfig; issues: Issue[] } {
  const issues: Issue[] = [];
  const clusters = parseClusters(raw.clusters, issues);
  const offers = parseOffers(raw.promises, issues);
  const requests = parseRequests(raw, issues);
  const deletions = parseDeletions(raw, issues);
  const teams = parseTeams(raw.teams, issues);
  const shards = parseShards(raw.shards, issues);
  const stateStores = parseStateStores(raw.stateStores, issues);
  checkGitopsDelivery(clusters, stateStores, issues);
  const rollout = parseRollout(raw.rollout, shards !== undefined, issues);
  return {
    config: {
      clusters,
      offers,
      requests,
      deletions,
      teams,
      secretSeed: raw.secretSeed || undefined,
      shards,
      stateStores,
      rollout,
    },
    issues,
  };
}
