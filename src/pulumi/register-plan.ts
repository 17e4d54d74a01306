// Registers the render plan: team namespaces under their cluster, each
// promise's dependencies under a pledge:index:Promise, each request's objects
// under a pledge:index:Request. Every decision was made before this; here each
// planned object only meets its cluster's provider.
import type * as pulumi from "@pulumi/pulumi";
import type { FleetPlacement } from "../core/outcome";
import { partsFirst, type PlannedObject, type RenderPlan } from "../promise/plan";
import type { StackModel } from "../promise/stack-model";
import { LeftOut, PromiseComponent, registerObjects, RequestComponent } from "./promise-components";
import type { Manifest } from "../promise/manifest";
import { ownerOfKey } from "../rollout/applied";
import type { HeldObjects, StateForm } from "../rollout/held";
import type { RegisteredCluster } from "./registered-cluster";

function groupByOwner(objects: readonly PlannedObject[]): Map<string, PlannedObject[]> {
  const groups = new Map<string, PlannedObject[]>();
  for (const o of objects) {
    const key =
      o.owner.kind === "request"
        ? `request ${o.owner.promise}/${o.owner.request}`
        : o.owner.kind === "dependency"
          ? `promise ${o.owner.promise}`
          : "team";
    const group = groups.get(key);
    if (group) group.push(o);
    else groups.set(key, [o]);
  }
  return groups;
}

export interface RegisterOptions {
  /** A shard registers only the promises and requests with objects on its clusters. */
  onlyWithObjects?: boolean;
  /** Clusters this run cannot reach: their charts, YAML files and what waits for them are left out. */
  unreachable?: ReadonlySet<string>;
  /** What a staged rollout keeps as it was on the clusters its change has not reached (src/rollout/held.ts). */
  held?: HeldObjects;
  /** pledge:rollout's gate timeout: how long the provider waits for an object to become ready. */
  awaitTimeout?: string;
}

/**
 * The plan with a rollout's held objects in it: a held object the plan changes
 * is registered in its held form, one the plan would create is left out, one
 * the plan would delete is registered again under its owner.
 */
function withHeldObjects(
  objects: readonly PlannedObject[],
  held: HeldObjects,
): { objects: PlannedObject[]; forms: Map<string, StateForm> } {
  const forms = new Map<string, StateForm>();
  const left = new Set<string>();
  for (const entries of Object.values(held))
    for (const [name, h] of Object.entries(entries)) h.form ? forms.set(name, h.form) : left.add(name);
  const planned = new Set(objects.map((o) => o.resourceName));
  const kept: PlannedObject[] = Object.entries(held).flatMap(([cluster, entries]) =>
    Object.entries(entries)
      .filter(([name, h]) => h.form && !planned.has(name))
      // Only its owner and name matter: it is registered from its held form.
      .map(([name, h]) => ({
        resourceName: name,
        cluster,
        owner: ownerOfKey(h.owner),
        content: h.form!.inputs as Manifest,
        dependsOn: [],
      })),
  );
  return {
    objects: [...objects.filter((o) => !left.has(o.resourceName)), ...kept].map((o) => ({
      ...o,
      dependsOn: o.dependsOn.filter((n) => !left.has(n)),
    })),
    forms,
  };
}

export function registerPlan(
  model: StackModel,
  placement: FleetPlacement,
  plan: RenderPlan,
  clusters: ReadonlyMap<string, RegisteredCluster>,
  projectDir: string,
  options: RegisterOptions = {},
): void {
  const onlyWithObjects = options.onlyWithObjects ?? false;
  const registry = new Map<string, pulumi.Resource>();
  const leftOut = new LeftOut(options.unreachable ?? new Set());
  const { objects, forms } = withHeldObjects(plan.objects, options.held ?? {});
  const staged = { heldForms: forms, ...(options.awaitTimeout ? { awaitTimeout: options.awaitTimeout } : {}) };
  const byOwner = groupByOwner(objects);
  // Team environments first (their requests wait for them), under their cluster's component.
  for (const cluster of clusters.values()) {
    const environment = (byOwner.get("team") ?? []).filter((o) => o.cluster === cluster.name);
    registerObjects(environment, clusters, registry, cluster.component, projectDir, leftOut, staged);
  }
  const promisesWithObjects = new Set(plan.objects.flatMap((o) => (o.owner.kind === "team" ? [] : [o.owner.promise])));
  const promiseComponents = new Map<string, PromiseComponent>();
  for (const pp of placement.promises) {
    if (onlyWithObjects && !promisesWithObjects.has(pp.promise)) continue;
    const offered = model.promises.find((p) => p.promise.name === pp.promise)!;
    const component = new PromiseComponent(pp.promise, { version: offered.promise.version, placement: pp });
    promiseComponents.set(pp.promise, component);
    registerObjects(byOwner.get(`promise ${pp.promise}`) ?? [], clusters, registry, component, projectDir, leftOut, staged);
  }
  for (const rp of partsFirst(placement.requests, model.requests)) {
    if (onlyWithObjects && !byOwner.has(`request ${rp.key}`)) continue;
    const component = new RequestComponent(rp.key, rp, { parent: promiseComponents.get(rp.promise) });
    registerObjects(byOwner.get(`request ${rp.key}`) ?? [], clusters, registry, component, projectDir, leftOut, staged);
  }
}
