// The Pledge program, one way through: config -> fleet model -> placement ->
// render plan -> Pulumi resources -> outputs. Nothing is registered until the
// config, the kubeconfigs and every rendered object have been checked, and no
// object until every chart has rendered.
import * as pulumi from "@pulumi/pulumi";
import { PledgeError, type Issue } from "./issues";
import type { PreviousState, StackOutputs } from "./outputs";
import type { PledgePromise } from "./promise/define";
import { expandedClaims, ownershipIssues, planClaims } from "./promise/plan";
import { kratixNoticeLines } from "./kratix/import";
import { renderCharts } from "./pulumi/block-resources";
import { pledgeCodeDigest } from "./pulumi/code-digest";
import { reportPlacement } from "./pulumi/placement-report";
import { readPreviousState } from "./pulumi/previous-placement";
import { isProvisioned, registerClusters } from "./pulumi/register-clusters";
import { chartRenderers, gitopsOutputs, registerStateStores } from "./pulumi/git-delivery";
import { gitopsDeliveries, isGitDelivered } from "./gitops/deliveries";
import { registerPlan } from "./pulumi/register-plan";
import { plainStackTraces } from "./pulumi/stack-traces";
import { plannedObjectKeys, recordPlannedObjects } from "./pulumi/update-journal";
import { readRunChannel, runChannelVariable } from "./run/channel";
import { decideRun } from "./run/decide";
import { unsteppedRolloutIssue } from "./run/rollout-decision";

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

export async function pledgeProgram(
  options: PledgeProgramOptions,
): Promise<StackOutputs & { rolloutBefore?: pulumi.Output<unknown> }> {
  plainStackTraces();
  const projectDir = options.projectDir ?? process.cwd();
  // What `pledge up` handed this run (src/run/channel.ts); plain `pulumi up` hands nothing.
  const channel = readRunChannel(process.env[runChannelVariable]);
  // Clusters found unreachable for this run keep their placements but take nothing new; `pledge up` leaves their objects alone.
  const unreachable = new Map(Object.entries(channel.unreachable));
  const result = await decideRun({
    mode: "online",
    projectDir,
    catalogue: options.catalogue,
    config: (key) => pulumi.runtime.getConfig(key),
    channel,
    stackName: pulumi.getStack(),
    previous: (role) =>
      (options.previousState ?? (() => readPreviousState(role.kind === "shard" ? role.fleetStack : undefined)))(),
    ownPrevious: () => (options.previousState ?? (() => readPreviousState(undefined, "pledge-own-outputs")))(),
    code: pledgeCodeDigest(),
  });
  if (!result.ok) stop(result.issues);
  const { rollout } = result.decision;
  const unstepped = unsteppedRolloutIssue(rollout);
  if (unstepped) stop([unstepped]);
  for (const notice of result.decision.notices) pulumi.log.warn(notice);
  const { model, role, placement, plan, outputs, fingerprint } = result.decision;
  for (const line of kratixNoticeLines(model.promises.map((o) => o.promise))) pulumi.log.info(line);
  if (role.kind === "placement") {
    // The fleet stack holds no cluster: its update records the decision the shards apply.
    reportPlacement(placement, unreachable, model.requests);
    return { ...outputs, fingerprint };
  }

  const inThisStack = role.kind === "shard" ? new Set(role.shard.clusters) : undefined;
  const stackClusters = inThisStack ? model.clusters.filter((c) => inThisStack.has(c.name)) : model.clusters;
  // A Git-delivered cluster gets its objects from its state store; Pledge provisions it (a cloud cluster) but registers no provider for one it only reads.
  const throughGit = new Set(stackClusters.filter(isGitDelivered).map((c) => c.name));
  const clusters = registerClusters(
    { ...model, clusters: stackClusters.filter((c) => !throughGit.has(c.name) || isProvisioned(c)) },
    result.decision.kubeconfigs,
  );
  const direct = { ...plan, objects: plan.objects.filter((o) => !throughGit.has(o.cluster)) };
  // Charts render through the clusters' providers (a Git-delivered cluster's through a render-only one); only providers exist so far, so nothing is applied if one fails.
  const charts = await renderCharts(plan, chartRenderers(clusters, throughGit), projectDir, unreachable);
  const expanded = new Map([...result.decision.yamlObjects, ...charts.chartObjects]);
  stopIfAny([...charts.issues, ...ownershipIssues([...planClaims(plan), ...expandedClaims(plan, expanded)])]);
  const git = gitopsDeliveries({
    clusters: stackClusters,
    stores: model.stateStores,
    requests: model.requests,
    objects: plan.objects,
    expanded,
    // A Git-delivered cluster the rollout has not reached keeps its directory as it is.
    unreachable: new Set([...unreachable.keys(), ...rollout.heldDirectories]),
    digestKey: model.secretSeed,
  });
  stopIfAny(git.issues);

  // A fast update (no checkpoint per step) records what it applies first, so a kill -9 loses nothing.
  if (channel.updateJournal) recordPlannedObjects(channel.updateJournal, plannedObjectKeys(direct, expanded));
  registerPlan(model, placement, direct, clusters, projectDir, {
    onlyWithObjects: role.kind === "shard",
    unreachable: new Set(unreachable.keys()),
    held: rollout.held,
    ...(model.rollout ? { awaitTimeout: model.rollout.config.gate.timeout } : {}),
  });
  const commits = registerStateStores(git.stores, pulumi.getStack());
  if (role.kind === "whole") reportPlacement(placement, unreachable, model.requests);
  return {
    ...outputs,
    fingerprint,
    ...gitopsOutputs(git.stores, commits),
    // What the clusters had before the rollout reached them, for undo: objects, Secrets among them, so a secret.
    ...(Object.keys(rollout.before).length > 0 ? { rolloutBefore: pulumi.secret(rollout.before) } : {}),
  };
}
