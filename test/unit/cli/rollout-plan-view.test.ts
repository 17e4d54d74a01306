// A staged rollout's plan as `pledge preview` shows it: in words, and as a
// section of the pull-request comment (the --json summary carries the data).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rolloutPlanLines, rolloutPlanMarkdown, type RolloutPlan } from "../../../src/cli/views/rollout-plan-view";
import { previewMarkdown } from "../../../src/cli/views/preview-summary";

const plan: RolloutPlan = {
  gate: { healthyFor: "2m", timeout: "10m" },
  waves: [
    {
      name: "canary",
      approval: true,
      passed: true,
      clusters: [{ name: "dev-1", reached: true, held: { create: 0, update: 0, delete: 0 }, free: 0 }],
    },
    {
      name: "eu",
      approval: false,
      maxParallel: 2,
      passed: false,
      clusters: [
        { name: "eu-1", reached: false, held: { create: 1, update: 2, delete: 0 }, free: 3 },
        { name: "eu-2", reached: false, held: { create: 0, update: 0, delete: 0 }, free: 0 },
      ],
    },
  ],
  next: "next pledge up applies wave eu to eu-1 first; this preview shows that step",
  inProgress: "at wave eu, 2 of 2",
  newChange: "join",
};

describe("the rollout plan", () => {
  it("says each wave, what the change does on each of its clusters, the gate and what comes next", () => {
    assert.deepEqual(rolloutPlanLines(plan), [
      "rollout plan (pledge:rollout; gate: ready for 2m, within 10m):",
      "  1. wave canary [passed]",
      "     dev-1: has the change",
      "  2. wave eu (2 at a time)",
      "     eu-1: 1 to create, 2 to update (+3 not held: new or leaving requests)",
      "     eu-2: no change",
      "  next pledge up applies wave eu to eu-1 first; this preview shows that step",
      "  a rollout is in progress (at wave eu, 2 of 2): a new change joins it, starting again at the first wave",
    ]);
  });

  it("is a section of the pull-request comment", () => {
    const comment = previewMarkdown({
      stack: "dev",
      requests: [],
      clusters: {},
      deletions: {},
      drift: {},
      unplaced: [],
      rollout: plan,
    });
    assert.ok(comment.includes(rolloutPlanMarkdown(plan).join("\n")), comment);
    assert.match(comment, /\*\*Rollout\*\* \(gate: ready for 2m, within 10m\)/);
    assert.match(comment, /   - eu-1: 1 to create, 2 to update/);
  });
});
