// What one run of the program decides, before anything is registered: the
// stack model, the placement (sticky to the previous state), the deletion
// guard, the render plan (this stack's part of it when sharded), what its YAML
// files hold, the stack outputs and the fingerprint. The program registers the
// result; `pledge up` decides the same thing beforehand to tell an update with
// nothing to do, so both go through this one function. Issues come back in the
// order the program stops on them.
import type { KubeconfigSource } from "../config/kubeconfigs";
import { readKubeconfigs } from "../config/kubeconfigs";
import type { RawStackConfig } from "../config/parse";
import type { FleetPlacement } from "../core/outcome";
import { placeFleet } from "../core/placement";
import { stackRole, type StackRole } from "../fleet/shards";
import type { Issue } from "../issues";
import { buildStackModelWithKratix } from "../kratix/offers";
import { buildStackOutputs, requestFactsOf, type PreviousState, type StackOutputs } from "../outputs";
import { isBuildingBlock, resolveBlockPath, type HelmChart } from "./blocks";
import type { PledgePromise } from "./define";
import { guardDeletions } from "./deletion-guard";
import { stackFingerprint } from "./fingerprint";
import { directoryDigest } from "../run/directory-digest";
import type { Manifest } from "./manifest";
import { planObjects, type RenderPlan } from "./plan";
import { planForShard } from "./shard-plan";
import { loadPlanSources } from "../run/sources";
import { placementFacts, type StackModel } from "./stack-model";
import { keptNamespaces, leavingNamespaces, type LeavingNamespace, type NamespaceContents } from "./namespace-keeping";
import { teamEnvironment } from "./team-environment";
import { objectId } from "./manifest";

export interface RunInput {
  raw: RawStackConfig;
  /** Problems found reading the config (request files), reported with the model's. */
  readIssues: readonly Issue[];
  projectDir: string;
  catalogue: readonly PledgePromise<any>[];
  stackName: string;
  /** The previous state this stack's placement is sticky to (a shard's: its fleet stack's). */
  previous: (role: StackRole) => Promise<PreviousState>;
  /**
   * This stack's own last outputs, for what it applied (a shard's team namespaces): its fleet
   * stack's record already holds this run's placement. Defaults to `previous`.
   */
  ownPrevious?: () => Promise<PreviousState>;
  unreachable: ReadonlyMap<string, string>;
  /** Pledge's own code, in the fingerprint (src/pulumi/code-digest.ts). */
  code: string;
  /** What `pledge up` found in the team namespaces this run would delete; absent: nobody looked (they are kept). */
  namespaceContents?: NamespaceContents;
}

export interface RunDecision {
  model: StackModel;
  role: StackRole;
  kubeconfigs: Map<string, KubeconfigSource>;
  placement: FleetPlacement;
  /** The objects this stack applies (a shard's part of the fleet's plan). */
  plan: RenderPlan;
  yamlObjects: Map<string, Manifest[]>;
  outputs: StackOutputs;
  /** The digest of everything this run would register (src/promise/fingerprint.ts). */
  fingerprint: string;
  /** Team namespaces no request of this run uses any more: deleted unless kept. */
  leavingNamespaces: LeavingNamespace[];
  /** What this run keeps that it would otherwise delete, and why, for the person running it. */
  notices: string[];
}

export type RunResult = { ok: true; decision: RunDecision } | { ok: false; issues: Issue[] };

/** Digests of the local charts the plan installs, by block resource name (a chart's files can change under the same path). */
function chartDigests(plan: RenderPlan, projectDir: string): Record<string, string> {
  const digests: Record<string, string> = {};
  for (const o of plan.objects) {
    if (!isBuildingBlock(o.content) || o.content.block !== "helm-chart") continue;
    const chart = (o.content as HelmChart).chart;
    if ("path" in chart) digests[o.resourceName] = directoryDigest(resolveBlockPath(chart.path, projectDir));
  }
  return digests;
}

/**
 * The outputs as far as they decide anything: the explanations' wording is left
 * out, since a run sticky to the last placement explains the same clusters as
 * "kept" where the run that chose them said "placed"; counting that as a change
 * would run the engine once more after every placement for nothing.
 */
function withoutWording(outputs: StackOutputs): unknown {
  const { explanations: _explanations, ...rest } = outputs;
  return {
    ...rest,
    requests: Object.fromEntries(Object.entries(outputs.requests).map(([key, { summary: _summary, ...r }]) => [key, r])),
    promises: Object.fromEntries(Object.entries(outputs.promises).map(([key, { summary: _summary, ...p }]) => [key, p])),
  };
}

