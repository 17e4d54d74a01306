// Staged rollouts (pledge:rollout) on the real engine and the local fleet: a
// chart version bump reaches the canary first and the rest only after an
// approval; a change whose Deployment never becomes ready halts after the
// canary and is undone; a preview shows the waves and changes nothing. Every
// check reads the API servers.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { kubeRequest } from "../../dev/local/kube-api";
import {
  connectionOf,
  ensureTestFleet,
  newPledgeStack,
  pledgeCliArgs,
  pledgeCliEnv,
  runPledge,
  setPledgeConfig,
  type TestStack,
} from "./harness";
import { writeAgentChart } from "./fixtures/promises";

describe("staged rollouts", { timeout: 40 * 60_000 }, () => {
  let fleet: string[];
  let test: TestStack;
  const work = mkdtempSync(join(tmpdir(), "pledge-rollout-"));
  const settingsFile = join(work, "agent.json");
  const pledge = (...args: string[]) => runPledge(test, ...args);

  const chart = (version: string) => writeAgentChart(work, version);
  const agent = (settings: { chart: string; probe: string; unschedulable?: boolean }) =>
    writeFileSync(settingsFile, JSON.stringify(settings));

  async function image(cluster: string, deployment: string): Promise<string | undefined> {
    const res = await kubeRequest(
      connectionOf(cluster),
      "GET",
      `/apis/apps/v1/namespaces/pledge-agent/deployments/${deployment}`,
    );
    return res.status === 200 ? res.body.spec.template.spec.containers[0].image : undefined;
  }
  const images = (deployment: string) => Promise.all(fleet.map((c) => image(c, deployment)));

  async function configure(waves: object[], gate: object = { healthyFor: "2s", timeout: "40s" }): Promise<void> {
    await setPledgeConfig(test.stack, {
      clusters: fleet.map((name, i) => ({ name, source: "local", labels: { ring: i === 0 ? "canary" : "main" } })),
      promises: { agent: {} },
    });
    await test.stack.setConfig("pledge:rollout", { value: JSON.stringify({ waves, gate }) });
  }

  before(async () => {
    fleet = await ensureTestFleet(3);
    process.env.PLEDGE_TEST_AGENT = settingsFile;
    test = await newPledgeStack({ PLEDGE_TEST_AGENT: settingsFile });
    agent({ chart: chart("1.0.0"), probe: "1" });
    await configure([{ name: "canary", clusters: { matchLabels: { ring: "canary" } }, approval: true }, { name: "main" }]);
    // The agent arrives on every cluster at once: nothing was there to protect.
    const first = pledge("up");
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(
      await images("agent"),
      fleet.map(() => "registry.example/agent:1.0.0"),
    );
  });

  after(async () => {
    delete process.env.PLEDGE_TEST_AGENT;
    if (!test) return;
    await test.stack.destroy({ onOutput: () => {} }).catch(() => {});
    await test.stack.workspace.removeStack(test.stack.name, { force: true }).catch(() => {});
  });

  it("a chart version bump reaches the canary first, waits for approval, then the rest; a preview shows the waves and changes nothing", async () => {
    agent({ chart: chart("1.1.0"), probe: "1" });
    const preview = pledge("preview");
    assert.equal(preview.status, 0, preview.stderr);
    assert.match(preview.stderr, /1\. wave canary \[needs approval\]\n\s+\S+: 1 to update/);
    assert.match(preview.stderr, /next pledge up applies wave canary to /);
    assert.deepEqual(
      await images("agent"),
      fleet.map(() => "registry.example/agent:1.0.0"),
      "a preview changes nothing",
    );

    const canary = pledge("up");
    assert.equal(canary.status, 6, `the approval wave stops up with 6\n${canary.stderr}`);
    assert.match(canary.stderr, /wave canary is healthy and waits for approval: pledge rollout approve canary/);
    assert.deepEqual(await images("agent"), [
      "registry.example/agent:1.1.0",
      "registry.example/agent:1.0.0",
      "registry.example/agent:1.0.0",
    ]);
    const status = pledge("rollout", "status");
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout, /wave canary: waiting for approval/);
    assert.match(status.stdout, /ready\s+Deployment pledge-agent\/agent: 1\/1 replicas available/);

    const again = pledge("up");
    assert.equal(again.status, 6, "up again still waits: nothing reached the rest");
    assert.equal(await image(fleet[1]!, "agent"), "registry.example/agent:1.0.0");

    const approved = pledge("rollout", "approve", "canary");
    assert.equal(approved.status, 0, approved.stderr);
    assert.match(approved.stderr, /rollout done: every wave passed/);
    assert.deepEqual(
      await images("agent"),
      fleet.map(() => "registry.example/agent:1.1.0"),
    );
  });

  it("a Deployment that never becomes ready halts the rollout after the canary, and undo puts the canary back", async () => {
    await configure([{ name: "canary", clusters: { matchLabels: { ring: "canary" } } }, { name: "main" }]);
    agent({ chart: chart("1.1.0"), probe: "2", unschedulable: true });
    const halted = pledge("up");
    assert.equal(halted.status, 5, `a halted rollout exits 5\n${halted.stderr}`);
    assert.match(halted.stderr, /wave canary failed: /);
    assert.match(halted.stderr, new RegExp(`the rollout is halted: ${fleet[1]}, ${fleet[2]} keep the old version`));
    assert.deepEqual(await images("agent-probe"), [
      "registry.example/agent-probe:2",
      "registry.example/agent-probe:1",
      "registry.example/agent-probe:1",
    ]);
    const status = pledge("rollout", "status");
    assert.match(status.stdout, /rollout: halted/);
    assert.match(status.stdout, /wave canary: halted/);
    // The old replica still serves beside the new one that never starts: not ready, whatever "available" says.
    assert.match(status.stdout, /not ready Deployment pledge-agent\/agent-probe: .*previous version still running/);

    const stillHalted = pledge("up");
    assert.equal(stillHalted.status, 5, stillHalted.stderr);
    assert.equal(await image(fleet[1]!, "agent-probe"), "registry.example/agent-probe:1", "nothing more is applied");

    const undone = pledge("rollout", "undo");
    assert.equal(undone.status, 0, undone.stderr);
    assert.deepEqual(
      await images("agent-probe"),
      fleet.map(() => "registry.example/agent-probe:1"),
    );
    const probe = await kubeRequest(
      connectionOf(fleet[0]!),
      "GET",
      "/apis/apps/v1/namespaces/pledge-agent/deployments/agent-probe",
    );
    assert.equal(probe.body.spec.template.spec.nodeSelector, undefined, "the canary has its old probe back");

    // The fix: the same agent without the bad node selector goes out as a new rollout.
    agent({ chart: chart("1.1.0"), probe: "2" });
    const fixed = pledge("up");
    assert.equal(fixed.status, 0, fixed.stderr);
    assert.deepEqual(
      await images("agent-probe"),
      fleet.map(() => "registry.example/agent-probe:2"),
    );
  });

  it("a kill -9 in the middle of a wave: the next pledge up goes on from that wave, applying nothing twice and losing nothing", async () => {
    await configure([
      { name: "canary", clusters: { matchLabels: { ring: "canary" } } },
      { name: "main", maxParallel: 1 },
    ]);
    agent({ chart: chart("1.2.0"), probe: "2" });
    const child = spawn(process.execPath, pledgeCliArgs(test, ["up", "--verbose"]), {
      env: pledgeCliEnv(test),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const check = (chunk: Buffer) => {
        output += chunk.toString();
        // The engine is updating the first cluster of the second wave: the canary is done, the rest is not.
        const main = output.indexOf("wave main: applying the change to");
        if (main >= 0 && /updating/.test(output.slice(main))) {
          process.kill(-child.pid!, "SIGKILL");
          resolve();
        }
      };
      child.stdout.on("data", check);
      child.stderr.on("data", check);
      child.on("exit", () => reject(new Error(`the update ended before the moment to kill it:\n${output.slice(-3000)}`)));
    });
    await new Promise((resolve) => child.on("close", resolve));
    const generation = async (cluster: string) =>
      (await kubeRequest(connectionOf(cluster), "GET", "/apis/apps/v1/namespaces/pledge-agent/deployments/agent")).body.metadata
        .generation;
    const canaryGeneration = await generation(fleet[0]!);
    assert.equal(await image(fleet[0]!, "agent"), "registry.example/agent:1.2.0", "the canary's wave was done before the kill");
    assert.equal(await image(fleet[2]!, "agent"), "registry.example/agent:1.1.0", "the last cluster was not reached");

    const resumed = pledge("up");
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.doesNotMatch(resumed.stderr, /wave canary: applying/, "the canary's wave is not applied again");
    assert.match(resumed.stderr, new RegExp(`wave main: applying the change to ${fleet[1]}\n`));
    assert.match(resumed.stderr, new RegExp(`wave main: applying the change to ${fleet[2]}\n`));
    assert.match(resumed.stderr, /rollout done: every wave passed/);
    assert.deepEqual(
      await images("agent"),
      fleet.map(() => "registry.example/agent:1.2.0"),
    );
    assert.equal(await generation(fleet[0]!), canaryGeneration, "nothing was applied twice on the canary");
  });
});
