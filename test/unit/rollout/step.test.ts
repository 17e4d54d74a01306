// The next step of a staged rollout: capture, apply a wave (or a batch of
// it), gate it, wait for an approval, go on without unreachable clusters when
// told to, restart or refuse on a second change, and stop when halted, undone
// or done. A small simulation stands in for `pledge up`: it takes a step, does
// what the step says (a cluster the change reached has nothing held any more)
// and asks for the next.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rolloutSchema } from "../../../src/config/schema";
import { changeId, type ClusterChange } from "../../../src/rollout/changes";
import { newRollout, type RolloutRecord } from "../../../src/rollout/record";
import {
  approve,
  gatePassed,
  halt,
  nextStep,
  progressText,
  resume,
  type RolloutStep,
  type StepInput,
  type StepResult,
} from "../../../src/rollout/step";
import type { Wave } from "../../../src/fleet/waves";

const configOf = (extra: object = {}) =>
  rolloutSchema.parse({
    waves: [{ name: "canary", clusters: { matchLabels: { env: "dev" } } }, { name: "prod" }],
    ...extra,
  });

const twoWaves: Wave[] = [
  { name: "canary", clusters: ["c1"], approval: false },
  { name: "prod", clusters: ["c2", "c3"], approval: false },
];

/** A held update of one object on each of these clusters. */
function changesOn(clusters: readonly string[], version = "v2"): Map<string, ClusterChange> {
  return new Map(
    clusters.map((c) => [
      c,
      { held: [{ name: `cm-${c}`, owner: "team:shop", kind: "update" as const, wanted: `${version}-${c}` }], free: 0 },
    ]),
  );
}

function inputOf(extra: Partial<StepInput> = {}): StepInput {
  return {
    config: configOf(),
    waves: twoWaves,
    changes: changesOn(["c1", "c2", "c3"]),
    record: undefined,
    captured: new Set(),
    unreachable: new Set(),
    skipUnreachable: false,
    now: "t0",
    ...extra,
  };
}

/** One line per step, for comparing whole runs. */
function describeStep(step: RolloutStep): string {
  switch (step.kind) {
    case "capture":
      return `capture ${step.clusters.join(",")}`;
    case "apply":
    case "gate":
    case "blocked":
      return `${step.kind} ${step.wave.name} ${step.clusters.join(",")}`;
    case "approval":
      return `approval ${step.wave.name}`;
    case "refused":
      return `refused ${step.issue.path}`;
    default:
      return step.kind;
  }
}

/** The record a step carries (every step but "none" without a rollout has one). */
function recordOf(step: RolloutStep): RolloutRecord {
  if (!("record" in step) || !step.record) return assert.fail(`a ${step.kind} step without a record`);
  return step.record;
}

/** `pledge up` in miniature: the fleet's held changes, the stored captures and the record, as steps change them. */
class Run {
  pending: Set<string>;
  captured = new Set<string>();
  record: RolloutRecord | undefined;
  unreachable = new Set<string>();
  skipUnreachable = false;
  notices: string[] = [];
  private clock = 0;

  constructor(
    readonly waves: readonly Wave[],
    pending: readonly string[],
    public config = configOf(),
  ) {
    this.pending = new Set(pending);
  }

  next(): StepResult {
    this.clock++;
    return nextStep({
      config: this.config,
      waves: this.waves,
      changes: changesOn([...this.pending]),
      record: this.record,
      captured: this.captured,
      unreachable: this.unreachable,
      skipUnreachable: this.skipUnreachable,
      now: `t${this.clock}`,
    });
  }

  /** Takes the next step and does what it says (every gate passes). */
  take(): RolloutStep {
    const { step, notices } = this.next();
    this.notices.push(...notices);
    if (step.kind === "capture") for (const c of step.clusters) this.captured.add(c);
    if (step.kind === "apply") for (const c of step.clusters) this.pending.delete(c);
    if (step.kind === "gate") this.record = gatePassed(step.record, step.clusters);
    else if (step.kind !== "refused") this.record = step.record;
    return step;
  }

