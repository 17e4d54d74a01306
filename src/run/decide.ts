// One run's decision, the one way Pledge decides: stack config -> fleet model
// -> placement (sticky to the previous state) -> deletion guard -> render plan
// (this stack's part of it when sharded) -> what its sources hold -> stack
// outputs and fingerprint. The program registers the result; `pledge up` and
// `preview` decide the same thing beforehand (nothing to do? which team
// namespaces would go? what would move?), and `pledge check` decides it
// offline for a team's changed file: all of them call this file, so they
// cannot disagree. Issues come back in the order the program stops on them.
//
// The mode says what a run may touch. `online` (the program, preview, up)
// reads kubeconfigs and fetches URL sources; `offline` (check, and CI checks
// of a team's file) reads only the project's own files: no kubeconfig, no
// cluster, no network, and a stand-in password seed when the stack has none.
import type { RawStackConfig } from "../config/parse";
import type { FleetPlacement } from "../core/outcome";
import { placeFleet } from "../core/placement";
import { stackRole, type StackRole } from "../fleet/shards";
import type { Issue } from "../issues";
import { buildStackModelWithKratix } from "../kratix/offers";
import { buildStackOutputs, requestFactsOf, type PreviousState, type StackOutputs } from "../outputs";
import { isBuildingBlock, resolveBlockPath, type HelmChart } from "../promise/blocks";
import type { PledgePromise } from "../promise/define";
import { guardDeletions } from "../promise/deletion-guard";
import { stackFingerprint } from "../promise/fingerprint";
import { objectId, type Manifest } from "../promise/manifest";
import { keptNamespaces, leavingNamespaces, type LeavingNamespace, type NamespaceContents } from "../promise/namespace-keeping";
import { isGitDelivered } from "../gitops/deliveries";
import { planObjects, type RenderPlan } from "../promise/plan";
import { planForShard } from "../promise/shard-plan";
import { placementFacts, type StackModel } from "../promise/stack-model";
import { teamEnvironment } from "../promise/team-environment";
import type { RunChannel } from "./channel";
import { directoryDigest } from "./directory-digest";
import { rolloutOfRun, type RunRollout } from "./rollout-decision";
import { plannedDigests, type AppliedDigests } from "../rollout/applied";
import { appliedWith } from "../rollout/held";
import { readKratixFiles } from "./kratix-files";
import { readKubeconfigs, type KubeconfigSource } from "./kubeconfigs";
import { loadPlanSources } from "./sources";
import { readRawStackConfig, type ConfigReader } from "./stack-config";

export type RunMode = "offline" | "online";

/** Passwords are derived, never shown: an offline check of a stack without its seed yet (set by the first pledge up) uses this. */
const offlineSecretSeed = "pledge-check";

export interface StackInput {
  mode: RunMode;
  /** The project's directory: request files and relative paths in config are read from here. */
  projectDir: string;
  /** Every promise the platform can offer; Kratix Promises named in pledge:promises join it. */
  catalogue: readonly PledgePromise<any>[];
  /** The stack's config, as the engine or `pulumi config` gives it. */
  config: ConfigReader;
  /** Request files that replace their committed versions, or join them when new (`pledge check <file>`). */
  checkedFiles?: readonly string[];
  /** What this run was handed (src/run/channel.ts). */
  channel: RunChannel;
}

/** A stack's config read and modelled: what the rest of the run decides from, built once per run. */
export interface StackRead {
  mode: RunMode;
  projectDir: string;
  model: StackModel;
  /** The kubeconfig of every cluster that has one to read (none offline). */
  kubeconfigs: Map<string, KubeconfigSource>;
}

export type StackReadResult = { ok: true; stack: StackRead } | { ok: false; issues: Issue[] };

