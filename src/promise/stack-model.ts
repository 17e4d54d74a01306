// The stack model: the typed config bound to the fleet model and the
// catalogue. Here a request's spec is checked against its promise's schema,
// selectors are checked against the clusters' real labels (a selector that
// matches no cluster is a mistake worth stopping for), and each offered promise
// gets its selectors, tolerations and placement defaults. Pure.
import type { StateStoreEntry } from "../config/state-stores";
import { parseStackConfig, type OfferEntry, type RawStackConfig, type RequestEntry, type TeamEntry } from "../config/parse";
import type { DeletionsConfig, RolloutConfig } from "../config/schema";
import { assignWaves, type Wave } from "../fleet/waves";
import { buildFleet, type ClusterModel } from "../fleet/model";
import { assignShards, type ShardModel } from "../fleet/shards";
import { closest, keyPath, type Issue } from "../issues";
import { compareText } from "../labels/ordering";
import { andSelectors, matchesSelector, validateSelector, type LabelSelector } from "../labels/selectors";
import type { Toleration } from "../labels/taints";
import type { FleetFacts } from "../core/placement";
import { expandParts } from "./compose";
import type { PledgePromise } from "./define";
import type { OfferedPromise, RequestModel } from "./model-types";

export type { OfferedPromise, PartOf, RequestModel } from "./model-types";

export interface StackModel {
  clusters: ClusterModel[];
  promises: OfferedPromise[];
  requests: RequestModel[];
  deletions: DeletionsConfig;
  /** The declared teams, or undefined when the stack declares none. */
  teams: TeamEntry[] | undefined;
  /** Seed of generated passwords (pledge:secretSeed). */
  secretSeed: string | undefined;
  /** The stacks the fleet is split into (pledge:shards), or undefined when one stack holds it all. */
  shards: ShardModel[] | undefined;
  /** Git repositories Git-delivered clusters read (pledge:stateStores). */
  stateStores: StateStoreEntry[];
  /** Staged rollouts (pledge:rollout) with each wave's clusters, or undefined when a change goes everywhere at once. */
  rollout: { config: RolloutConfig; waves: Wave[] } | undefined;
}

export type StackModelResult = { ok: true; model: StackModel } | { ok: false; issues: Issue[] };

/**
 * A check over the promises a stack offers, in the config's order, from a layer
 * above this one (Kratix requiredPromises); its issues follow the catalogue's own.
 */
export type OfferCheck = (offered: readonly PledgePromise<unknown>[]) => Issue[];

/** "clusters have region: eu, us" for a selector that matches nothing, so the user sees what they could have meant. */
function labelSummary(clusters: readonly ClusterModel[], selector: LabelSelector): string {
  const keys = new Set([...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((e) => e.key)]);
  const parts = [...keys].sort().map((key) => {
    const values = [...new Set(clusters.map((c) => c.labels[key]).filter((v): v is string => v !== undefined))].sort();
    return values.length > 0 ? `${key}: ${values.join(", ")}` : `no cluster has ${key}`;
  });
  return parts.length > 0 ? `clusters have ${parts.join("; ")}` : "check the selector";
}

function checkMatchesSomeCluster(
  path: string,
  selector: LabelSelector,
  clusters: readonly ClusterModel[],
  issues: Issue[],
): void {
  if (clusters.length > 0 && !clusters.some((c) => matchesSelector(c.labels, selector))) {
    issues.push({ path, message: "matches no cluster", hint: labelSummary(clusters, selector) });
  }
}

function bindOffers(
  offers: readonly OfferEntry[],
  catalogue: readonly PledgePromise<unknown>[],
  clusters: readonly ClusterModel[],
  offerChecks: readonly OfferCheck[],
  issues: Issue[],
): OfferedPromise[] {
  const known = catalogue.map((p) => p.name);
  const offered: OfferedPromise[] = [];
  for (const { name, offer, configPath } of offers) {
    const promise = catalogue.find((p) => p.name === name);
    if (!promise) {
      const guess = closest(name, known);
      issues.push({
        path: configPath,
        message: `unknown promise ${JSON.stringify(name)}`,
        hint: guess ? `did you mean ${guess}? known: ${known.join(", ")}` : `known: ${known.join(", ")}`,
      });
      continue;
    }
    offer.destinationSelectors.forEach((s, i) =>
      checkMatchesSomeCluster(`${configPath}.destinationSelectors[${i}]`, s, clusters, issues),
    );
    offered.push({
      promise,
      selectors: [...promise.destinationSelectors, ...offer.destinationSelectors],
      tolerations: [...promise.tolerations, ...offer.tolerations],
      placement: {
        count: offer.placement.count ?? promise.placement.count,
        spreadBy: offer.placement.spreadBy ?? promise.placement.spreadBy,
      },
    });
  }
  for (const o of offered) {
    for (const required of o.promise.requires) {
      if (!offered.some((x) => x.promise.name === required)) {
        issues.push({
          path: keyPath("pledge:promises", [o.promise.name]),
          message: `requires promise ${required}, which this stack does not offer`,
          hint: `add ${required}: {} to pledge:promises`,
        });
      }
    }
  }
  for (const check of offerChecks) issues.push(...check(offered.map((o) => o.promise)));
  return offered.sort((a, b) => compareText(a.promise.name, b.promise.name));
}

