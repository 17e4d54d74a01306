// definePromise: a service offering in one typed object. The request schema
// (zod) is the single source of the runtime validation, the TypeScript type of
// a request's spec, and the exported JSON Schema.
import { z } from "zod";
import { isDnsLabel } from "../labels/labels";
import type { LabelSelector } from "../labels/selectors";
import type { Toleration } from "../labels/taints";
import { fromZodIssues, type Issue } from "../issues";
import type { RenderedItem } from "./blocks";
import type { ClusterView } from "./manifest";

/** A request as a promise's render function sees it. */
export interface RequestView<Spec> {
  promise: string;
  /** Unique within the promise. */
  name: string;
  /** The team that asked; its objects go to the team's namespace. */
  team: string;
  namespace: string;
  spec: Spec;
  /**
   * A password for this request (`purpose` tells several apart): derived from
   * the stack's secret seed, the same on every run. Put it in a Secret, whose
   * data Pledge keeps as Pulumi secrets; never in an output.
   */
  password(purpose: string): string;
}

/** What a request tells its team about one cluster it runs on: how to reach it. Plain values, never secrets (name the Secret instead). */
export type RequestOutputs = Record<string, string | number | boolean>;

/**
 * How a request is reached from another cluster, as its promise declares it:
 * the address other clusters use and the Secret (rendered by the promise, in
 * the request's namespace) holding its credentials. A compound promise's part
 * on another cluster is wired through this.
 */
export interface RemoteAccess {
  host: string;
  port: number;
  credentialsSecret?: string;
}

/** Where a part goes: on the same cluster(s) as its parent, or placed on its own (selector, count, spread). */
export type PartPlacement = "with-parent" | { selector?: LabelSelector; count?: number; spreadBy?: string };

/** A part a compound promise asks for, built through the part's promise (`postgres.part({...})`): its spec is typed. */
export interface PartRequest<Outputs extends RequestOutputs = RequestOutputs> {
  readonly promise: string;
  readonly spec: unknown;
  readonly placement: PartPlacement;
  /** Carries the part's outputs type to the parent's render; never set. */
  readonly outputsType?: Outputs;
}

export type Parts = Record<string, PartRequest<any> | undefined>;

/** A part as the parent's render sees it on one cluster. */
export interface PartView<Outputs extends RequestOutputs = RequestOutputs> {
  /** The part's request key, e.g. postgres/web-app-shop-db. */
  key: string;
  /** Where the part runs. */
  clusters: string[];
  /** Whether the part runs on the cluster being rendered. */
  sameCluster: boolean;
  /** The address to use from the cluster being rendered (a Service Pledge adds when the part is elsewhere). */
  host: string;
  port: number;
  /** The Secret with the part's credentials in the request's namespace on this cluster (a copy Pledge keeps when the part is elsewhere). */
  credentialsSecret?: string;
  /** The part's declared outputs on the cluster it runs on. */
  outputs: Outputs;
}

export type PartViews<P extends Parts> = {
  [K in keyof P]: P[K] extends PartRequest<infer O> ? PartView<O> : P[K] extends undefined ? undefined : PartView;
};

export interface PromiseSpec<
  Schema extends z.ZodType,
  Outputs extends RequestOutputs = RequestOutputs,
  P extends Parts = Record<never, never>,
> {
  /** DNS label, unique in the catalogue, e.g. "redis". */
  name: string;
  /** Semantic version of the promise itself. */
  version: string;
  description: string;
  /** Validates and defaults each request's spec; its TypeScript type is the spec type. */
  schema: Schema;
  /** Clusters must match all of these to be eligible (the platform owner can add more in config). */
  destinationSelectors?: LabelSelector[];
  /** Taints this promise's workloads tolerate. */
  tolerations?: Toleration[];
  /** Promises that must be eligible on a cluster before this one is. */
  requires?: string[];
  /** Defaults for requests: how many clusters each goes to, and a label key whose values must differ among them. */
  placement?: { count?: number; spreadBy?: string };
  /**
   * True when a request holds data (a database, a queue): it is never deleted or
   * moved to another cluster without the platform owner's confirmation
   * (`pledge up --allow-delete request:<promise>/<name>`). Default false.
   */
  stateful?: boolean;
  /** What every eligible cluster gets (may vary with the cluster's labels): manifests, Helm charts, YAML files. */
  dependencies?: (cluster: ClusterView) => RenderedItem[];
  /**
   * A compound promise's parts: the other promises' requests one request needs
   * (a database, a cache), each built with `otherPromise.part(spec, placement)`.
   * A part left undefined is not asked for. Pledge names them
   * `<promise>-<request>-<part>`, places them with the same engine, and hands
   * each part's placement, address and credentials to `render` as `request.parts`.
   */
  compose?: (request: RequestView<z.output<Schema>>) => P;
  /** What one request becomes on one cluster: manifests, Helm charts, YAML files. */
  render: (request: RequestView<z.output<Schema>> & { parts: PartViews<P> }, cluster: ClusterView) => RenderedItem[];
  /** What a request tells its team on each cluster (host, port, the name of its credentials' Secret), published in the stack outputs. */
  outputs?: (request: RequestView<z.output<Schema>>, cluster: ClusterView) => Outputs;
  /** How a request is reached from other clusters (so a compound promise's part can run elsewhere). */
  remote?: (request: RequestView<z.output<Schema>>, cluster: ClusterView) => RemoteAccess;
}

