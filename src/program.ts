// The Pledge program, one way through: config -> fleet model -> placement ->
// render plan -> Pulumi resources -> outputs. Nothing is registered until the
// config, the kubeconfigs and every rendered object have been checked, and no
// object until every chart has rendered.
import * as pulumi from "@pulumi/pulumi";
import { readKubeconfigs } from "./config/kubeconfigs";
import { readRawStackConfig, readUnreachable } from "./config/load";
import { placeFleet } from "./core/placement";
import { PledgeError, type Issue } from "./issues";
import { buildStackOutputs, requestFactsOf, type PreviousState, type StackOutputs } from "./outputs";
import { guardDeletions } from "./promise/deletion-guard";
import type { PledgePromise } from "./promise/define";
import { expandedClaims, ownershipIssues, planClaims, planObjects } from "./promise/plan";
import { loadPlanSources } from "./promise/sources";
import { kratixNoticeLines } from "./kratix/import";
import { buildStackModelWithKratix } from "./kratix/offers";
import { placementFacts } from "./promise/stack-model";
import { planForShard } from "./promise/shard-plan";
import { stackRole } from "./fleet/shards";
import { renderCharts } from "./pulumi/block-resources";
import { reportPlacement } from "./pulumi/placement-report";
import { readPreviousState } from "./pulumi/previous-placement";
import { registerClusters } from "./pulumi/register-clusters";
import { registerPlan } from "./pulumi/register-plan";
import { plannedObjectKeys, recordPlannedObjects, updateJournalEnv } from "./pulumi/update-journal";

export interface PledgeProgramOptions {
  /** Every promise this platform can offer; stack config chooses which it does. */
  catalogue: readonly PledgePromise<any>[];
  /** The Pulumi project's directory: request files and relative paths in config are read from here. Defaults to the working directory. */
  projectDir?: string;
  /** What the last update left (placements, clusters, eligibility); defaults to this stack's last outputs. */
  previousState?: () => Promise<PreviousState>;
}

function stop(issues: readonly Issue[]): never {
  // RunError: a clean failure without a stack trace.
  throw new pulumi.RunError(new PledgeError(issues).message);
}

function stopIfAny(issues: readonly Issue[]): void {
  if (issues.length > 0) stop(issues);
}

export async function pledgeProgram(options: PledgeProgramOptions): Promise<StackOutputs> {
  const projectDir = options.projectDir ?? process.cwd();
  const { raw, issues: readIssues } = readRawStackConfig(projectDir);
  // Kratix Promises named in pledge:promises (`kratix: <file>`) join the catalogue.
  const { result: parsed } = buildStackModelWithKratix(raw, projectDir, options.catalogue);
  if (!parsed.ok || readIssues.length > 0) stop([...readIssues, ...(parsed.ok ? [] : parsed.issues)]);
  const model = parsed.model;
  for (const line of kratixNoticeLines(model.promises.map((o) => o.promise))) pulumi.log.info(line);
  const kubeconfigs = readKubeconfigs(model.clusters, projectDir);
  stopIfAny(kubeconfigs.issues);

  // With pledge:shards, the fleet stack decides and records the placement, and each shard's stack
  // (<fleet>.<shard>) decides it again from the fleet stack's record (the same answer: placement is
  // deterministic and sticky) and applies its own clusters' part.
  const role = stackRole(pulumi.getStack(), model.shards);
  const previous = await (
    options.previousState ?? (() => readPreviousState(role.kind === "shard" ? role.fleetStack : undefined))
  )();
  // Clusters found unreachable for this run keep their placements but take nothing new; `pledge up` leaves their objects alone.
  const unreachable = readUnreachable();
  const placement = placeFleet({ ...placementFacts(model, unreachable), previous: previous.placement });
  stopIfAny(guardDeletions(previous, model, placement));
  const { plan, issues: planIssues } = planObjects({
    clusters: model.clusters,
    promises: model.promises,
    requests: model.requests,
    placement,
    teams: model.teams,
    secretSeed: model.secretSeed,
  });
  stopIfAny(planIssues);
  const facts = requestFactsOf(model.requests, plan.outputs);
  const clusterNames = model.clusters.map((c) => c.name);
  if (role.kind === "placement") {
    // The fleet stack holds no cluster: its update records the decision the shards apply.
    stopIfAny((await loadPlanSources(plan, projectDir)).issues);
    reportPlacement(placement, unreachable, model.requests);
    return {
      ...buildStackOutputs(placement, clusterNames, facts),
      shards: Object.fromEntries(role.shards.map((s) => [s.name, s.clusters])),
    };
  }
  const shardCut = role.kind === "shard" ? planForShard(plan, role.shard) : undefined;
  stopIfAny(shardCut?.issues ?? []);
  const applied = shardCut?.plan ?? plan;
  const sources = await loadPlanSources(applied, projectDir);
  stopIfAny(sources.issues);

  const inThisStack = role.kind === "shard" ? new Set(role.shard.clusters) : undefined;
  const clusters = registerClusters(
    inThisStack ? { ...model, clusters: model.clusters.filter((c) => inThisStack.has(c.name)) } : model,
    kubeconfigs.sources,
  );
  // Charts render through the clusters' providers; only providers exist so far, so nothing is applied if one fails.
  const charts = await renderCharts(applied, clusters, projectDir, unreachable);
  const expanded = new Map([...sources.yamlObjects, ...charts.chartObjects]);
  stopIfAny([...charts.issues, ...ownershipIssues([...planClaims(applied), ...expandedClaims(applied, expanded)])]);

  // A fast update (no checkpoint per step) records what it applies first, so a kill -9 loses nothing.
  const journal = process.env[updateJournalEnv];
  if (journal) recordPlannedObjects(journal, plannedObjectKeys(applied, expanded));
  registerPlan(model, placement, applied, clusters, projectDir, role.kind === "shard");
  if (role.kind === "whole") reportPlacement(placement, unreachable, model.requests);
  const outputs = buildStackOutputs(placement, clusterNames, facts);
  return role.kind === "shard" ? { ...outputs, shard: role.shard.name } : outputs;
}
