// The Pledge program, one way through: config -> typed model -> placement ->
// render plan -> Pulumi resources -> outputs. Nothing is registered until the
// config, the kubeconfigs and every rendered object have been checked.
import * as pulumi from "@pulumi/pulumi";
import type { RegisteredCluster } from "./clusters/registered";
import { registerClusters } from "./clusters/register";
import { readKubeconfig, type KubeconfigSource } from "./clusters/registered-sources";
import { ConfigError, type ConfigIssue } from "./config/issues";
import { readRawStackConfig } from "./config/load";
import { parseStackConfig, type StackModel } from "./config/parse";
import type { PreviousPlacement } from "./core/facts";
import type { FleetPlacement } from "./core/outcome";
import { placeFleet } from "./core/placement";
import { PromiseComponent, registerObjects, RequestComponent } from "./promise/components";
import type { PledgePromise } from "./promise/define";
import { KubeObject } from "./promise/kube-object";
import { renderCharts } from "./promise/block-resources";
import { expandedClaims, ownershipIssues, planClaims, planObjects, type RenderPlan } from "./promise/plan";
import { loadPlanSources } from "./promise/sources";
import { placementsOutput, readPreviousPlacement } from "./promise/previous";

export interface PledgeProgramOptions {
  catalogue: readonly PledgePromise<any>[];
  projectDir: string;
  /** Where requests were placed last time; defaults to this stack's last outputs. */
  previousPlacement?: () => Promise<PreviousPlacement>;
}

function stop(issues: readonly ConfigIssue[]): never {
  // RunError: a clean failure without a stack trace; nothing has been registered.
  throw new pulumi.RunError(new ConfigError(issues).message);
}

export function placeModel(model: StackModel, previous: PreviousPlacement): FleetPlacement {
  return placeFleet({
    clusters: model.clusters.map((c) => ({ name: c.name, labels: c.labels, taints: c.taints, capacity: c.capacity })),
    promises: model.promises.map((p) => ({
      name: p.promise.name,
      selectors: p.selectors,
      tolerations: p.tolerations,
      requires: p.promise.requires,
      defaults: p.placement,
    })),
    requests: model.requests.map((r) => ({ promise: r.promise, name: r.name, selector: r.selector, count: r.count, spreadBy: r.spreadBy, pin: r.pin })),
    previous,
  });
}

function registerPlan(model: StackModel, placement: FleetPlacement, plan: RenderPlan, clusters: Map<string, RegisteredCluster>, projectDir: string): void {
  const registry = new Map<string, pulumi.Resource>();
  for (const ns of plan.teamNamespaces) {
    const cluster = clusters.get(ns.cluster)!;
    const manifest = { apiVersion: "v1", kind: "Namespace", metadata: { name: ns.team, labels: { "pledge.dev/team": ns.team } } };
    registry.set(
      ns.resourceName,
      new KubeObject(ns.resourceName, manifest, { parent: cluster.component, provider: cluster.provider, ...(cluster.provisioned ? { deletedWith: cluster.component } : {}) }),
    );
  }
  const promiseComponents = new Map<string, PromiseComponent>();
  for (const pp of placement.promises) {
    const offered = model.promises.find((p) => p.promise.name === pp.promise)!;
    const component = new PromiseComponent(pp.promise, { version: offered.promise.version, placement: pp });
    promiseComponents.set(pp.promise, component);
    registerObjects(plan.objects.filter((o) => o.owner.kind === "dependency" && o.owner.promise === pp.promise), clusters, registry, component, projectDir);
  }
  for (const rp of placement.requests) {
    const component = new RequestComponent(rp.key, rp, { parent: promiseComponents.get(rp.promise) });
    registerObjects(
      plan.objects.filter((o) => o.owner.kind === "request" && o.owner.promise === rp.promise && o.owner.request === rp.name),
      clusters,
      registry,
      component,
      projectDir,
    );
  }
}