/**
 * A declared team may only use the clusters its selector allows: a request
 * that could only land elsewhere is the config's mistake, stopped here, so a
 * mistyped selector never reaches another team's cluster. Returns the request's
 * selector narrowed to the team's clusters.
 */
function bindTeam(
  r: RequestEntry,
  selector: LabelSelector | undefined,
  teams: readonly TeamEntry[] | undefined,
  clusters: readonly ClusterModel[],
  issues: Issue[],
): LabelSelector | undefined {
  if (!teams) return selector;
  const path = r.configPath;
  const team = teams.find((t) => t.name === r.team);
  if (!team) {
    const names = teams.map((t) => t.name);
    const guess = closest(r.team, names);
    issues.push({
      path: `${path}.team`,
      message: `unknown team ${JSON.stringify(r.team)}`,
      hint:
        names.length === 0
          ? "declare it under pledge:teams"
          : guess
            ? `did you mean ${guess}? teams: ${names.join(", ")}`
            : `teams: ${names.join(", ")} (or declare it under pledge:teams)`,
    });
    return selector;
  }
  if (!team.clusters) return selector;
  const allowed = clusters.filter((c) => matchesSelector(c.labels, team.clusters!)).map((c) => c.name);
  const mayUse = `${team.name} may use ${allowed.join(", ") || "no cluster"} (pledge:teams ${team.name}.clusters)`;
  (r.pin ?? []).forEach((name, i) => {
    if (clusters.some((c) => c.name === name) && !allowed.includes(name)) {
      issues.push({
        path: `${path}.pin[${i}]`,
        message: `cluster ${name} is not one of team ${team.name}'s clusters`,
        hint: mayUse,
      });
    }
  });
  if (!r.pin && selector) {
    const wanted = clusters.filter((c) => matchesSelector(c.labels, selector)).map((c) => c.name);
    if (wanted.length > 0 && !wanted.some((c) => allowed.includes(c))) {
      issues.push({
        path: `${path}.selector`,
        message: `matches only clusters team ${team.name} may not use (${wanted.join(", ")})`,
        hint: mayUse,
      });
    }
  }
  return andSelectors(selector, team.clusters);
}

function bindRequests(
  entries: readonly RequestEntry[],
  offered: readonly OfferedPromise[],
  clusters: readonly ClusterModel[],
  teams: readonly TeamEntry[] | undefined,
  issues: Issue[],
): RequestModel[] {
  const offeredNames = offered.map((o) => o.promise.name);
  return entries.map((r): RequestModel => {
    const path = r.configPath;
    const offer = offered.find((o) => o.promise.name === r.promise);
    let spec: unknown = r.spec;
    let selector = r.selector;
    if (!offer) {
      const guess = closest(r.promise, offeredNames);
      issues.push({
        path: `${path}.promise`,
        message: `unknown promise ${JSON.stringify(r.promise)}`,
        hint:
          offeredNames.length === 0
            ? "this stack offers no promises; add them under pledge:promises"
            : guess
              ? `did you mean ${guess}? offered: ${offeredNames.join(", ")}`
              : `offered: ${offeredNames.join(", ")}`,
      });
    } else {
      const specResult = offer.promise.parseSpec(r.spec, `${path}.spec`);
      if (specResult.ok) {
        spec = specResult.spec;
        const extra = offer.promise.requestSelector?.({
          password: () => {
            throw new Error("a placement selector cannot use passwords");
          },
          promise: r.promise,
          name: r.name,
          team: r.team,
          namespace: r.team,
          spec,
        });
        const problems = extra ? validateSelector(extra) : [];
        for (const problem of problems)
          issues.push({ kind: "promise", path: `${path}.spec`, message: `the promise's placement selector for it: ${problem}` });
        if (problems.length === 0) selector = andSelectors(r.selector, extra);
      } else issues.push(...specResult.issues);
    }
    if (r.selector) checkMatchesSomeCluster(`${path}.selector`, r.selector, clusters, issues);
    (r.pin ?? []).forEach((name, i) => {
      if (!clusters.some((c) => c.name === name)) {
        const guess = closest(
          name,
          clusters.map((c) => c.name),
        );
        issues.push({
          path: `${path}.pin[${i}]`,
          message: `unknown cluster ${JSON.stringify(name)}`,
          hint: guess ? `did you mean ${guess}?` : `clusters: ${clusters.map((c) => c.name).join(", ")}`,
        });
      }
    });
    selector = bindTeam(r, selector, teams, clusters, issues);
    return { ...r, ...(selector ? { selector } : {}), spec, namespace: r.team };
  });
}

