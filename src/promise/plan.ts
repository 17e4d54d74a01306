// The render plan: placement decisions turned into the exact objects each
// cluster gets, with their order (CRDs and namespaces first, then charts and
// YAML files, then the rest), before a single resource is registered. Pure: a
// broken render or two owners of one object is an error here, and nothing has
// been applied.
import type { FleetPlacement } from "../core/outcome";
import type { Labels } from "../labels/labels";
import type { Issue } from "../issues";
import type { TeamEntry } from "../config/parse";
import type { RequestOutputs, RequestView } from "./define";
import { wireParts } from "./part-wiring";
import { derivePassword, SecretSeedMissing } from "./passwords";
import type { OfferedPromise, RequestModel } from "./stack-model";
import { promiseLabel, requestLabel, teamEnvironment, teamLabel, withPledgeLabels } from "./team-environment";
import { blockId, blockProblems, describeBlock, isBuildingBlock, type BuildingBlock, type RenderedItem } from "./blocks";
import { isCustomResourceDefinition, isNamespace, manifestProblems, objectId, type ClusterView, type Manifest } from "./manifest";

export type ObjectOwner =
  | { kind: "team"; team: string }
  | { kind: "dependency"; promise: string }
  | { kind: "request"; promise: string; request: string };

export interface PlannedObject {
  /** Pulumi resource name: unique in the stack and stable while the object stays. */
  resourceName: string;
  cluster: string;
  /** A raw manifest, or a chart / YAML file whose objects the provider renders on the cluster. */
  content: RenderedItem;
  owner: ObjectOwner;
  /** Resource names that must exist first (same cluster, except the source of a credentials copy). */
  dependsOn: string[];
  /** A compound request's copy of a part's credentials: the source Secret's resource name, whose live data it takes. */
  secretDataFrom?: string;
}

export interface RenderPlan {
  /** Every object, in groups: team environments (namespace, RBAC, quota, network policy), promise dependencies, requests. */
  objects: PlannedObject[];
  /** What each request tells its team, per cluster it landed on (the promise's declared outputs). */
  outputs: Map<string, Record<string, RequestOutputs>>;
}

function ownerLabel(owner: ObjectOwner): string {
  switch (owner.kind) {
    case "team":
      return `the environment of team ${owner.team}`;
    case "dependency":
      return `dependencies of promise ${owner.promise}`;
    case "request":
      return `request ${owner.promise}/${owner.request}`;
  }
}

/** Objects that others in the same group wait for: CRDs (their kinds) and namespaces (their contents). */
function isFoundation(content: RenderedItem): boolean {
  return !isBuildingBlock(content) && (isCustomResourceDefinition(content) || isNamespace(content));
}

/**
 * Order within one group (a promise's dependencies, or one request, on one
 * cluster): foundations first; charts and YAML files next, since they often
 * bring the CRDs and operators the remaining manifests configure; the rest last.
 */
function orderGroup(objects: PlannedObject[], baseDependsOn: string[]): void {
  const foundations = objects.filter((o) => isFoundation(o.content)).map((o) => o.resourceName);
  const blocks = objects.filter((o) => isBuildingBlock(o.content)).map((o) => o.resourceName);
  for (const o of objects) {
    if (isFoundation(o.content)) o.dependsOn = [...baseDependsOn];
    else if (isBuildingBlock(o.content)) o.dependsOn = [...baseDependsOn, ...foundations];
    else o.dependsOn = [...baseDependsOn, ...foundations, ...blocks];
  }
}

/** Kind/namespace/name of a manifest, or the block's own identity. */
export function contentId(content: RenderedItem): string {
  return isBuildingBlock(content) ? blockId(content) : objectId(content);
}

function contentProblems(content: RenderedItem): string[] {
  if (typeof content !== "object" || content === null) return ["is not an object"];
  return isBuildingBlock(content) ? blockProblems(content) : manifestProblems(content);
}

/** One object (or block) claimed on a cluster, for the ownership check. */
export interface Claim {
  cluster: string;
  /** Kind/namespace/name, or a block's identity. */
  id: string;
  owner: ObjectOwner;
  /** The chart or YAML file the object came from, when it came from one. */
  via?: BuildingBlock;
}

/** One owner per object on a cluster: two owners would fight over it. Issues name both. */
export function ownershipIssues(claims: readonly Claim[]): Issue[] {
  const issues: Issue[] = [];
  const owners = new Map<string, Claim>();
  const who = (c: Claim) => `${ownerLabel(c.owner)}${c.via ? ` (through its ${describeBlock(c.via)})` : ""}`;
  for (const claim of claims) {
    const key = `${claim.cluster}|${claim.id}`;
    const existing = owners.get(key);
    if (!existing) {
      owners.set(key, claim);
      continue;
    }
    // Two requests of one name in a team's namespace are the config's to fix; anything else is the promise's.
    const requestNaming = claim.owner.kind === "request" && !claim.via;
    issues.push({
      kind: requestNaming ? "config" : "promise",
      path: claim.owner.kind === "request" ? `request ${claim.owner.promise}/${claim.owner.request}` : ownerLabel(claim.owner),
      message: `renders ${claim.id} on ${claim.cluster}${claim.via ? ` through its ${describeBlock(claim.via)}` : ""}, which ${who(existing)} already owns`,
      hint: requestNaming ? "give the request another name or team" : "rename the object in the promise",
    });
  }
  return issues;
}