function report(placement: FleetPlacement): void {
  for (const r of placement.requests) {
    for (const move of r.moves) {
      pulumi.log.warn(`request ${r.key} moves off ${move.from}${move.to ? ` to ${move.to}` : ""}: ${move.reason}`);
    }
  }
  const unplaced = placement.requests.filter((r) => r.status !== "placed");
  if (unplaced.length === 0) return;
  // A warning, not a failed program: the engine skips every deletion of a failed
  // program, so failing here would stop the rest of the stack from converging.
  // `pledge up` / `pledge placement` turn the `unplaced` output into exit status 2.
  pulumi.log.warn(`${unplaced.length} request${unplaced.length === 1 ? " is" : "s are"} not fully placed:\n${unplaced.map((r) => `  ${r.key}: ${r.summary}`).join("\n")}`);
}

export function placementOutputs(placement: FleetPlacement, clusterNames: readonly string[]): Record<string, unknown> {
  return {
    [placementsOutput]: Object.fromEntries(placement.requests.map((r) => [r.key, r.clusters])),
    requests: Object.fromEntries(
      placement.requests.map((r) => [r.key, { status: r.status, clusters: r.clusters, wanted: r.wanted, summary: r.summary, moves: r.moves }]),
    ),
    promises: Object.fromEntries(placement.promises.map((p) => [p.promise, { eligible: p.eligible, summary: p.summary }])),
    // Compact: per request only the verdicts that differ from "spare" plus the rejections of its
    // shape; `pledge explain` expands them to every cluster (allVerdicts) for reading.
    explanations: Object.fromEntries([
      ...placement.promises.map((p) => [`promise ${p.promise}`, { verdicts: p.verdicts, rejected: [], spare: 0, wanted: 0 }] as const),
      ...placement.requests.map((r) => [r.key, { verdicts: r.verdicts, rejected: r.rejected, spare: r.spare, wanted: r.wanted }] as const),
    ]),
    clusters: clusterNames,
    unplaced: placement.requests.filter((r) => r.status !== "placed").map((r) => r.key),
  };
}

export async function pledgeProgram(options: PledgeProgramOptions): Promise<Record<string, unknown>> {
  const { raw, issues: readIssues } = readRawStackConfig(options.projectDir);
  const parsed = parseStackConfig(raw, options.catalogue);
  if (!parsed.ok || readIssues.length > 0) stop([...readIssues, ...(parsed.ok ? [] : parsed.issues)]);
  const model = parsed.model;

  const kubeconfigIssues: ConfigIssue[] = [];
  const kubeconfigs = new Map<string, KubeconfigSource>();
  for (const c of model.clusters) {
    const source = readKubeconfig(c, options.projectDir, kubeconfigIssues);
    if (source) kubeconfigs.set(c.name, source);
  }
  if (kubeconfigIssues.length > 0) stop(kubeconfigIssues);

  const previous = await (options.previousPlacement ?? readPreviousPlacement)();
  const placement = placeModel(model, previous);
  const { plan, issues: planIssues } = planObjects({ clusters: model.clusters, promises: model.promises, requests: model.requests, placement });
  if (planIssues.length > 0) stop(planIssues);
  const sources = await loadPlanSources(plan, options.projectDir);
  if (sources.issues.length > 0) stop(sources.issues);

  const clusters = registerClusters(model, kubeconfigs);
  // Charts render through the clusters' providers; only providers exist so far, so nothing is applied if one fails.
  const charts = await renderCharts(plan, clusters, options.projectDir);
  const contentIssues = [...charts.issues, ...ownershipIssues([...planClaims(plan), ...expandedClaims(plan, new Map([...sources.yamlObjects, ...charts.chartObjects]))])];
  if (contentIssues.length > 0) stop(contentIssues);
  registerPlan(model, placement, plan, clusters, options.projectDir);
  report(placement);
  return placementOutputs(placement, model.clusters.map((c) => c.name));
}
