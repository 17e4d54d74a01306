// Routine edits a platform owner makes, on the real engine and the local fleet,
// and what each must never do: a cordon (NoSchedule) moves and deletes
// nothing and lifting it changes nothing; NoExecute evicts, but a stateful
// request only with confirmation; a team leaving a cluster keeps its namespace
// while the team's own objects are in it; a stopped API server under a chart
// does not stop the other clusters; a killed update's provider processes are
// stopped by the next one. Every check reads the API servers or the processes.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fleetDown, fleetUp } from "../../dev/local/fleet";
import { kubeRequest } from "../../dev/local/kube-api";
import { processStart } from "../../src/cli/engine/leftover-providers";
import {
  connectionOf,
  ensureTestFleet,
  newPledgeStack,
  pledgeCliArgs,
  pledgeCliEnv,
  runPledge,
  setPledgeConfig,
  testFleetDir,
  type PledgeConfig,
  type TestStack,
  uniqueName,
} from "./harness";

describe("routine edits", { timeout: 40 * 60_000 }, () => {
  let fleet: string[];
  let test: TestStack;
  const team = uniqueName("edits");
  const maintenance = { key: "maintenance", value: "true" };
  const cluster = (name: string, taints: object[] = []) => ({ name, source: "local", labels: { workload: "general" }, taints });
  const redis = (name: string, more: object = {}) => ({ promise: "redis", name, team, spec: {}, ...more });
  const pledge = (...args: string[]) => runPledge(test, ...args);
  /** A table's text with its borders and line wrapping taken out, so a reason reads as one sentence. */
  const flat = (table: string) => table.replace(/[\s│┌┐└┘├┤┬┴┼─]+/g, " ");

  async function deploymentsOn(c: string, namespace = team): Promise<string[]> {
    const res = await kubeRequest(connectionOf(c), "GET", `/apis/apps/v1/namespaces/${namespace}/deployments`);
    if (res.status === 404) return [];
    return (res.body.items ?? []).map((d: any) => d.metadata.name).sort();
  }
  /** Whether a namespace is there and not being deleted. */
  async function namespaceLives(c: string, namespace: string): Promise<boolean> {
    const res = await kubeRequest(connectionOf(c), "GET", `/api/v1/namespaces/${namespace}`);
    return res.status === 200 && !res.body.metadata.deletionTimestamp;
  }
  const operatorOn = (c: string) => deploymentsOn(c, "pledge-postgres");

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

  describe("taints", () => {
    let c1: string;
    let c2: string;
    const requests = () => [
      redis("a", { pin: [c2] }),
      redis("b", { pin: [c1] }),
      redis("c", { pin: [c2] }),
      { promise: "postgres", name: "db", team, spec: { backups: false }, pin: [c2] },
    ];
    const config = (taints: object[], more: object[] = []): PledgeConfig => ({
      clusters: [cluster(c1), cluster(c2, taints)],
      promises: { redis: {}, postgres: {} },
      requests: [...requests(), ...more],
      deletions: { maxShare: 1 },
    });

    before(async () => {
      [c1, c2] = fleet as [string, string];
      await setPledgeConfig(test.stack, config([]));
      const first = pledge("up");
      assert.equal(first.status, 0, first.stderr);
    });

    it("a NoSchedule taint (a cordon) moves and deletes nothing, takes no new request, and lifting it changes nothing", async () => {
      const onC2 = await deploymentsOn(c2);
      assert.deepEqual(onC2, ["redis-a", "redis-c"]);
      assert.deepEqual(await operatorOn(c2), ["postgres-operator"]);
      const placementsBefore = (await test.stack.outputs()).placements!.value;

      // The shorthand, which is plain stack config underneath: a NoSchedule taint in the stack's file.
      await setPledgeConfig(test.stack, config([], [redis("d"), redis("e", { count: 2 })]));
      const cordon = pledge("cordon", c2);
      assert.equal(cordon.status, 0, cordon.stderr);
      const clusters = JSON.parse((await test.stack.getConfig("pledge:clusters")).value);
      assert.deepEqual(clusters[1].taints, [{ key: "maintenance", effect: "NoSchedule" }]);
      const cordoned = pledge("up");
      assert.equal(cordoned.status, 2, `e wants two clusters and gets one: exit 2\n${cordoned.stderr}`);
      assert.doesNotMatch(cordoned.stderr, /moves off/);
      assert.deepEqual(await deploymentsOn(c2), onC2, "what ran on the cordoned cluster still runs there");
      assert.deepEqual(await operatorOn(c2), ["postgres-operator"], "and so do the dependencies it needs");
      assert.deepEqual(await deploymentsOn(c1), ["redis-b", "redis-d", "redis-e"], "new requests go elsewhere");
      const explained = pledge("explain", "redis/a");
      assert.equal(explained.status, 0, explained.stderr);
      assert.match(flat(explained.stdout), /cordoned by maintenance:NoSchedule: keeps redis\/a, takes no new requests/);
      const newcomer = pledge("explain", "redis/e");
      assert.match(flat(newcomer.stdout), /cordoned by maintenance:NoSchedule: takes no new requests/);

      const uncordon = pledge("uncordon", c2);
      assert.equal(uncordon.status, 0, uncordon.stderr);
      const lifted = pledge("up");
      assert.equal(lifted.status, 0, lifted.stderr);
      const placements = (await test.stack.outputs()).placements!.value as Record<string, string[]>;
      for (const [key, clusters] of Object.entries(placementsBefore as Record<string, string[]>))
        assert.deepEqual(placements[key], clusters, `${key} stays where it was`);
      assert.deepEqual(await deploymentsOn(c2), ["redis-a", "redis-c", "redis-e"], "only e's missing cluster is filled");
    });

    it("a NoExecute taint evicts: refused for a stateful request without confirmation, applied with it", async () => {
      // Unpinned, the requests on c2 stay there by stickiness alone, and may move.
      const unpinned = requests().map((r) => ({ ...r, pin: undefined }));
      await setPledgeConfig(test.stack, {
        ...config([{ ...maintenance, effect: "NoExecute" }]),
        // d and e go (not stateful, within maxShare): e's second cluster would be c2, which now evicts.
        requests: unpinned,
      });
      const refused = pledge("up");
      assert.equal(refused.status, 1);
      assert.match(
        refused.stderr,
        new RegExp(
          `request postgres/db: would move off ${c2} to ${c1} \\(cluster ${c2} now has untolerated taint maintenance=true:NoExecute\\)`,
        ),
      );
      assert.deepEqual(await deploymentsOn(c2), ["redis-a", "redis-c", "redis-e"], "nothing moved");
      const confirmed = pledge("up", "--allow-delete", "request:postgres/db");
      assert.equal(confirmed.status, 0, confirmed.stderr);
      assert.match(confirmed.stderr, /request redis\/a moves off/);
      assert.deepEqual(await deploymentsOn(c2), [], "every request left the evicting cluster");
      assert.deepEqual(await operatorOn(c2), [], "and so did the dependencies");
      assert.deepEqual(await deploymentsOn(c1), ["redis-a", "redis-b", "redis-c"]);
    });
  });

  it("a team leaving a cluster keeps its namespace while the team's own object is in it, and loses it on confirmation", async () => {
    const [c1] = fleet as [string];
    const keeper = uniqueName("keep");
    const leaver = uniqueName("leave");
    const config = (requests: object[]): PledgeConfig => ({
      clusters: [cluster(c1)],
      promises: { redis: {} },
      requests,
      deletions: { maxShare: 1 },
      teams: [
        { name: keeper, users: [keeper], quota: { pods: 10 } },
        { name: leaver, users: [leaver] },
      ],
    });
    await setPledgeConfig(
      test.stack,
      config([
        { promise: "redis", name: "k", team: keeper, spec: {} },
        { promise: "redis", name: "l", team: leaver, spec: {} },
      ]),
    );
    // The earlier tests' requests go too (a database among them): confirmed here, not the subject.
    const up = pledge("up", "--allow-delete", "all");
    assert.equal(up.status, 0, up.stderr);
    const created = await kubeRequest(connectionOf(c1), "POST", `/api/v1/namespaces/${keeper}/configmaps`, {
      metadata: { name: "team-notes" },
      data: { owner: keeper },
    });
    assert.equal(created.status, 201);

    await setPledgeConfig(test.stack, config([]));
    const preview = pledge("preview");
    assert.equal(preview.status, 0, preview.stderr);
    const notice = `namespace ${keeper} on ${c1} is kept: it holds 1 object Pledge did not create (ConfigMap team-notes); pledge up --allow-delete namespace:${keeper}@${c1} deletes it`;
    assert.ok(preview.stderr.includes(notice), `preview says so:\n${preview.stderr}`);
    const kept = pledge("up");
    assert.equal(kept.status, 0, kept.stderr);
    assert.ok(kept.stderr.includes(notice), `up says so:\n${kept.stderr}`);
    assert.equal(kept.stderr.split(notice).length - 1, 1, "once");
    assert.ok(await namespaceLives(c1, keeper), "the namespace is kept");
    const notes = await kubeRequest(connectionOf(c1), "GET", `/api/v1/namespaces/${keeper}/configmaps/team-notes`);
    assert.equal(notes.status, 200, "with the team's own object");
    assert.deepEqual(await deploymentsOn(c1, keeper), [], "Pledge's objects are gone from it");
    const quota = await kubeRequest(connectionOf(c1), "GET", `/api/v1/namespaces/${keeper}/resourcequotas/pledge-team`);
    assert.equal(quota.status, 404, "so is the team's quota");
    assert.equal(await namespaceLives(c1, leaver), false, "a namespace with nothing but Pledge's objects is deleted");

    const again = pledge("up");
    assert.equal(again.status, 0, again.stderr);
    assert.ok(again.stderr.includes(notice), "the next update checks it again");
    assert.ok(await namespaceLives(c1, keeper));

    const confirmed = pledge("up", "--allow-delete", `namespace:${keeper}@${c1}`);
    assert.equal(confirmed.status, 0, confirmed.stderr);
    assert.equal(await namespaceLives(c1, keeper), false, "deleted on confirmation");
    const outputs = await test.stack.outputs();
    assert.equal(outputs.keptNamespaces, undefined, "and no longer recorded as kept");
  });

  it("a stopped API server under a chart: the other cluster is updated, exit 3 names it, and the next up converges", async () => {
    const [c1, c2] = fleet as [string, string];
    const config = (size: string): PledgeConfig => ({
      clusters: [cluster(c1), cluster(c2)],
      promises: { redis: {}, postgres: {} },
      requests: [redis("x", { pin: [c1], spec: { size } }), redis("y", { pin: [c2], spec: { size } })],
    });
    await setPledgeConfig(test.stack, config("small"));
    // The earlier tests' requests go (a database among them): confirmed here, not the subject.
    const up = pledge("up", "--allow-delete", "all");
    assert.equal(up.status, 0, up.stderr);
    assert.deepEqual(await operatorOn(c2), ["postgres-operator"], "the chart runs on the cluster that will stop");
    const memoryOf = async (c: string, name: string) => {
      const res = await kubeRequest(connectionOf(c), "GET", `/apis/apps/v1/namespaces/${team}/deployments/${name}`);
      return res.body.spec.template.spec.containers[0].resources.limits.memory as string;
    };
    const before = await memoryOf(c1, "redis-x");

    await fleetDown(testFleetDir(), { names: [c2] });
    await setPledgeConfig(test.stack, config("large"));
    const partial = pledge("up");
    assert.equal(partial.status, 3, `a partial update exits 3:\n${partial.stderr}`);
    assert.match(partial.stderr, new RegExp(`^cluster ${c2} is unreachable \\(connection refused\\)`, "m"));
    assert.doesNotMatch(partial.stderr, /Command failed with exit code/);
    assert.notEqual(await memoryOf(c1, "redis-x"), before, "the reachable cluster was updated");

    await fleetUp(testFleetDir(), { clusters: 3 });
    const converged = pledge("up");
    assert.equal(converged.status, 0, converged.stderr);
    assert.equal(await memoryOf(c2, "redis-y"), await memoryOf(c1, "redis-x"), "the stopped cluster caught up");
    assert.deepEqual(await operatorOn(c2), ["postgres-operator"]);
  });

  it("a kill -9 of pledge up leaves provider processes; the next pledge up stops them", async () => {
    const records = process.env.PLEDGE_PROVIDER_PIDS;
    assert.ok(records, "setup sets PLEDGE_PROVIDER_PIDS (run the tests with npm test)");
    const [c1, c2] = fleet as [string, string];
    await setPledgeConfig(test.stack, {
      clusters: [cluster(c1), cluster(c2)],
      promises: { redis: {} },
      requests: Array.from({ length: 6 }, (_, i) => redis(`k${i}`)),
      deletions: { maxShare: 1 },
    });
    const recorded = () => {
      try {
        return readdirSync(records).filter((f) => /^\d+$/.test(f));
      } catch {
        return [];
      }
    };
    const known = new Set(recorded());
    const child = spawn(process.execPath, pledgeCliArgs(test, ["up", "--verbose"]), {
      env: pledgeCliEnv(test),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const check = (chunk: Buffer) => {
        output += chunk.toString();
        if (/ created \(/.test(output)) {
          // The update's own process group only: the providers run in groups of their own.
          process.kill(-child.pid!, "SIGKILL");
          resolve();
        }
      };
      child.stdout.on("data", check);
      child.stderr.on("data", check);
      child.on("exit", () => reject(new Error(`the update ended before the moment to kill it:\n${output.slice(-3000)}`)));
    });
    await new Promise((resolve) => child.on("close", resolve));
    const left = recorded()
      .filter((f) => !known.has(f))
      .map((f) => readFileSync(join(records!, f), "utf8").trim().split(" "))
      .filter(([pid, start]) => processStart(Number(pid)) === start)
      .map(([pid]) => Number(pid));
    assert.ok(left.length > 0, "the killed update left provider processes running");

    const next = pledge("up");
    assert.equal(next.status, 0, next.stderr);
    assert.match(next.stderr, /stopped \d+ provider process(es)? that a killed update left running/);
    for (const pid of left) assert.equal(processStart(pid), undefined, `provider ${pid} was stopped`);
  });
});