  /** Takes steps until one needs a person (approval, blocked, halted, refused...) or the rollout is over, or `count` steps. */
  steps(count?: number): string[] {
    const out: string[] = [];
    while (out.length < (count ?? 20)) {
      const step = this.take();
      out.push(describeStep(step));
      if (!["capture", "apply", "gate"].includes(step.kind)) return out;
    }
    if (count === undefined) assert.fail(`no end after 20 steps: ${out.join("; ")}`);
    return out;
  }
}

describe("nextStep", () => {
  it("takes no step when nothing is held and no rollout is recorded", () => {
    const { step, notices } = nextStep(inputOf({ changes: new Map() }));
    assert.deepEqual(step, { kind: "none" });
    assert.deepEqual(notices, []);
  });

  it("takes no step when every change goes at once (only free changes)", () => {
    const { step } = nextStep(inputOf({ changes: new Map([["c1", { held: [], free: 3 }]]) }));
    assert.deepEqual(step, { kind: "none" });
  });

  it("keeps a finished rollout's record when nothing is held", () => {
    const done: RolloutRecord = { ...newRollout("t0"), state: "done", passed: { canary: "t1", prod: "t2" } };
    assert.deepEqual(nextStep(inputOf({ changes: new Map(), record: done })).step, { kind: "none", record: done });
  });

  it("first captures every cluster with a held change, starting a rollout", () => {
    const { step } = nextStep(inputOf({ now: "t5" }));
    assert.equal(step.kind, "capture");
    assert.deepEqual(step.kind === "capture" && step.clusters, ["c1", "c2", "c3"]);
    assert.deepEqual(step.record, newRollout("t5"));
  });

  it("captures only the clusters not captured yet", () => {
    const { step } = nextStep(inputOf({ captured: new Set(["c1", "c3"]), record: newRollout("t0") }));
    assert.equal(describeStep(step), "capture c2");
  });

  it("once captured, applies the first wave's clusters with a held change, recording them as reached", () => {
    const { step } = nextStep(inputOf({ captured: new Set(["c1", "c2", "c3"]), record: newRollout("t0") }));
    assert.equal(describeStep(step), "apply canary c1");
    assert.deepEqual(step.kind === "apply" && step.wave, twoWaves[0]);
    assert.deepEqual(step.kind === "apply" && step.record.reached, ["c1"]);
    assert.equal(step.kind === "apply" && step.record.state, "rolling");
  });

  it("gates a wave whose reached clusters are not gated yet", () => {
    const record: RolloutRecord = { ...newRollout("t0"), reached: ["c1"] };
    const { step } = nextStep(inputOf({ captured: new Set(["c1", "c2", "c3"]), record, changes: changesOn(["c2", "c3"]) }));
    assert.equal(describeStep(step), "gate canary c1");
    assert.deepEqual(step.record, record);
  });

  it("once the wave's gate passed, records the wave as passed and applies the next", () => {
    const record = gatePassed({ ...newRollout("t0"), reached: ["c1"] }, ["c1"]);
    assert.deepEqual(record.gated, ["c1"]);
    const { step } = nextStep(
      inputOf({ captured: new Set(["c1", "c2", "c3"]), record, changes: changesOn(["c2", "c3"]), now: "t7" }),
    );
    assert.equal(describeStep(step), "apply prod c2,c3");
    assert.deepEqual(recordOf(step).passed, { canary: "t7" });
    assert.deepEqual(recordOf(step).reached, ["c1", "c2", "c3"]);
  });

  it("rolls out wave by wave to done, recording every wave as passed", () => {
    const run = new Run(twoWaves, ["c1", "c2", "c3"]);
    assert.deepEqual(run.steps(), [
      "capture c1,c2,c3",
      "apply canary c1",
      "gate canary c1",
      "apply prod c2,c3",
      "gate prod c2,c3",
      "done",
    ]);
    assert.equal(run.record!.state, "done");
    assert.deepEqual(Object.keys(run.record!.passed), ["canary", "prod"]);
    assert.deepEqual(run.record!.reached, ["c1", "c2", "c3"]);
    assert.deepEqual(run.notices, []);
    // Done and nothing held: no step, the record kept.
    assert.equal(run.next().step.kind, "none");
  });

  it("passes a wave whose clusters have no change without a step", () => {
    const run = new Run(twoWaves, ["c2"]);
    assert.deepEqual(run.steps(), ["capture c2", "apply prod c2", "gate prod c2", "done"]);
    assert.deepEqual(Object.keys(run.record!.passed), ["canary", "prod"]);
    assert.deepEqual(run.record!.reached, ["c2"]);
  });

  it("applies a wave in batches of maxParallel, gating each before the next", () => {
    const waves: Wave[] = [twoWaves[0]!, { ...twoWaves[1]!, maxParallel: 1 }];
    const run = new Run(waves, ["c1", "c2", "c3"]);
    assert.deepEqual(run.steps(), [
      "capture c1,c2,c3",
      "apply canary c1",
      "gate canary c1",
      "apply prod c2",
      "gate prod c2",
      "apply prod c3",
      "gate prod c2,c3",
      "done",
    ]);
  });

  it("waits for an approval after an approval wave's gate, and goes on once approved", () => {
    const waves: Wave[] = [{ ...twoWaves[0]!, approval: true }, twoWaves[1]!];
    const run = new Run(waves, ["c1", "c2", "c3"]);
    assert.deepEqual(run.steps(), ["capture c1,c2,c3", "apply canary c1", "gate canary c1", "approval canary"]);
    assert.equal(run.next().step.kind, "approval", "still waiting without an approval");
    assert.equal(run.record!.passed["canary"], undefined);
    run.record = approve(run.record!, "canary", "t-approved");
    assert.deepEqual(run.record.approved, { canary: "t-approved" });
    assert.deepEqual(run.steps(), ["apply prod c2,c3", "gate prod c2,c3", "done"]);
  });

  it("is blocked by an unreachable cluster in the current wave, naming it", () => {
    const run = new Run(twoWaves, ["c1", "c2", "c3"]);
    run.unreachable.add("c3");
    assert.deepEqual(run.steps(), ["capture c1,c2,c3", "apply canary c1", "gate canary c1", "blocked prod c3"]);
    assert.deepEqual(run.record!.reached, ["c1"], "nothing of the wave is applied");
  });

  it("goes on without an unreachable cluster with skipUnreachable, saying so and recording it as skipped", () => {
    const run = new Run(twoWaves, ["c1", "c2", "c3"]);
    run.unreachable.add("c3");
    run.skipUnreachable = true;
    assert.deepEqual(run.steps(), [
      "capture c1,c2,c3",
      "apply canary c1",
      "gate canary c1",
      "apply prod c2",
      "gate prod c2",
      "done",
    ]);
    assert.deepEqual(run.record!.skipped, ["c3"]);
    assert.deepEqual(run.record!.reached, ["c1", "c2"]);
    assert.ok(run.notices.length > 0);
    assert.ok(
      run.notices.every((n) => n === "wave prod goes on without c3 (unreachable, --skip-unreachable)"),
      run.notices.join("\n"),
    );
  });

  it("gives a skipped cluster the change once it is back, in its passed wave", () => {
    const waves: Wave[] = [
      { name: "canary", clusters: ["c1"], approval: false },
      { name: "mid", clusters: ["c2", "c3"], approval: false },
      { name: "last", clusters: ["c4"], approval: true },
    ];
    const run = new Run(waves, ["c1", "c2", "c3", "c4"]);
    run.unreachable.add("c3");
    run.skipUnreachable = true;
    assert.deepEqual(run.steps(), [
      "capture c1,c2,c3,c4",
      "apply canary c1",
      "gate canary c1",
      "apply mid c2",
      "gate mid c2",
      "apply last c4",
      "gate last c4",
      "approval last",
    ]);
    run.unreachable.delete("c3");
    assert.deepEqual(run.steps(), ["apply mid c3", "approval last"]);
    assert.deepEqual(run.record!.reached, ["c1", "c2", "c4", "c3"]);
  });

  it("restarts at the first wave when a reached cluster gets a new change and newChange is join", () => {
    const run = new Run(twoWaves, ["c1", "c2", "c3"]);
    assert.deepEqual(run.steps(4), ["capture c1,c2,c3", "apply canary c1", "gate canary c1", "apply prod c2,c3"]);
    const startedAt = run.record!.startedAt;
    run.pending.add("c1"); // a second change, on a cluster that has the first
    const { step, notices } = run.next();
    assert.deepEqual(notices, [
      "a new change joins the rollout in progress: it starts again at wave canary (c1 had the earlier change)",
    ]);
    assert.equal(describeStep(step), "apply canary c1");
    assert.deepEqual(recordOf(step).reached, ["c1"], "reached starts again");
    assert.deepEqual(recordOf(step).gated, []);
    assert.deepEqual(recordOf(step).passed, {});
    assert.equal(recordOf(step).startedAt, startedAt);
  });

  it("refuses a new change on a reached cluster when newChange is wait, at pledge:rollout.newChange", () => {
    const run = new Run(twoWaves, ["c1", "c2", "c3"], configOf({ newChange: "wait" }));
    assert.deepEqual(run.steps(4).at(-1), "apply prod c2,c3");
    const record = run.record!;
    run.pending.add("c1");
    const { step, notices } = run.next();
    assert.equal(step.kind, "refused");
    assert.deepEqual(notices, []);
    if (step.kind !== "refused") return;
    assert.equal(step.issue.path, "pledge:rollout.newChange");
    assert.match(
      step.issue.message,
      /^is wait, and a rollout is in progress \(at wave prod, 2 of 2\): the new change on c1 waits/,
    );
    assert.deepEqual(step.record, record, "the record is as it was");
  });

  it("does not restart for a new change on a cluster the rollout has not reached", () => {
    const { step, notices } = nextStep(
      inputOf({
        captured: new Set(["c1", "c2", "c3"]),
        record: { ...newRollout("t0"), reached: ["c1"] },
        changes: changesOn(["c2", "c3"], "v3"),
        config: configOf({ newChange: "wait" }),
      }),
    );
    assert.deepEqual(notices, []);
    assert.equal(describeStep(step), "gate canary c1");
  });

  it("stays halted until resumed, then retries the wave's gate", () => {
    const run = new Run(twoWaves, ["c1", "c2", "c3"]);
    run.steps(4); // ..., apply prod c2,c3
    const gate = run.take();
    assert.equal(describeStep(gate), "gate prod c2,c3");
    const failure = { wave: "prod", reason: "c2: Deployment shop not ready", clusters: ["c2", "c3"], applied: true };
    run.record = halt(recordOf(gate), failure, "t-halt");
    assert.equal(run.record.state, "halted");
    assert.deepEqual(run.record.halted, {
      wave: "prod",
      reason: "c2: Deployment shop not ready",
      at: "t-halt",
      clusters: ["c2", "c3"],
    });
    assert.equal(run.next().step.kind, "halted");
    assert.equal(run.next().step.kind, "halted", "still halted");
    const resumed = resume(run.record, "t-resume");
    assert.equal(resumed.state, "rolling");
    assert.ok(!("halted" in resumed));
    assert.deepEqual(resumed.gated, []);
    assert.deepEqual(resumed.reached, ["c1", "c2", "c3"]);
    run.record = resumed;
    assert.deepEqual(run.steps(), ["gate prod c2,c3", "done"]);
  });

  it("a wave whose apply failed is applied again on resume, not only checked", () => {
    const run = new Run(twoWaves, ["c1", "c2", "c3"]);
    run.steps(3); // capture, apply canary, gate canary
    const apply = run.take();
    assert.equal(describeStep(apply), "apply prod c2,c3");
    // The update failed: c2 and c3 still have the change to come.
    run.pending.add("c2").add("c3");
    const failure = { wave: "prod", reason: "the update failed", clusters: ["c2", "c3"], applied: false };
    run.record = halt(recordOf(apply), failure, "t-halt");
    assert.deepEqual(run.record.reached, ["c1"], "the failed batch is not counted as reached");
    run.record = resume(run.record, "t-resume");
    assert.equal(run.record.appliedAt.prod, "t-resume", "the gate's timeout counts afresh");
    assert.deepEqual(run.steps(), ["apply prod c2,c3", "gate prod c2,c3", "done"]);
  });

  it("stays undone for the change that was undone, and starts a new rollout for another", () => {
    const changes = changesOn(["c1", "c2", "c3"]);
    const undone: RolloutRecord = {
      ...newRollout("t0"),
      state: "undone",
      reached: ["c1"],
      undone: { change: changeId(changes), at: "t1" },
    };
    const same = nextStep(inputOf({ record: undone, changes: changesOn(["c1", "c2", "c3"]) }));
    assert.deepEqual(same.step, { kind: "undone", record: undone });
    const other = nextStep(inputOf({ record: undone, changes: changesOn(["c1", "c2", "c3"], "v3"), now: "t9" }));
    assert.equal(describeStep(other.step), "capture c1,c2,c3");
    assert.deepEqual(other.step.record, newRollout("t9"));
  });

  it("leaves an undone rollout once nothing is held any more", () => {
    const undone: RolloutRecord = { ...newRollout("t0"), state: "undone", undone: { change: changeId(new Map()), at: "t1" } };
    assert.deepEqual(nextStep(inputOf({ record: undone, changes: new Map() })).step, { kind: "none" });
  });

  it("starts a new rollout after a finished one when something is held again", () => {
    const done: RolloutRecord = {
      ...newRollout("t0"),
      state: "done",
      reached: ["c1", "c2", "c3"],
      passed: { canary: "t1", prod: "t2" },
    };
    const { step, notices } = nextStep(
      inputOf({ record: done, changes: changesOn(["c1"]), captured: new Set(["c1"]), now: "t9" }),
    );
    assert.deepEqual(notices, []);
    assert.equal(describeStep(step), "apply canary c1");
    assert.equal(recordOf(step).startedAt, "t9");
    assert.deepEqual(recordOf(step).passed, {});
  });
});

describe("rollout record changes", () => {
  it("gatePassed adds the clusters once", () => {
    const record = gatePassed(gatePassed(newRollout("t0"), ["c1"]), ["c1", "c2"]);
    assert.deepEqual(record.gated, ["c1", "c2"]);
  });

  it("resume starts an undone rollout again, and leaves a rolling one as it is", () => {
    const rolling: RolloutRecord = { ...newRollout("t0"), reached: ["c1"], gated: ["c1"] };
    assert.deepEqual(resume(rolling, "t1"), rolling);
    assert.deepEqual(resume({ ...rolling, state: "undone", undone: { change: "x", at: "t0" } }, "t5"), newRollout("t5"));
  });

  it("progressText says which wave the rollout is at", () => {
    assert.equal(progressText(newRollout("t0"), twoWaves), "at wave canary, 1 of 2");
    assert.equal(progressText({ ...newRollout("t0"), passed: { canary: "t1" } }, twoWaves), "at wave prod, 2 of 2");
    assert.equal(progressText({ ...newRollout("t0"), passed: { canary: "t1", prod: "t2" } }, twoWaves), "every wave passed");
  });
});
