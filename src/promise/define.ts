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

export interface PromiseSpec<Schema extends z.ZodType> {
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
  /** What one request becomes on one cluster: manifests, Helm charts, YAML files. */
  render: (request: RequestView<z.output<Schema>>, cluster: ClusterView) => RenderedItem[];
  /** What a request tells its team on each cluster (host, port, the name of its credentials' Secret), published in the stack outputs. */
  outputs?: (request: RequestView<z.output<Schema>>, cluster: ClusterView) => RequestOutputs;
}

export type SpecParse<Spec> = { ok: true; spec: Spec } | { ok: false; issues: Issue[] };

export interface PledgePromise<Spec = unknown> {
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
  render(request: RequestView<Spec>, cluster: ClusterView): RenderedItem[];
  /** The request's declared outputs on one cluster; undefined when the promise declares none. */
  outputs(request: RequestView<Spec>, cluster: ClusterView): RequestOutputs | undefined;
  /**
   * Where one request may go on top of its own selector, decided from its spec
   * (an imported Kratix Promise's placementSelector); undefined: nothing more.
   */
  requestSelector?(request: RequestView<Spec>): LabelSelector | undefined;
  /** A typed request for programs that build requests in code: a wrong spec does not compile. */
  request(
    name: string,
    team: string,
    spec: z.input<z.ZodType<Spec>> | Spec,
  ): { promise: string; name: string; team: string; spec: Spec };
}

export function definePromise<Schema extends z.ZodType>(spec: PromiseSpec<Schema>): PledgePromise<z.output<Schema>> {
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
    render: (request, cluster) => spec.render(request, cluster),
    outputs: (request, cluster) => spec.outputs?.(request, cluster),
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
