// parseStackConfig: raw stack config in, a typed model out, or every problem
// at once with its key path and a hint. Pure: files are read by load.ts.
import { z } from "zod";
import { isDnsLabel, validateLabelKey, validateLabelValue, type Labels } from "../core/labels";
import { matchesSelector, validateSelector, type LabelSelector } from "../core/selectors";
import type { Taint, Toleration } from "../core/taints";
import type { PledgePromise } from "../promise/define";
import { closest, fromZodIssues, keyPath, type ConfigIssue } from "./issues";
import { checkCloudCluster } from "../clusters/cloud-checks";
import { clusterTaints, derivedClusterLabels, derivedLabelProblems, isReservedLabelKey, userLabelCollisions } from "../clusters/derived";
import { clusterSchema, clusterSources, promiseOfferSchema, requestFileSchema, requestSchema, type ClusterConfig } from "./schema";

/** Raw values as read from stack config and request files (already YAML/JSON-decoded). */
export interface RawStackConfig {
  clusters?: unknown;
  promises?: unknown;
  requests?: unknown;
  /** Request files, e.g. requests/team-a.yaml, decoded. */
  requestFiles?: readonly { file: string; content: unknown }[];
}

/** Labels every cluster gets from Pledge itself; users cannot set them. */
export const derivedLabelPrefix = "pledge.dev/";

export type ClusterModel = ClusterConfig & {
  /** User labels plus derived ones. */
  labels: Labels;
  clusterIdentifier: string;
  /** Key path of this cluster in config, for messages. */
  configPath: string;
};

export interface OfferedPromise {
  promise: PledgePromise<unknown>;
  selectors: LabelSelector[];
  tolerations: Toleration[];
  placement: { count: number; spreadBy?: string };
}

export interface RequestModel {
  promise: string;
  name: string;
  team: string;
  namespace: string;
  spec: unknown;
  selector?: LabelSelector;
  count?: number;
  spreadBy?: string;
  pin?: string[];
  configPath: string;
}

export interface StackModel {
  clusters: ClusterModel[];
  promises: OfferedPromise[];
  requests: RequestModel[];
}

export type ParseResult = { ok: true; model: StackModel } | { ok: false; issues: ConfigIssue[] };

function dnsLabelProblem(value: string): string | undefined {
  if (!isDnsLabel(value)) return `${JSON.stringify(value)} must be a DNS label: lowercase letters, digits and '-', starting and ending alphanumeric, at most 63 characters`;
  return undefined;
}

/** Namespaces a team cannot own: Kubernetes' own and those promises install into (pledge-*). */
function reservedNamespaceProblem(team: string): string | undefined {
  if (team === "default" || team.startsWith("kube-") || team.startsWith("pledge-")) {
    return `${JSON.stringify(team)} is reserved (default, kube-*, pledge-* belong to Kubernetes and to promises)`;
  }
  return undefined;
}

function derivedLabels(cluster: ClusterConfig): Record<string, string> {
  return Object.fromEntries(derivedClusterLabels(cluster).map((l) => [l.key, l.value]));
}

function checkLabels(path: string, labels: Record<string, string>, issues: ConfigIssue[]): void {
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = validateLabelKey(key);
    if (keyProblem) issues.push({ path: keyPath(path, [key]), message: keyProblem });
    const valueProblem = validateLabelValue(value);
    if (valueProblem) issues.push({ path: keyPath(path, [key]), message: valueProblem });
    if (key.startsWith(derivedLabelPrefix)) {
      issues.push({ path: keyPath(path, [key]), message: `labels under ${derivedLabelPrefix} are set by Pledge`, hint: "use another prefix" });
    }
  }
}

function checkSelector(path: string, selector: LabelSelector | undefined, issues: ConfigIssue[]): void {
  if (!selector) return;
  for (const problem of validateSelector(selector)) {
    const [where, ...rest] = problem.split(": ");
    issues.push({ path: `${path}.${where}`, message: rest.join(": ") });
  }
}

function labelSummary(clusters: readonly ClusterModel[], selector: LabelSelector): string {
  const keys = new Set([...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((e) => e.key)]);
  const parts = [...keys].sort().map((key) => {
    const values = [...new Set(clusters.map((c) => c.labels[key]).filter((v): v is string => v !== undefined))].sort();
    return values.length > 0 ? `${key}: ${values.join(", ")}` : `no cluster has ${key}`;
  });
  return parts.length > 0 ? `clusters have ${parts.join("; ")}` : "check the selector";
}