export async function decideRun(input: RunInput): Promise<RunResult> {
  const fail = (issues: readonly Issue[]): RunResult => ({ ok: false, issues: [...issues] });
  // Kratix Promises named in pledge:promises (`kratix: <file>`) join the catalogue.
  const { result: parsed } = buildStackModelWithKratix(input.raw, input.projectDir, input.catalogue);
  if (!parsed.ok || input.readIssues.length > 0) return fail([...input.readIssues, ...(parsed.ok ? [] : parsed.issues)]);
  const model = parsed.model;
  const kubeconfigs = readKubeconfigs(model.clusters, input.projectDir);
  if (kubeconfigs.issues.length > 0) return fail(kubeconfigs.issues);

  // With pledge:shards, the fleet stack decides and records the placement, and each shard's stack
  // (<fleet>.<shard>) decides it again from the fleet stack's record (the same answer: placement is
  // deterministic and sticky) and applies its own clusters' part.
  const role = stackRole(input.stackName, model.shards);
  const previous = await input.previous(role);
  const placement = placeFleet({
    ...placementFacts(model, input.unreachable),
    previous: previous.placement,
    previousEligible: previous.eligible,
  });
  const guarded = guardDeletions(previous, model, placement);
  if (guarded.length > 0) return fail(guarded);
  const planned = planObjects({
    clusters: model.clusters,
    promises: model.promises,
    requests: model.requests,
    placement,
    teams: model.teams,
    secretSeed: model.secretSeed,
  });
  if (planned.issues.length > 0) return fail(planned.issues);
  const cut = role.kind === "shard" ? planForShard(planned.plan, role.shard) : undefined;
  if (cut && cut.issues.length > 0) return fail(cut.issues);
  // The fleet stack applies nothing, but checks every YAML source before any shard runs.
  const applied = cut?.plan ?? planned.plan;
  const applies = new Set(
    role.kind === "placement" ? [] : role.kind === "shard" ? role.shard.clusters : model.clusters.map((c) => c.name),
  );
  // A team's namespace that no request uses any more goes only when nothing but Pledge's objects is in it.
  const appliedBefore = role.kind === "shard" && input.ownPrevious ? await input.ownPrevious() : previous;
  const leaving = leavingNamespaces(appliedBefore, applied, applies);
  const kept = keptNamespaces(leaving, input.namespaceContents, new Set(model.deletions.allow));
  const plan: RenderPlan = {
    ...applied,
    objects: [
      ...kept.map((ns) => {
        const content = teamEnvironment(ns.namespace, undefined)[0]!;
        return {
          resourceName: `${ns.cluster}/${objectId(content)}`,
          cluster: ns.cluster,
          content,
          owner: { kind: "team" as const, team: ns.namespace },
          dependsOn: [],
        };
      }),
      ...applied.objects,
    ],
  };
  const sources = await loadPlanSources(plan, input.projectDir);
  if (sources.issues.length > 0) return fail(sources.issues);

  const fleetOutputs = buildStackOutputs(
    placement,
    model.clusters.map((c) => c.name),
    requestFactsOf(model.requests, planned.plan.outputs),
  );
  const outputs: StackOutputs = {
    ...(role.kind === "placement"
      ? { ...fleetOutputs, shards: Object.fromEntries(role.shards.map((s) => [s.name, s.clusters])) }
      : role.kind === "shard"
        ? { ...fleetOutputs, shard: role.shard.name }
        : fleetOutputs),
    ...(kept.length > 0 ? { keptNamespaces: kept.map(({ cluster, namespace }) => ({ cluster, namespace })) } : {}),
  };
  const mine = role.kind === "shard" ? new Set(role.shard.clusters) : undefined;
  const clusters = role.kind === "placement" ? [] : model.clusters.filter((c) => !mine || mine.has(c.name));
  const fingerprint = stackFingerprint(model.secretSeed, {
    code: input.code,
    clusters,
    kubeconfigs: new Map(clusters.map((c) => [c.name, kubeconfigs.sources.get(c.name)])),
    objects: role.kind === "placement" ? [] : plan.objects,
    yamlObjects: sources.yamlObjects,
    charts: chartDigests(plan, input.projectDir),
    unreachable: new Map(input.unreachable),
    outputs: withoutWording(outputs),
  });
  return {
    ok: true,
    decision: {
      model,
      role,
      kubeconfigs: kubeconfigs.sources,
      placement,
      plan,
      yamlObjects: sources.yamlObjects,
      outputs,
      fingerprint,
      leavingNamespaces: leaving,
      notices: kept.map((ns) => ns.notice),
    },
  };
}