function checkTeams(teams: readonly TeamEntry[] | undefined, clusters: readonly ClusterModel[], issues: Issue[]): void {
  for (const team of teams ?? []) {
    if (team.clusters) checkMatchesSomeCluster(`${team.configPath}.clusters`, team.clusters, clusters, issues);
  }
}

/**
 * The whole stack as a typed model, or every problem found: the config's own,
 * the fleet's, and those against the catalogue, in the order of the config.
 */
export function buildStackModel(
  raw: RawStackConfig,
  catalogue: readonly PledgePromise<unknown>[],
  offerChecks: readonly OfferCheck[] = [],
): StackModelResult {
  const { config, issues: configIssues } = parseStackConfig(raw);
  const fleet = buildFleet(config.clusters);
  const issues: Issue[] = [...configIssues, ...fleet.issues];
  // A selector with broken syntax was reported already; matching it against clusters would only repeat that.
  const brokenSelectors = new Set(configIssues.map((i) => i.path.replace(/\.(matchLabels|matchExpressions).*$/, "")));
  const offers = config.offers.map((o) => ({
    ...o,
    offer: {
      ...o.offer,
      destinationSelectors: o.offer.destinationSelectors.filter(
        (_, i) => !brokenSelectors.has(`${o.configPath}.destinationSelectors[${i}]`),
      ),
    },
  }));
  const requests = config.requests.map((r) =>
    r.selector && brokenSelectors.has(`${r.configPath}.selector`) ? { ...r, selector: undefined } : r,
  );
  const promises = bindOffers(offers, catalogue, fleet.clusters, offerChecks, issues);
  const teams = config.teams?.map((t) =>
    t.clusters && brokenSelectors.has(`${t.configPath}.clusters`) ? { ...t, clusters: undefined } : t,
  );
  checkTeams(teams, fleet.clusters, issues);
  // A shard with a broken selector was reported already: which clusters it holds cannot be said.
  const shardsReadable = !config.shards?.some((s) => brokenSelectors.has(`${s.configPath}.clusters`));
  const shards = shardsReadable ? assignShards(config.shards, fleet.clusters, issues) : undefined;
  const wavesReadable = !config.rollout?.waves.some((_, i) => brokenSelectors.has(`pledge:rollout.waves[${i}].clusters`));
  const rollout = config.rollout && wavesReadable ? assignWaves(config.rollout, fleet.clusters) : undefined;
  issues.push(...(rollout?.issues ?? []));
  // Compound requests bring their parts: requests of their own, placed like any other.
  const bound = expandParts(bindRequests(requests, promises, fleet.clusters, teams, issues), promises, teams, issues);
  return issues.length > 0
    ? { ok: false, issues: inConfigOrder(issues) }
    : {
        ok: true,
        model: {
          clusters: fleet.clusters,
          promises,
          requests: bound,
          deletions: config.deletions,
          teams,
          secretSeed: config.secretSeed,
          shards,
          stateStores: config.stateStores,
          rollout: config.rollout && rollout ? { config: config.rollout, waves: rollout.waves } : undefined,
        },
      };
}

/** Issues sorted by where they are in the config (clusters, promises, requests, then request files), stable within one place. */
function inConfigOrder(issues: readonly Issue[]): Issue[] {
  const rank = (path: string): [number, number, string] => {
    const sections = [
      "pledge:clusters",
      "pledge:stateStores",
      "pledge:shards",
      "pledge:rollout",
      "pledge:teams",
      "pledge:promises",
      "pledge:requests",
    ];
    const section = sections.findIndex((s) => path.startsWith(s));
    const index = /^[^[]*\[(\d+)\]/.exec(path);
    return [section === -1 ? sections.length : section, index ? Number(index[1]) : -1, section === -1 ? path.split(":")[0]! : ""];
  };
  return issues
    .map((issue, order) => ({ issue, order, rank: rank(issue.path) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || compareText(a.rank[2], b.rank[2]) || a.rank[1] - b.rank[1] || a.order - b.order)
    .map((x) => x.issue);
}

/** What placement decides from, as the stack model says it (previous placement aside), and which clusters are unreachable now. */
export function placementFacts(
  model: StackModel,
  unreachable: ReadonlyMap<string, string> = new Map(),
): Omit<FleetFacts, "previous"> {
  return {
    clusters: model.clusters.map((c) => ({
      name: c.name,
      labels: c.labels,
      taints: c.taints,
      capacity: c.capacity,
      unreachable: unreachable.get(c.name),
    })),
    promises: model.promises.map((p) => ({
      name: p.promise.name,
      selectors: p.selectors,
      tolerations: p.tolerations,
      requires: p.promise.requires,
      defaults: p.placement,
    })),
    requests: model.requests.map((r) => ({
      promise: r.promise,
      name: r.name,
      selector: r.selector,
      count: r.count,
      spreadBy: r.spreadBy,
      pin: r.pin,
      ...(r.parent ? { parent: r.parent } : {}),
    })),
  };
}