function parseClusters(raw: unknown, issues: ConfigIssue[]): ClusterModel[] {
  const base = "pledge:clusters";
  if (raw === undefined) {
    issues.push({ path: base, message: "is required: the fleet has no clusters", hint: "add at least one, e.g. {name: local-1, source: local}" });
    return [];
  }
  if (!Array.isArray(raw)) {
    issues.push({ path: base, message: "must be a list of clusters" });
    return [];
  }
  const clusters: ClusterModel[] = [];
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
        message: source === undefined ? "is required" : `${typeof source === "string" ? JSON.stringify(source) : `a ${typeof source}`} is not one of ${clusterSources.join(", ")}`,
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
    if (previous !== undefined) issues.push({ path: `${path}.name`, message: `duplicate cluster name ${JSON.stringify(cluster.name)}`, hint: `also at pledge:clusters[${previous}]` });
    seen.set(cluster.name, index);
    cluster.taints.forEach((taint, t) => {
      const keyProblem = validateLabelKey(taint.key);
      if (keyProblem) issues.push({ path: `${path}.taints[${t}].key`, message: keyProblem });
    });
    if (cluster.source === "kubeconfig" && (cluster.kubeconfig === undefined) === (cluster.kubeconfigPath === undefined)) {
      issues.push({ path, message: "give exactly one of kubeconfig (contents, as a secret) or kubeconfigPath" });
    }
    const before = issues.length;
    if (cluster.source === "eks" || cluster.source === "aks" || cluster.source === "gke") checkCloudCluster(cluster, path, issues);
    const cloudFieldsOk = issues.length === before;
    const derived = derivedClusterLabels(cluster);
    const derivedKeys = new Set(derived.map((d) => d.key));
    checkLabels(`${path}.labels`, Object.fromEntries(Object.entries(cluster.labels).filter(([key]) => !isReservedLabelKey(key) && !derivedKeys.has(key))), issues);
    issues.push(...userLabelCollisions(path, cluster.labels, derived));
    // A field that failed its own check above would only be reported again.
    if (cloudFieldsOk) issues.push(...derivedLabelProblems(path, derived));
    clusters.push({
      ...cluster,
      labels: { ...cluster.labels, ...derivedLabels(cluster) },
      taints: clusterTaints(cluster),
      clusterIdentifier: cluster.clusterIdentifier ?? cluster.name,
      configPath: path,
    });
  });
  return clusters;
}

function parsePromises(raw: unknown, catalogue: readonly PledgePromise<unknown>[], clusters: ClusterModel[], issues: ConfigIssue[]): OfferedPromise[] {
  const base = "pledge:promises";
  if (raw === undefined) return [];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    issues.push({ path: base, message: "must be a map from promise name to its settings, e.g. {redis: {}}" });
    return [];
  }
  const known = catalogue.map((p) => p.name);
  const offered: OfferedPromise[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const path = keyPath(base, [name]);
    const promise = catalogue.find((p) => p.name === name);
    if (!promise) {
      const guess = closest(name, known);
      issues.push({ path, message: `unknown promise ${JSON.stringify(name)}`, hint: guess ? `did you mean ${guess}? known: ${known.join(", ")}` : `known: ${known.join(", ")}` });
      continue;
    }
    const parsed = promiseOfferSchema.safeParse(value ?? {}, { reportInput: true });
    if (!parsed.success) {
      issues.push(...fromZodIssues(path, parsed.error.issues));
      continue;
    }
    const offer = parsed.data;
    offer.destinationSelectors.forEach((s, i) => {
      const selectorPath = `${path}.destinationSelectors[${i}]`;
      const before = issues.length;
      checkSelector(selectorPath, s, issues);
      if (issues.length === before && clusters.length > 0 && !clusters.some((c) => matchesSelector(c.labels, s))) {
        issues.push({ path: selectorPath, message: "matches no cluster", hint: labelSummary(clusters, s) });
      }
    });
    offered.push({
      promise,
      selectors: [...promise.destinationSelectors, ...offer.destinationSelectors],
      tolerations: [...promise.tolerations, ...offer.tolerations],
      placement: { count: offer.placement.count ?? promise.placement.count, spreadBy: offer.placement.spreadBy ?? promise.placement.spreadBy },
    });
  }
  for (const o of offered) {
    for (const required of o.promise.requires) {
      if (!offered.some((x) => x.promise.name === required)) {
        issues.push({ path: keyPath(base, [o.promise.name]), message: `requires promise ${required}, which this stack does not offer`, hint: `add ${required}: {} to pledge:promises` });
      }
    }
  }
  return offered.sort((a, b) => a.promise.name.localeCompare(b.promise.name));
}