/** Claims of what the plan itself holds: team environments, manifests, and each block as a whole. */
export function planClaims(plan: RenderPlan): Claim[] {
  return plan.objects.map((o): Claim => ({ cluster: o.cluster, id: contentId(o.content), owner: o.owner }));
}

/**
 * Claims of the objects inside charts and YAML files, once they are known
 * (rendered by the provider, or read from the file): `expanded` maps a block's
 * resource name to its objects.
 */
export function expandedClaims(plan: RenderPlan, expanded: ReadonlyMap<string, readonly Manifest[]>): Claim[] {
  return plan.objects.flatMap((o) => {
    const objects = expanded.get(o.resourceName);
    if (!objects || !isBuildingBlock(o.content)) return [];
    const via = o.content;
    return objects.map((m): Claim => ({ cluster: o.cluster, id: objectId(m), owner: o.owner, via }));
  });
}

/** A render that threw: the stack's missing seed is the config's to fix, anything else the promise's. */
function renderFailure(what: string, err: unknown): Issue {
  if (err instanceof SecretSeedMissing) return { path: "pledge:secretSeed", message: err.message, hint: err.hint };
  return {
    kind: "promise",
    path: what,
    message: `render failed: ${err instanceof Error ? err.message : String(err)}`,
    hint: "this is a bug in the promise",
  };
}

/** A request's declared outputs on one cluster; a throw is reported like a failed render. */
function declaredOutputsOf(issues: Issue[], what: string, fn: () => RequestOutputs | undefined): RequestOutputs | undefined {
  try {
    return fn();
  } catch (err) {
    issues.push(renderFailure(what, err));
    return undefined;
  }
}

function describeItem(item: RenderedItem): string {
  if (typeof item !== "object" || item === null) return "?";
  return isBuildingBlock(item) ? item.block : (item.kind ?? "?");
}

/**
 * Request placements with parts before their parents (the deepest first),
 * otherwise in placement order: a parent's render needs its parts' addresses,
 * and its credentials copies need their Secrets registered first.
 */
export function partsFirst<T extends { key: string }>(placements: readonly T[], requests: readonly RequestModel[]): T[] {
  const byKey = new Map(requests.map((r) => [`${r.promise}/${r.name}`, r]));
  const depth = (request: RequestModel | undefined): number => (request?.parent ? 1 + depth(byKey.get(request.parent.key)) : 0);
  return [...placements].sort((a, b) => depth(byKey.get(b.key)) - depth(byKey.get(a.key)));
}

export interface PlanInput {
  clusters: readonly { name: string; labels: Labels }[];
  promises: readonly OfferedPromise[];
  requests: readonly RequestModel[];
  placement: FleetPlacement;
  /** The declared teams (pledge:teams); undefined: a team is its namespace only. */
  teams?: readonly TeamEntry[];
  /** Seed of the passwords promises generate (pledge:secretSeed). */
  secretSeed?: string;
}

