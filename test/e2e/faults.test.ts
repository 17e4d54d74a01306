// Faults a platform meets, on the real engine and the local fleet, each
// followed by one plain `pledge up`: an update killed (kill -9 of its process
// group) before its first object, midway and while deleting; objects deleted
// and edited by hand; an emptied cluster list and a removed cluster; an API
// server stopped during an update; two updates at once; and a bad config,
// whose output must be exactly its problem list. Every check reads the API
// servers or the state itself.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fleetDown, fleetUp } from "../../dev/local/fleet";
import { kubeRequest } from "../../dev/local/kube-api";
import { cliArgs } from "../../tools/lib/cli-build.mjs";
import {
  connectionOf,
  ensureTestFleet,
  managedState,
  newPledgeStack,
  type CliResult,
  pledgeCliArgs,
  pledgeCliEnv,
  runPledge,
  setPledgeConfig,
  testFleetDir,
  type PledgeConfig,
  type TestStack,
  uniqueName,
} from "./harness";

describe("faults", { timeout: 40 * 60_000 }, () => {
  let fleet: string[];
  let test: TestStack;
  const team = uniqueName("faults");
  const cluster = (name: string) => ({ name, source: "local", labels: { workload: "general" } });
  const requests = (names: string[], spec: object = {}) => names.map((name) => ({ promise: "redis", name, team, spec }));
  const first = Array.from({ length: 10 }, (_, i) => `a${i}`);
  const second = Array.from({ length: 10 }, (_, i) => `b${i}`);
  const third = Array.from({ length: 10 }, (_, i) => `c${i}`);

  const pledge = (...args: string[]) => runPledge(test, ...args);

  /** Every process below pid (read from /proc), so the plugins the engine starts in their own groups die with it. */
  function descendants(pid: number): number[] {
    const children = readdirSync("/proc")
      .filter((d) => /^\d+$/.test(d))
      .flatMap((d) => {
        try {
          const stat = readFileSync(`/proc/${d}/stat`, "utf8");
          return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid ? [Number(d)] : [];
        } catch {
          return [];
        }
      });
    return children.flatMap((c) => [c, ...descendants(c)]);
  }

  /** Starts `pledge up --verbose` in its own process group; kills it and everything it started (by pid) when `when` sees the moment. */
  async function killedUp(when: (output: string) => boolean): Promise<void> {
    const child = spawn(process.execPath, pledgeCliArgs(test, ["up", "--verbose"]), {
      env: pledgeCliEnv(test),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const check = (chunk: Buffer) => {
        output += chunk.toString();
        if (when(output)) {
          const tree = descendants(child.pid!);
          process.kill(-child.pid!, "SIGKILL");
          for (const pid of tree) {
            try {
              process.kill(pid, "SIGKILL");
            } catch {
              // already gone with its group
            }
          }
          resolve();
        }
      };
      child.stdout.on("data", check);
      child.stderr.on("data", check);
      child.on("exit", () => reject(new Error(`the update ended before the moment to kill it:\n${output.slice(-3000)}`)));
    });
    await new Promise((resolve) => child.on("close", resolve));
  }

  const lockDir = () => join(test.backendDir, ".pulumi", "locks", "organization", "pledge", "test");
  const locked = () => existsSync(lockDir()) && readdirSync(lockDir()).some((f) => f.endsWith(".json"));

  async function deploymentsOn(c: string): Promise<Map<string, any>> {
    const res = await kubeRequest(connectionOf(c), "GET", `/apis/apps/v1/namespaces/${team}/deployments`);
    if (res.status === 404) return new Map();
    return new Map((res.body.items ?? []).map((d: any) => [d.metadata.name, d]));
  }

  /** Every request's Deployment is on exactly the clusters its placement says, and nowhere else; the state has each once, nothing pending. */
  async function converged(expected: string[]): Promise<void> {
    const outputs = await test.stack.outputs();
    const placements = outputs.placements!.value as Record<string, string[]>;
    assert.deepEqual(Object.keys(placements).sort(), expected.map((n) => `redis/${n}`).sort());
    for (const c of fleet) {
      const live = [...(await deploymentsOn(c)).keys()].sort();
      const wanted = expected
        .filter((n) => placements[`redis/${n}`]!.includes(c))
        .map((n) => `redis-${n}`)
        .sort();
      assert.deepEqual(live, wanted, `Deployments on ${c}`);
    }
    const state = await test.stack.exportStack();
    assert.deepEqual(state.deployment.pending_operations ?? [], [], "nothing left pending");
    const deployments = (await managedState(test.stack)).filter((r: any) => r.type === "kubernetes:apps/v1:Deployment");
    assert.equal(deployments.length, expected.length, "each object once in the state");
  }

  const base = (names: string[]): PledgeConfig => ({
    clusters: [cluster(fleet[0]!), cluster(fleet[1]!)],
    promises: { redis: {} },
    requests: requests(names),
  });

  before(async () => {
    fleet = await ensureTestFleet(3);
    test = await newPledgeStack();
  });

  after(async () => {
    await fleetUp(testFleetDir(), { clusters: 3 }).catch(() => {});
    if (!test) return;
    await test.stack.destroy({ onOutput: () => {} }).catch(() => {});
    await test.stack.workspace.removeStack(test.stack.name, { force: true }).catch(() => {});
  });

  it("an update killed before its first object: the next pledge up clears the lock and converges", async () => {
    await setPledgeConfig(test.stack, base(first));
    await killedUp(() => locked());
    assert.ok(locked(), "the killed update left its lock");
    const result = pledge("up");
    assert.equal(result.status, 0, result.stderr);
    assert.match(
      result.stderr,
      /cleared a stale lock on stack test: the update of root@\S+ \(pid \d+\) since \S+ is no longer running/,
    );
    await converged(first);
  });

  it("an update killed midway: objects it created are adopted, none twice", async () => {
    await setPledgeConfig(test.stack, base([...first, ...second]));
    await killedUp((out) => (out.match(/ created \(/g) ?? []).length >= 6);
    const result = pledge("up");
    assert.equal(result.status, 0, result.stderr);
    await converged([...first, ...second]);
  });

  it("an update killed while deleting: the next pledge up finishes the deletions", async () => {
    await setPledgeConfig(test.stack, base(first));
    await killedUp((out) => / deleting /.test(out));
    const result = pledge("up");
    assert.equal(result.status, 0, result.stderr);
    await converged(first);
  });

  it("an update killed midway whose objects are then no longer wanted: the next pledge up removes them", async () => {
    await setPledgeConfig(test.stack, base([...first, ...third]));
    // Killed once it has applied a Deployment of the new requests (the state, written at the end, knows none of them).
    await killedUp((out) => /Deployment[^\n]*redis\/c\d[^\n]* created \(/.test(out));
    const leaked = [...(await deploymentsOn(fleet[0]!)).keys(), ...(await deploymentsOn(fleet[1]!)).keys()].filter((n) =>
      n.startsWith("redis-c"),
    );
    assert.ok(leaked.length > 0, "the killed update applied objects of the new requests");
    await setPledgeConfig(test.stack, base(first));
    const result = pledge("up");
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /removed \d+ object\(s\) an interrupted update had applied and this one no longer wants/);
    await converged(first);
  });

  it("objects deleted and edited by hand: preview shows the drift and changes nothing; pledge up puts them back", async () => {
    const [c] = fleet;
    const placements = (await test.stack.outputs()).placements!.value as Record<string, string[]>;
    const onC = first.filter((n) => placements[`redis/${n}`]!.includes(c!));
    const [gone, scaled] = onC;
    await kubeRequest(connectionOf(c!), "DELETE", `/apis/apps/v1/namespaces/${team}/deployments/redis-${gone}`);
    const patch = await kubeRequest(
      connectionOf(c!),
      "PATCH",
      `/apis/apps/v1/namespaces/${team}/deployments/redis-${scaled}/scale`,
      { spec: { replicas: 4 } },
      "application/merge-patch+json",
    );
    assert.equal(patch.status, 200);
    const preview = pledge("preview");
    assert.equal(preview.status, 0, preview.stderr);
    assert.match(
      preview.stderr,
      new RegExp(
        `Drift \\(changed on the clusters outside Pledge; pledge up puts it back\\):\\n  ${c}: .*redis-${gone} deleted.*`,
      ),
    );
    assert.match(preview.stderr, new RegExp(`redis/${scaled}@${c}/Deployment/${team}/redis-${scaled} changed`));
    const live = await deploymentsOn(c!);
    assert.ok(!live.has(`redis-${gone}`) && live.get(`redis-${scaled}`).spec.replicas === 4, "preview changed nothing");
    const result = pledge("up");
    assert.equal(result.status, 0, result.stderr);
    const repaired = await deploymentsOn(c!);
    assert.ok(repaired.has(`redis-${gone}`), "the deleted Deployment is back");
    assert.equal(repaired.get(`redis-${scaled}`).spec.replicas, 1, "the scaled one is back to what its request says");
  });

  it("an emptied cluster list is a config error, printed once and exactly, and changes nothing", async () => {
    const before = await managedState(test.stack);
    await setPledgeConfig(test.stack, { ...base(first), clusters: [] });
    const result = pledge("up");
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr,
      "pledge: Pledge configuration has 1 problem; nothing was changed:\n  - pledge:clusters: is empty: the fleet needs at least one cluster (to take everything down on purpose, run pulumi destroy)\n",
    );
    assert.deepEqual(await managedState(test.stack), before, "state unchanged");
  });

  it("a stack that does not exist is named, with how to create it, and none is created", async () => {
    const missing = `${test.stack.name}-missing`;
    // This test stack's project and backend, another stack's name.
    const result = spawnSync(process.execPath, [...cliArgs(), "status", "--dir", test.workDir, "-s", missing], {
      env: pledgeCliEnv(test),
      encoding: "utf8",
    });
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr,
      `pledge: stack ${missing} does not exist in this backend (file://${test.backendDir}); pledge up -s ${missing} creates it, or give the right one with -s\n`,
    );
    const stacks = await test.stack.workspace.listStacks();
    assert.deepEqual(
      stacks.map((s) => s.name),
      [test.stack.name],
    );
  });

  it("a removed cluster with workloads is refused without confirmation and applied with it", async () => {
    const removed = fleet[1]!;
    const onRemoved = [...(await deploymentsOn(removed)).keys()];
    assert.ok(onRemoved.length > 0);
    await setPledgeConfig(test.stack, { ...base(first), clusters: [cluster(fleet[0]!)] });
    const refused = pledge("up");
    assert.equal(refused.status, 1);
    assert.match(
      refused.stderr,
      new RegExp(
        `^pledge: This update needs confirmation: 1 deletion would lose teams' services or data; nothing was changed:\\n  - cluster ${removed}: is no longer in pledge:clusters: this update would delete requests .+ on it \\(if that is what you want: pledge up --allow-delete cluster:${removed}`,
      ),
    );
    assert.deepEqual([...(await deploymentsOn(removed)).keys()].sort(), onRemoved.sort(), "nothing deleted");
    const confirmed = pledge("up", "--allow-delete", `cluster:${removed}`);
    assert.equal(confirmed.status, 0, confirmed.stderr);
    assert.deepEqual([...(await deploymentsOn(removed)).keys()], [], "its workloads are gone from it");
    assert.equal((await deploymentsOn(fleet[0]!)).size, first.length, "and moved to the remaining cluster");
  });

  it("an API server that is down: the others are updated, it is named and left alone, and the next up converges", async () => {
    const stopped = fleet[1]!;
    // Spread the requests over both clusters first (pins), so the change below touches both.
    const spreadOut = requests(first, { size: "medium" }).map((r, i) => ({ ...r, pin: [fleet[i % 2]!] }));
    await setPledgeConfig(test.stack, { ...base(first), clusters: [cluster(fleet[0]!), cluster(stopped)], requests: spreadOut });
    assert.equal(pledge("up").status, 0);
    const large = spreadOut.map((r) => ({ ...r, spec: { size: "large" } }));
    await setPledgeConfig(test.stack, { ...base(first), clusters: [cluster(fleet[0]!), cluster(stopped)], requests: large });
    // What the state says of each object (the engine may rewrite its bookkeeping around excluded resources).
    const objectsOn = async (c: string) =>
      (await managedState(test.stack))
        .filter((r: any) => r.urn.includes(`@${c}/`))
        .map((r: any) => ({ urn: r.urn, id: r.id, inputs: r.inputs, outputs: r.outputs }));
    const stateBefore = await objectsOn(stopped);
    await fleetDown(testFleetDir(), { names: [stopped] });
    const partial = pledge("up");
    assert.equal(partial.status, 3, `a partial update exits 3:\n${partial.stderr}`);
    assert.match(
      partial.stderr,
      new RegExp(
        `^cluster ${stopped} is unreachable \\(connection refused\\): its objects are left as they are; everything else is updated$`,
        "m",
      ),
    );
    for (const d of (await deploymentsOn(fleet[0]!)).values())
      assert.equal(d.spec.template.spec.containers[0].resources.limits.memory, "2Gi");
    const stateAfter = await objectsOn(stopped);
    assert.deepEqual(stateAfter, stateBefore, "the unreachable cluster's objects are kept in the state, unchanged");
    await fleetUp(testFleetDir(), { clusters: 3 });
    const result = pledge("up");
    assert.equal(result.status, 0, result.stderr);
    for (const c of [fleet[0]!, stopped]) {
      const live = [...(await deploymentsOn(c)).values()];
      assert.equal(live.length, first.length / 2, `${c} keeps its half`);
      for (const d of live)
        assert.equal(d.spec.template.spec.containers[0].resources.limits.memory, "2Gi", `${d.metadata.name} on ${c}`);
    }
  });

  it("two updates at once: the second waits for the first, the state stays valid; with --wait 0 it says who holds the stack", async () => {
    await setPledgeConfig(test.stack, base(first));
    const run = () =>
      new Promise<CliResult>((resolve) => {
        const child = spawn(process.execPath, pledgeCliArgs(test, ["up"]), {
          env: pledgeCliEnv(test),
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c) => (stdout += c));
        child.stderr.on("data", (c) => (stderr += c));
        child.on("close", (status) => resolve({ status, stdout, stderr }));
      });
    const both = await Promise.all([run(), new Promise((r) => setTimeout(r, 300)).then(run)]);
    assert.deepEqual(
      both.map((r) => r.status),
      [0, 0],
      both.map((r) => r.stderr).join("\n---\n"),
    );
    await converged(first);

    // An update that holds the stack for as long as the check takes: a live engine process (by its command line) owns the lock.
    await setPledgeConfig(test.stack, base([...first, "c0"]));
    const holder = spawn("bash", ["-c", "sleep 600; true", "pulumi-lock-holder"], { stdio: "ignore" });
    mkdirSync(lockDir(), { recursive: true });
    writeFileSync(
      join(lockDir(), "held.json"),
      JSON.stringify({ pid: holder.pid, username: "root", hostname: hostname(), timestamp: new Date().toISOString() }),
    );
    const refused = pledge("up", "--wait", "0");
    process.kill(holder.pid!, "SIGKILL");
    await new Promise((r) => holder.on("close", r));
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(
      refused.stderr,
      /^pledge: stack test is being updated by root@\S+ \(pid \d+\) since \S+\. Run again when that update ends/,
    );
    // Its process gone, the lock is stale: the next update clears it and converges.
    const after = pledge("up");
    assert.equal(after.status, 0, after.stderr);
    await converged([...first, "c0"]);
  });

  it("a pledge up with nothing to do does not run the engine; a change or a drift does", async () => {
    const stateFile = join(test.backendDir, ".pulumi", "stacks", "pledge", "test.json");
    const settled = pledge("up");
    assert.equal(settled.status, 0, settled.stderr);
    const before = readFileSync(stateFile, "utf8");
    const idle = pledge("up", "--verbose");
    assert.equal(idle.status, 0, idle.stderr);
    assert.match(idle.stderr, /nothing changed since the last update \(same fingerprint, no drift\): the engine was not run/);
    assert.equal(readFileSync(stateFile, "utf8"), before, "no state written");
    // A changed spec is a different fingerprint: the engine runs and applies it.
    await setPledgeConfig(test.stack, { ...base(first), requests: requests([...first, "c0"], { size: "medium" }) });
    const changed = pledge("up", "--verbose");
    assert.equal(changed.status, 0, changed.stderr);
    assert.doesNotMatch(changed.stderr, /the engine was not run/);
    const onFirst = [...(await deploymentsOn(fleet[0]!)).values(), ...(await deploymentsOn(fleet[1]!)).values()];
    assert.ok(onFirst.length > 0);
    for (const d of onFirst) assert.equal(d.spec.template.spec.containers[0].resources.limits.memory, "512Mi", d.metadata.name);
    // A Deployment deleted by hand is drift: the engine runs and puts it back.
    const [gone] = [...(await deploymentsOn(fleet[0]!)).keys()];
    await kubeRequest(connectionOf(fleet[0]!), "DELETE", `/apis/apps/v1/namespaces/${team}/deployments/${gone}`);
    const repaired = pledge("up", "--verbose");
    assert.equal(repaired.status, 0, repaired.stderr);
    assert.doesNotMatch(repaired.stderr, /the engine was not run/);
    assert.ok((await deploymentsOn(fleet[0]!)).has(gone!), `${gone} put back`);
  });
});