interface RawRequest {
  item: unknown;
  path: string;
  defaultTeam?: string;
}

function collectRawRequests(raw: RawStackConfig, issues: ConfigIssue[]): RawRequest[] {
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
      const fileIssues = fromZodIssues(`${file}:`, parsed.error.issues.filter((i) => i.path[0] !== "requests" || i.path.length < 2));
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

function parseRequests(raw: RawStackConfig, offered: OfferedPromise[], clusters: ClusterModel[], issues: ConfigIssue[]): RequestModel[] {
  const requests: RequestModel[] = [];
  const seen = new Map<string, string>();
  const offeredNames = offered.map((o) => o.promise.name);
  for (const { item, path, defaultTeam } of collectRawRequests(raw, issues)) {
    const withTeam = defaultTeam && typeof item === "object" && item !== null && !("team" in item) ? { ...item, team: defaultTeam } : item;
    const parsed = requestSchema.safeParse(withTeam, { reportInput: true });
    if (!parsed.success) {
      issues.push(...fromZodIssues(path, parsed.error.issues));
      continue;
    }
    const r = parsed.data;
    const offer = offered.find((o) => o.promise.name === r.promise);
    if (!offer) {
      const guess = closest(r.promise, offeredNames);
      issues.push({
        path: `${path}.promise`,
        message: `unknown promise ${JSON.stringify(r.promise)}`,
        hint: offeredNames.length === 0 ? "this stack offers no promises; add them under pledge:promises" : guess ? `did you mean ${guess}? offered: ${offeredNames.join(", ")}` : `offered: ${offeredNames.join(", ")}`,
      });
    }
    const nameProblem = dnsLabelProblem(r.name);
    if (nameProblem) issues.push({ path: `${path}.name`, message: nameProblem });
    const teamProblem = dnsLabelProblem(r.team) ?? reservedNamespaceProblem(r.team);
    if (teamProblem) issues.push({ path: `${path}.team`, message: teamProblem, hint: "the team name is also its namespace on the cluster" });
    const key = `${r.promise}/${r.name}`;
    const earlier = seen.get(key);
    if (earlier) issues.push({ path: `${path}.name`, message: `duplicate request ${JSON.stringify(r.name)} for promise ${r.promise}`, hint: `also at ${earlier}` });
    seen.set(key, path);
    let spec: unknown = r.spec;
    if (offer) {
      const specResult = offer.promise.parseSpec(r.spec, `${path}.spec`);
      if (specResult.ok) spec = specResult.spec;
      else issues.push(...specResult.issues);
    }
    const before = issues.length;
    checkSelector(`${path}.selector`, r.selector, issues);
    if (r.selector && issues.length === before && clusters.length > 0 && !clusters.some((c) => matchesSelector(c.labels, r.selector!))) {
      issues.push({ path: `${path}.selector`, message: "matches no cluster", hint: labelSummary(clusters, r.selector) });
    }
    if (r.spreadBy !== undefined) {
      const problem = validateLabelKey(r.spreadBy);
      if (problem) issues.push({ path: `${path}.spreadBy`, message: problem });
    }
    (r.pin ?? []).forEach((name, i) => {
      if (!clusters.some((c) => c.name === name)) {
        const guess = closest(name, clusters.map((c) => c.name));
        issues.push({ path: `${path}.pin[${i}]`, message: `unknown cluster ${JSON.stringify(name)}`, hint: guess ? `did you mean ${guess}?` : `clusters: ${clusters.map((c) => c.name).join(", ")}` });
      }
    });
    requests.push({ ...r, spec, namespace: r.team, configPath: path });
  }
  return requests;
}

/** The whole stack config as a typed model, or every problem found. */
export function parseStackConfig(raw: RawStackConfig, catalogue: readonly PledgePromise<unknown>[]): ParseResult {
  const issues: ConfigIssue[] = [];
  const clusters = parseClusters(raw.clusters, issues);
  const promises = parsePromises(raw.promises, catalogue, clusters, issues);
  const requests = parseRequests(raw, promises, clusters, issues);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, model: { clusters, promises, requests } };
}

export type { ConfigIssue, Taint };