export interface DecideInput {
  stackName: string;
  channel: RunChannel;
  /** The previous state this stack's placement is sticky to (a shard's: its fleet stack's). */
  previous: (role: StackRole) => Promise<PreviousState>;
  /**
   * This stack's own last outputs, for what it applied (a shard's team namespaces): its fleet
   * stack's record already holds this run's placement. Defaults to `previous`.
   */
  ownPrevious?: () => Promise<PreviousState>;
  /** Pledge's own code, in the fingerprint (src/pulumi/code-digest.ts). */
  code: string;
  /** The seed, when it was set after the stack was read (the first `pledge up` sets it). */
  secretSeed?: string;
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
  /** The staged rollout's part of this run (pledge:rollout): what the change does, what is held. */
  rollout: RunRollout;
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

/** What an update records as applied: an unreachable cluster, whose objects the engine leaves alone, keeps its old record. */
function appliedRecord(
  applied: AppliedDigests,
  previous: PreviousState,
  unreachable: ReadonlyMap<string, string>,
): AppliedDigests {
  const out = { ...applied };
  for (const cluster of unreachable.keys()) {
    const before = previous.applied?.[cluster];
    if (before) out[cluster] = before;
    else delete out[cluster];
  }
  return out;
}

/** The stack's config and request files read and checked, the fleet modelled, and (online) the kubeconfigs read. */
export function readStack(input: StackInput): StackReadResult {
  const { raw, issues: readIssues } = readRawStackConfig(input.projectDir, input.config, {
    ...(input.checkedFiles ? { checkedFiles: input.checkedFiles } : {}),
    allowDelete: input.channel.allowDelete,
    ...fallbackSeed(input),
  });
  return modelStack(raw, readIssues, input);
}

function fallbackSeed(input: Pick<StackInput, "mode" | "channel">): { fallbackSecretSeed?: string } {
  const seed = input.channel.previewSecretSeed ?? (input.mode === "offline" ? offlineSecretSeed : undefined);
  return seed ? { fallbackSecretSeed: seed } : {};
}

function modelStack(raw: RawStackConfig, readIssues: readonly Issue[], input: StackInput): StackReadResult {
  // Kratix Promises named in pledge:promises (`kratix: <file>`) join the catalogue.
  const kratixFiles = readKratixFiles(raw, input.projectDir);
  const { result: parsed } = buildStackModelWithKratix(raw, input.projectDir, input.catalogue, kratixFiles);
  if (!parsed.ok || readIssues.length > 0) return { ok: false, issues: [...readIssues, ...(parsed.ok ? [] : parsed.issues)] };
  const model = parsed.model;
  if (input.mode === "offline")
    return { ok: true, stack: { mode: input.mode, projectDir: input.projectDir, model, kubeconfigs: new Map() } };
  const kubeconfigs = readKubeconfigs(model.clusters, input.projectDir);
  if (kubeconfigs.issues.length > 0) return { ok: false, issues: kubeconfigs.issues };
  return { ok: true, stack: { mode: input.mode, projectDir: input.projectDir, model, kubeconfigs: kubeconfigs.sources } };
}

/** One run decided from the start: the program's way. */
export async function decideRun(input: StackInput & DecideInput): Promise<RunResult> {
  const read = readStack(input);
  return read.ok ? decideFromStack(read.stack, input) : read;
}

/** The rest of a run's decision, from a stack already read (the CLI reads it once for all its questions). */
export async function decideFromStack(stack: StackRead, input: DecideInput): Promise<RunResult> {
  const fail = (issues: readonly Issue[]): RunResult => ({ ok: false, issues: [...issues] });
  const model = input.secretSeed ? { ...stack.model, secretSeed: input.secretSeed } : stack.model;
  const unreachable = new Map(Object.entries(input.channel.unreachable));
  const namespaceContents = input.channel.namespaceContents
    ? new Map(Object.entries(input.channel.namespaceContents))
    : undefined;

  // With pledge:shards, the fleet stack decides and records the placement, and each shard's stack
  // (<fleet>.<shard>) decides it again from the fleet stack's record (the same answer: placement is
  // deterministic and sticky) and applies its own clusters' part.
  const role = stackRole(input.stackName, model.shards);
  const previous = await input.previous(role);
  const placement = placeFleet({
    ...placementFacts(model, unreachable),
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
  // A Git-delivered cluster's namespaces are never pruned by Flux (src/gitops/layout.ts): its file just goes.
  const throughGit = new Set(model.clusters.filter(isGitDelivered).map((c) => c.name));
  const leaving = leavingNamespaces(appliedBefore, applied, applies).filter((ns) => !throughGit.has(ns.cluster));
  const kept = keptNamespaces(leaving, namespaceContents, new Set(model.deletions.allow));
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
  const sources = await loadPlanSources(plan, stack.projectDir, { offline: stack.mode === "offline" });
  if (sources.issues.length > 0) return fail(sources.issues);
  const charts = chartDigests(plan, stack.projectDir);
  const wanted = plannedDigests(
    plan.objects,
    (o) => ({ chart: charts[o.resourceName] ?? null, yaml: sources.yamlObjects.get(o.resourceName) ?? null }),
    model.secretSeed,
  );
  const staged = rolloutOfRun(model, previous, wanted, input.channel.rollout);
  if (!staged.ok) return fail(staged.issues);
  const rollout = staged.rollout;

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
    ...(role.kind === "placement" ? {} : { applied: appliedRecord(appliedWith(wanted, rollout.held), previous, unreachable) }),
    ...(rollout.record ? { rollout: rollout.record } : {}),
  };
  const mine = role.kind === "shard" ? new Set(role.shard.clusters) : undefined;
  const clusters = role.kind === "placement" ? [] : model.clusters.filter((c) => !mine || mine.has(c.name));
  const fingerprint = stackFingerprint(model.secretSeed, {
    code: input.code,
    clusters,
    kubeconfigs: new Map(clusters.map((c) => [c.name, stack.kubeconfigs.get(c.name)])),
    objects: role.kind === "placement" ? [] : plan.objects,
    yamlObjects: sources.yamlObjects,
    charts,
    unreachable: new Map(unreachable),
    held: rollout.held,
    heldDirectories: rollout.heldDirectories,
    before: rollout.before,
    outputs: withoutWording(outputs),
  });
  return {
    ok: true,
    decision: {
      model,
      role,
      kubeconfigs: stack.kubeconfigs,
      placement,
      plan,
      yamlObjects: sources.yamlObjects,
      outputs,
      fingerprint,
      leavingNamespaces: leaving,
      notices: kept.map((ns) => ns.notice),
      rollout,
    },
  };
}
