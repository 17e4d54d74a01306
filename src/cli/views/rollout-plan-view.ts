// A staged rollout's plan as `pledge preview` shows it: in words on stderr,
// in the --json summary as data, and as a section of the --markdown comment.
export interface RolloutPlan {
  gate: { healthyFor: string; timeout: string };
  waves: {
    name: string;
    approval: boolean;
    maxParallel?: number;
    passed: boolean;
    clusters: {
      name: string;
      /** It has the change already (this rollout reached it). */
      reached: boolean;
      /** What the change does there, held until its wave. */
      held: { create: number; update: number; delete: number };
      /** Changes not held (new or leaving requests), applied at once. */
      free: number;
    }[];
  }[];
  /** What the next pledge up does. */
  next: string;
  /** A rollout in progress: where it is, and what a new change does to it. */
  inProgress?: string;
  newChange?: "join" | "wait";
}

function clusterText(c: RolloutPlan["waves"][number]["clusters"][number]): string {
  const counts = (["create", "update", "delete"] as const).filter((k) => c.held[k] > 0).map((k) => `${c.held[k]} to ${k}`);
  const what = c.reached ? "has the change" : counts.length > 0 ? counts.join(", ") : "no change";
  return `${what}${c.free ? ` (+${c.free} not held: new or leaving requests)` : ""}`;
}

function waveTitle(wave: RolloutPlan["waves"][number], index: number): string {
  const state = wave.passed ? "passed" : wave.approval ? "needs approval" : "";
  return `${index + 1}. wave ${wave.name}${wave.maxParallel ? ` (${wave.maxParallel} at a time)` : ""}${state ? ` [${state}]` : ""}`;
}

function inProgressText(plan: RolloutPlan): string | undefined {
  if (!plan.inProgress) return undefined;
  return `a rollout is in progress (${plan.inProgress}): a new change ${plan.newChange === "join" ? "joins it, starting again at the first wave" : "waits until it is done or undone"}`;
}

export function rolloutPlanLines(plan: RolloutPlan): string[] {
  const lines = [`rollout plan (pledge:rollout; gate: ready for ${plan.gate.healthyFor}, within ${plan.gate.timeout}):`];
  plan.waves.forEach((wave, i) => {
    lines.push(`  ${waveTitle(wave, i)}`);
    for (const c of wave.clusters) lines.push(`     ${c.name}: ${clusterText(c)}`);
  });
  if (plan.next) lines.push(`  ${plan.next}`);
  const progress = inProgressText(plan);
  if (progress) lines.push(`  ${progress}`);
  return lines;
}

/** The plan as a section of the pull-request comment. */
export function rolloutPlanMarkdown(plan: RolloutPlan): string[] {
  const lines = ["", `**Rollout** (gate: ready for ${plan.gate.healthyFor}, within ${plan.gate.timeout})`, ""];
  plan.waves.forEach((wave, i) => {
    lines.push(`${waveTitle(wave, i)}`);
    for (const c of wave.clusters) lines.push(`   - ${c.name}: ${clusterText(c)}`);
  });
  lines.push("", plan.next);
  const progress = inProgressText(plan);
  if (progress) lines.push("", progress);
  return lines;
}
