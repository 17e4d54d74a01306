// What the program would decide for a stack, decided here without the engine
// and without touching a cluster: the same parsing, binding, placement (sticky
// to the stack's last outputs), deletion guard and rendering, so the same
// messages as `pledge up`. `pledge check <requests file>` runs it with a team's
// changed file in place of the committed one; `pledge preview --json` with the
// files as they are, for each request's placement and moves.
import { relative, resolve } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { readRawStackConfig, readRequestFile } from "../config/load";
import { unplacedWarning } from "../core/outcome";
import { placeFleet } from "../core/placement";
import type { Issue } from "../issues";
import { buildStackModelWithKratix } from "../kratix/offers";
import { buildStackOutputs, previousStateOf, requestFactsOf, type StackOutputs } from "../outputs";
import { guardDeletions } from "../promise/deletion-guard";
import { planObjects } from "../promise/plan";
import { placementFacts } from "../promise/stack-model";
import { loadCatalogue } from "./project";
import { outputValues } from "./stack";

export interface StackDecision {
  /** Problems `pledge up` would stop on, in its words. */
  issues: Issue[];
  /** Where the file's requests would land, and why (set when there are no issues). */
  outputs?: StackOutputs;
  /** The checked files' requests, by key. */
  requests: string[];
  /** Set when a request of the file cannot be (fully) placed: up's warning. */
  unplaced?: string;
}

export interface DecideOptions {
  /** This run's confirmations (pledge preview --allow-delete), as the program gets them. */
  allowDelete?: readonly string[];
  /** Clusters found unreachable for this run: they keep their placements and take nothing new. */
  unreachable?: ReadonlyMap<string, string>;
}

export async function decideStack(
  stack: Stack,
  projectDir: string,
  files: readonly string[] = [],
  options: DecideOptions = {},
): Promise<StackDecision> {
  const catalogue = loadCatalogue(projectDir);
  const values = await stack.getAllConfig();
  const { raw, issues: stackIssues } = readRawStackConfig(projectDir, (key) => values[key]?.value);
  // The files under check replace their committed versions (or join them, when new): read once, reported once.
  const names = new Set(files.map((f) => relative(projectDir, resolve(projectDir, f))));
  const readIssues = stackIssues.filter((i) => !names.has(i.path));
  const checked = files.flatMap((f) => readRequestFile(projectDir, f, readIssues));
  raw.requestFiles = [...(raw.requestFiles ?? []).filter((f) => !names.has(f.file)), ...checked];
  if (options.allowDelete) raw.allowDelete = [...options.allowDelete];
  const { result: built } = buildStackModelWithKratix(raw, projectDir, catalogue);
  if (!built.ok || readIssues.length > 0) return { issues: [...readIssues, ...(built.ok ? [] : built.issues)], requests: [] };
  const model = built.model;
  const previous = previousStateOf(await outputValues(stack));
  const placement = placeFleet({
    ...placementFacts(model, options.unreachable),
    previous: previous.placement,
    previousEligible: previous.eligible,
  });
  const deletionIssues = guardDeletions(previous, model, placement);
  // Passwords are derived, never shown: a stack without its seed yet (set by the first pledge up) checks with a stand-in.
  const { plan, issues: planIssues } = planObjects({
    clusters: model.clusters,
    promises: model.promises,
    requests: model.requests,
    placement,
    teams: model.teams,
    secretSeed: model.secretSeed ?? "pledge-check",
  });
  const mine = model.requests.filter((r) => names.has(r.configPath.split(": ")[0]!)).map((r) => `${r.promise}/${r.name}`);
  const issues = [...deletionIssues, ...planIssues];
  if (issues.length > 0) return { issues, requests: mine };
  const outputs = buildStackOutputs(
    placement,
    model.clusters.map((c) => c.name),
    requestFactsOf(model.requests, plan.outputs),
  );
  const unplaced = unplacedWarning(placement.requests.filter((r) => mine.includes(r.key)));
  return { issues: [], outputs, requests: mine, ...(unplaced ? { unplaced } : {}) };
}
