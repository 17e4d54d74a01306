// The render plan: placement decisions turned into the exact objects each
// cluster gets, with their order (CRDs and namespaces first), before a single
// resource is registered. Pure: a broken render or two owners of one object is
// an error here, and nothing has been applied.
import type { FleetPlacement } from "../core/outcome";
import type { Labels } from "../core/labels";
import type { ConfigIssue } from "../config/issues";
import type { OfferedPromise, RequestModel } from "../config/parse";
import { isCustomResourceDefinition, isNamespace, manifestProblems, objectId, type ClusterView, type Manifest } from "./manifest";

export type ObjectOwner =
  | { kind: "namespace"; team: string }
  | { kind: "dependency"; promise: string }
  | { kind: "request"; promise: string; request: string };

export interface PlannedObject {
  /** Pulumi resource name: unique in the stack and stable while the object stays. */
  resourceName: string;
  cluster: string;
  manifest: Manifest;
  owner: ObjectOwner;
  /** Resource names (same cluster) that must exist first. */
  dependsOn: string[];
}

export interface RenderPlan {
  objects: PlannedObject[];
  /** Team namespaces per cluster, created by Pledge so no promise has to. */
  teamNamespaces: { cluster: string; team: string; resourceName: string }[];
}

function ownerLabel(owner: ObjectOwner): string {
  switch (owner.kind) {
    case "namespace":
      return `team namespace ${owner.team}`;
    case "dependency":
      return `dependencies of promise ${owner.promise}`;
    case "request":
      return `request ${owner.promise}/${owner.request}`;
  }
}

/** Objects that others in the same group wait for: CRDs (their kinds) and namespaces (their contents). */
function isFoundation(manifest: Manifest): boolean {
  return isCustomResourceDefinition(manifest) || isNamespace(manifest);
}

function orderGroup(objects: PlannedObject[], baseDependsOn: string[]): void {
  const foundations = objects.filter((o) => isFoundation(o.manifest)).map((o) => o.resourceName);
  for (const o of objects) {
    o.dependsOn = [...baseDependsOn, ...(isFoundation(o.manifest) ? [] : foundations)];
  }
}

export interface PlanInput {
  clusters: readonly { name: string; labels: Labels }[];
  promises: readonly OfferedPromise[];
  requests: readonly RequestModel[];
  placement: FleetPlacement;
}

export function planObjects(input: PlanInput): { plan: RenderPlan; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const views = new Map<string, ClusterView>(input.clusters.map((c) => [c.name, { name: c.name, labels: c.labels }]));
  const objects: PlannedObject[] = [];
  const dependencyNames = new Map<string, string[]>(); // `${promise}@${cluster}` -> resource names

  const render = (what: string, fn: () => Manifest[]): Manifest[] => {
    try {
      const manifests = fn();
      const bad = manifests.flatMap((m, i) => manifestProblems(m).map((p) => `object ${i} (${m?.kind ?? "?"}): ${p}`));
      if (bad.length > 0) {
        issues.push({ path: what, message: `rendered invalid objects: ${bad.join("; ")}`, hint: "this is a bug in the promise" });
        return [];
      }
      return manifests;
    } catch (err) {
      issues.push({ path: what, message: `render failed: ${err instanceof Error ? err.message : String(err)}`, hint: "this is a bug in the promise" });
      return [];
    }
  };

  for (const pp of input.placement.promises) {
    const offered = input.promises.find((p) => p.promise.name === pp.promise);
    if (!offered) continue;
    for (const clusterName of pp.eligible) {
      const cluster = views.get(clusterName)!;
      const group = render(`promise ${pp.promise} dependencies on ${clusterName}`, () => offered.promise.dependencies(cluster)).map(
        (manifest): PlannedObject => ({
          resourceName: `${pp.promise}@${clusterName}/${objectId(manifest)}`,
          cluster: clusterName,
          manifest,
          owner: { kind: "dependency", promise: pp.promise },
          dependsOn: [],
        }),
      );
      orderGroup(group, []);
      dependencyNames.set(`${pp.promise}@${clusterName}`, group.map((o) => o.resourceName));
      objects.push(...group);
    }
  }

  const teamNamespaces = new Map<string, { cluster: string; team: string; resourceName: string }>();
  for (const rp of input.placement.requests) {
    const request = input.requests.find((r) => r.promise === rp.promise && r.name === rp.name);
    const offered = input.promises.find((p) => p.promise.name === rp.promise);
    if (!request || !offered) continue;
    for (const clusterName of rp.clusters) {
      const cluster = views.get(clusterName)!;
      const nsKey = `${clusterName}/${request.namespace}`;
      if (!teamNamespaces.has(nsKey)) teamNamespaces.set(nsKey, { cluster: clusterName, team: request.namespace, resourceName: `${clusterName}/Namespace/${request.namespace}` });
      const view = { promise: request.promise, name: request.name, team: request.team, namespace: request.namespace, spec: request.spec };
      const group = render(`${request.configPath} (${rp.key} on ${clusterName})`, () => offered.promise.render(view, cluster)).map(
        (manifest): PlannedObject => ({
          resourceName: `${rp.key}@${clusterName}/${objectId(manifest)}`,
          cluster: clusterName,
          manifest,
          owner: { kind: "request", promise: rp.promise, request: rp.name },
          dependsOn: [],
        }),
      );
      const promiseDependencies = [offered.promise.name, ...offered.promise.requires].flatMap((p) => dependencyNames.get(`${p}@${clusterName}`) ?? []);
      orderGroup(group, [teamNamespaces.get(nsKey)!.resourceName, ...promiseDependencies]);
      objects.push(...group);
    }
  }

  // One owner per object on a cluster: two owners would fight over it.
  const owners = new Map<string, ObjectOwner>();
  for (const ns of teamNamespaces.values()) owners.set(`${ns.cluster}|Namespace/${ns.team}`, { kind: "namespace", team: ns.team });
  for (const o of objects) {
    const id = `${o.cluster}|${objectId(o.manifest)}`;
    const existing = owners.get(id);
    if (existing) {
      issues.push({
        path: o.owner.kind === "request" ? `request ${o.owner.promise}/${o.owner.request}` : ownerLabel(o.owner),
        message: `renders ${objectId(o.manifest)} on ${o.cluster}, which ${ownerLabel(existing)} already owns`,
        hint: o.owner.kind === "request" ? "give the request another name or team" : "rename the object in the promise",
      });
    } else owners.set(id, o.owner);
  }

  return { plan: { objects, teamNamespaces: [...teamNamespaces.values()] }, issues };
}