export type SpecParse<Spec> = { ok: true; spec: Spec } | { ok: false; issues: Issue[] };

export interface PledgePromise<Spec = unknown, Outputs extends RequestOutputs = RequestOutputs, Input = Spec> {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly destinationSelectors: readonly LabelSelector[];
  readonly tolerations: readonly Toleration[];
  readonly requires: readonly string[];
  /** Whether requests hold data: deleting or moving one needs confirmation. */
  readonly stateful: boolean;
  readonly placement: { readonly count: number; readonly spreadBy?: string };
  /** Validates a request spec; issues carry full key paths under `basePath`. */
  parseSpec(input: unknown, basePath: string): SpecParse<Spec>;
  /** JSON Schema (draft 2020-12) of the request spec, for editors and docs. */
  jsonSchema(): Record<string, unknown>;
  dependencies(cluster: ClusterView): RenderedItem[];
  /** `parts`: a compound promise's parts as seen from this cluster (promise/compose.ts builds them). */
  render(request: RequestView<Spec>, cluster: ClusterView, parts?: Record<string, PartView | undefined>): RenderedItem[];
  /** The request's declared outputs on one cluster; undefined when the promise declares none. */
  outputs(request: RequestView<Spec>, cluster: ClusterView): Outputs | undefined;
  /** The parts one request needs (a compound promise); {} for a plain promise. */
  compose(request: RequestView<Spec>): Parts;
  /** How a request is reached from another cluster; undefined when the promise does not say. */
  remote(request: RequestView<Spec>, cluster: ClusterView): RemoteAccess | undefined;
  /** This promise as a part of a compound promise's request: a wrong spec does not compile. */
  part(spec: Input, placement?: PartPlacement): PartRequest<Outputs>;
  /**
   * Where one request may go on top of its own selector, decided from its spec
   * (an imported Kratix Promise's placementSelector); undefined: nothing more.
   */
  requestSelector?(request: RequestView<Spec>): LabelSelector | undefined;
  /** A typed request for programs that build requests in code: a wrong spec does not compile. */
  request(name: string, team: string, spec: Input): { promise: string; name: string; team: string; spec: Spec };
}

export function definePromise<
  Schema extends z.ZodType,
  Outputs extends RequestOutputs = RequestOutputs,
  P extends Parts = Record<never, never>,
>(spec: PromiseSpec<Schema, Outputs, P>): PledgePromise<z.output<Schema>, Outputs, z.input<Schema>> {
  if (!isDnsLabel(spec.name)) {
    throw new Error(
      `definePromise: name ${JSON.stringify(spec.name)} must be a DNS label (lowercase letters, digits and '-', at most 63)`,
    );
  }
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(spec.version)) {
    throw new Error(`definePromise(${spec.name}): version ${JSON.stringify(spec.version)} must be semantic (e.g. 1.2.0)`);
  }
  const count = spec.placement?.count ?? 1;
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`definePromise(${spec.name}): placement.count must be a whole number ≥ 1`);
  type Spec = z.output<Schema>;
  return {
    name: spec.name,
    version: spec.version,
    description: spec.description,
    destinationSelectors: spec.destinationSelectors ?? [],
    tolerations: spec.tolerations ?? [],
    requires: spec.requires ?? [],
    stateful: spec.stateful ?? false,
    placement: { count, spreadBy: spec.placement?.spreadBy },
    parseSpec(input, basePath): SpecParse<Spec> {
      const result = spec.schema.safeParse(input ?? {}, { reportInput: true });
      return result.success
        ? { ok: true, spec: result.data }
        : { ok: false, issues: fromZodIssues(basePath, result.error.issues) };
    },
    jsonSchema: () => z.toJSONSchema(spec.schema, { io: "input" }) as Record<string, unknown>,
    dependencies: (cluster) => spec.dependencies?.(cluster) ?? [],
    // The parts were checked against compose's own result before render runs (promise/compose.ts).
    render: (request, cluster, parts = {}) => spec.render({ ...request, parts: parts as PartViews<P> }, cluster),
    outputs: (request, cluster) => spec.outputs?.(request, cluster),
    compose: (request) => spec.compose?.(request) ?? {},
    remote: (request, cluster) => spec.remote?.(request, cluster),
    part: (input, placement = {}) => ({ promise: spec.name, spec: input, placement }),
    request(name, team, input) {
      const parsed = spec.schema.safeParse(input, { reportInput: true });
      if (!parsed.success)
        throw new Error(
          `${spec.name} request ${name}: ${fromZodIssues("spec", parsed.error.issues)
            .map((i) => `${i.path}: ${i.message}`)
            .join("; ")}`,
        );
      return { promise: spec.name, name, team, spec: parsed.data };
    },
  };
}