export function planObjects(input: PlanInput): { plan: RenderPlan; issues: Issue[] } {
  const issues: Issue[] = [];
  const views = new Map<string, ClusterView>(input.clusters.map((c) => [c.name, { name: c.name, labels: c.labels }]));
  const objects: PlannedObject[] = [];
  const dependencyNames = new Map<string, string[]>(); // `${promise}@${cluster}` -> resource names

  const render = (what: string, fn: () => RenderedItem[]): RenderedItem[] => {
    try {
      const items = fn();
      if (!Array.isArray(items)) {
        issues.push({
          kind: "promise",
          path: what,
          message: "did not return a list of manifests, charts and YAML files",
          hint: "this is a bug in the promise",
        });
        return [];
      }
      const bad = items.flatMap((m, i) => contentProblems(m).map((p) => `object ${i} (${describeItem(m)}): ${p}`));
      if (bad.length > 0) {
        issues.push({
          kind: "promise",
          path: what,
          message: `rendered invalid objects: ${bad.join("; ")}`,
          hint: "this is a bug in the promise",
        });
        return [];
      }
      return items;
    } catch (err) {
      issues.push(renderFailure(what, err));
      return [];
    }
  };

  for (const pp of input.placement.promises) {
    const offered = input.promises.find((p) => p.promise.name === pp.promise);
    if (!offered) continue;
    for (const clusterName of pp.eligible) {
      const cluster = views.get(clusterName)!;
      const group = render(`promise ${pp.promise} dependencies on ${clusterName}`, () =>
        offered.promise.dependencies(cluster),
      ).map((content): PlannedObject => ({
        resourceName: `${pp.promise}@${clusterName}/${contentId(content)}`,
        cluster: clusterName,
        content: isBuildingBlock(content) ? content : withPledgeLabels(content, { [promiseLabel]: pp.promise }),
        owner: { kind: "dependency", promise: pp.promise },
        dependsOn: [],
      }));
      orderGroup(group, []);
      dependencyNames.set(
        `${pp.promise}@${clusterName}`,
        group.map((o) => o.resourceName),
      );
      objects.push(...group);
    }
  }

  // Each team's environment once per cluster it uses, before anything of its requests.
  const environments = new Map<string, string[]>(); // `${cluster}/${namespace}` -> resource names
  const environmentOf = (clusterName: string, request: RequestModel): string[] => {
    const key = `${clusterName}/${request.namespace}`;
    const known = environments.get(key);
    if (known) return known;
    const team = input.teams?.find((t) => t.name === request.team);
    const group = teamEnvironment(request.namespace, team).map((content): PlannedObject => ({
      // The namespace keeps the name it always had (`<cluster>/Namespace/<team>`), so existing stacks keep it.
      resourceName: `${clusterName}/${objectId(content)}`,
      cluster: clusterName,
      content,
      owner: { kind: "team", team: request.namespace },
      dependsOn: [],
    }));
    orderGroup(group, []);
    objects.push(...group);
    const names = group.map((o) => o.resourceName);
    environments.set(key, names);
    return names;
  };

  const outputs = new Map<string, Record<string, RequestOutputs>>();
  const requestsByKey = new Map(input.requests.map((r) => [`${r.promise}/${r.name}`, r]));
  const offeredByName = new Map(input.promises.map((p) => [p.promise.name, p]));
  const viewOf = (request: RequestModel): RequestView<unknown> => ({
    promise: request.promise,
    name: request.name,
    team: request.team,
    namespace: request.namespace,
    spec: request.spec,
    password: (purpose) => derivePassword(input.secretSeed, `${request.promise}/${request.name}`, purpose),
  });
  const declaredOutputs = new Map<string, RequestOutputs | undefined>();
  const outputsOf = (request: RequestModel, clusterName: string): RequestOutputs | undefined => {
    const key = `${request.promise}/${request.name}|${clusterName}`;
    if (!declaredOutputs.has(key)) {
      const offered = offeredByName.get(request.promise)!;
      declaredOutputs.set(
        key,
        declaredOutputsOf(issues, `${request.configPath} (${request.promise}/${request.name} on ${clusterName})`, () =>
          offered.promise.outputs(viewOf(request), views.get(clusterName)!),
        ),
      );
    }
    return declaredOutputs.get(key);
  };
  const partsOf = new Map<string, RequestModel[]>();
  for (const r of input.requests) if (r.parent) partsOf.set(r.parent.key, [...(partsOf.get(r.parent.key) ?? []), r]);
  const placements = new Map(input.placement.requests.map((rp) => [rp.key, rp]));
  const planned = new Set(objects.map((o) => o.resourceName));
  for (const rp of partsFirst(input.placement.requests, input.requests)) {
    const request = requestsByKey.get(rp.key);
    const offered = offeredByName.get(rp.promise);
    if (!request || !offered) continue;
    const view = viewOf(request);
    const labels = { [teamLabel]: request.team, [promiseLabel]: request.promise, [requestLabel]: request.name };
    for (const clusterName of rp.clusters) {
      const cluster = views.get(clusterName)!;
      const environment = environmentOf(clusterName, request);
      const where = `${request.configPath} (${rp.key} on ${clusterName})`;
      const wired = wireParts(
        request,
        partsOf.get(rp.key) ?? [],
        clusterName,
        { placements, offered: offeredByName, views, viewOf, outputsOf, planned },
        issues,
      );
      const rendered = render(where, () => offered.promise.render(view, cluster, wired.views));
      const group = [
        ...rendered.map((content) => ({ content, secretDataFrom: undefined as string | undefined })),
        ...wired.bridges.map((b) => ({ content: b.manifest as RenderedItem, secretDataFrom: b.secretDataFrom })),
      ].map(({ content, secretDataFrom }): PlannedObject => ({
        resourceName: `${rp.key}@${clusterName}/${contentId(content)}`,
        cluster: clusterName,
        content: isBuildingBlock(content) ? content : withPledgeLabels(content, labels),
        owner: { kind: "request", promise: rp.promise, request: rp.name },
        dependsOn: [],
        ...(secretDataFrom ? { secretDataFrom } : {}),
      }));
      const promiseDependencies = [offered.promise.name, ...offered.promise.requires].flatMap(
        (p) => dependencyNames.get(`${p}@${clusterName}`) ?? [],
      );
      orderGroup(group, [...environment, ...promiseDependencies]);
      for (const o of group) if (o.secretDataFrom) o.dependsOn.push(o.secretDataFrom);
      objects.push(...group);
      for (const o of group) planned.add(o.resourceName);
      const declared = outputsOf(request, clusterName);
      if (declared) outputs.set(rp.key, { ...outputs.get(rp.key), [clusterName]: declared });
    }
  }

  const plan = { objects, outputs };
  issues.push(...ownershipIssues(planClaims(plan)));
  return { plan, issues };
}
