// pledge:index:Promise and pledge:index:Request: the Pulumi side of a promise.
// Thin: every decision was made by placement and the render plan; these only
// register the planned objects on the right cluster's provider.
import * as pulumi from "@pulumi/pulumi";
import type { PromisePlacement, RequestPlacement } from "../core/outcome";
import type { RegisteredCluster } from "./registered-cluster";
import { isBuildingBlock } from "../promise/blocks";
import { registerBlock } from "./block-resources";
import { KubeObject } from "./kube-object";
import { HeldObject, registerHeldForm } from "./held-resources";
import type { StateForm } from "../rollout/held";
import type { Manifest } from "../promise/manifest";
import type { PlannedObject } from "../promise/plan";

/**
 * Charts and YAML files this run leaves out, on clusters that cannot be
 * reached: the provider would have to render them through a cluster that does
 * not answer, and the whole update would fail. The engine keeps what the state
 * has of them and of everything else on that cluster (`pledge up` excludes the
 * cluster's resources, so the objects that wait for them are not touched
 * either), and the next update after the cluster is back applies them.
 */
export class LeftOut {
  private readonly names = new Set<string>();
  constructor(private readonly unreachable: ReadonlySet<string>) {}

  leaves(o: PlannedObject): boolean {
    const out = this.unreachable.has(o.cluster) && isBuildingBlock(o.content);
    if (out) this.names.add(o.resourceName);
    return out;
  }

  has(name: string): boolean {
    return this.names.has(name);
  }
}

/** What a staged rollout changes in how objects are registered. */
export interface StagedRegistration {
  /** Objects kept as they were: registered from these state forms instead of their planned content. */
  heldForms?: ReadonlyMap<string, StateForm>;
  /** How long the provider waits for an object to become ready (the gate's timeout, e.g. "10m"). */
  awaitTimeout?: string;
}

/** Registers planned objects; `registry` maps resource names to resources for dependsOn. */
export function registerObjects(
  objects: readonly PlannedObject[],
  clusters: ReadonlyMap<string, RegisteredCluster>,
  registry: Map<string, pulumi.Resource>,
  parent: pulumi.Resource,
  projectDir: string,
  leftOut: LeftOut = new LeftOut(new Set()),
  staged: StagedRegistration = {},
): void {
  const heldForms = staged.heldForms ?? new Map<string, StateForm>();
  for (const o of objects) {
    const cluster = clusters.get(o.cluster);
    if (!cluster) throw new Error(`internal: planned object ${o.resourceName} targets unknown cluster ${o.cluster}`);
    if (leftOut.leaves(o)) continue;
    const dependsOn = o.dependsOn
      .filter((n) => !leftOut.has(n))
      .map((n) => {
        const r = registry.get(n);
        if (!r) throw new Error(`internal: ${o.resourceName} depends on ${n}, which is not registered yet`);
        return r;
      });
    const opts = {
      parent,
      provider: cluster.provider,
      dependsOn,
      ...(cluster.provisioned ? { deletedWith: cluster.component } : {}),
      // A wave's objects may take only as long as its gate allows: the update stops on one that does not become ready.
      ...(staged.awaitTimeout ? { customTimeouts: { create: staged.awaitTimeout, update: staged.awaitTimeout } } : {}),
    };
    const heldForm = heldForms.get(o.resourceName);
    const resource = heldForm
      ? registerHeldForm(heldForm, opts)
      : isBuildingBlock(o.content)
        ? registerBlock(o.resourceName, o.content, projectDir, opts)
        : new KubeObject(o.resourceName, o.secretDataFrom ? withDataOf(o, registry) : o.content, opts);
    registry.set(o.resourceName, resource);
  }
}

/** A credentials copy: the manifest with the source Secret's live data (a Pulumi secret output) as its data. */
function withDataOf(o: PlannedObject, registry: ReadonlyMap<string, pulumi.Resource>) {
  const source = registry.get(o.secretDataFrom!);
  if (!(source instanceof KubeObject || source instanceof HeldObject))
    throw new Error(`internal: ${o.resourceName} copies ${o.secretDataFrom}, which is not a registered Secret`);
  return { ...(o.content as Manifest), data: source.data };
}

export interface PromiseComponentArgs {
  version: string;
  placement: PromisePlacement;
}

export class PromiseComponent extends pulumi.ComponentResource {
  readonly eligibleClusters: pulumi.Output<string[]>;

  constructor(name: string, args: PromiseComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pledge:index:Promise", name, {}, opts);
    this.eligibleClusters = pulumi.output(args.placement.eligible);
    this.registerOutputs({ version: args.version, eligibleClusters: this.eligibleClusters, summary: args.placement.summary });
  }
}

export class RequestComponent extends pulumi.ComponentResource {
  readonly clusters: pulumi.Output<string[]>;
  readonly status: pulumi.Output<RequestPlacement["status"]>;
  readonly summary: pulumi.Output<string>;

  constructor(name: string, placement: RequestPlacement, opts?: pulumi.ComponentResourceOptions) {
    super("pledge:index:Request", name, {}, opts);
    this.clusters = pulumi.output(placement.clusters);
    this.status = pulumi.output(placement.status);
    this.summary = pulumi.output(placement.summary);
    this.registerOutputs({ clusters: this.clusters, status: this.status, summary: this.summary });
  }
}
