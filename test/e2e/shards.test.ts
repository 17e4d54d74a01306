// A sharded fleet on the real engine and the local fleet: pledge:shards puts
// local-1 in shard a and local-2, local-3 in shard b. `pledge up --all`
// decides the placement once in the fleet stack (which holds no cluster), then
// each shard's stack applies only its clusters' objects, side by side; a
// compound request whose database is in the other shard gets its credentials
// copied across. A preview across shards writes nothing; a shard that cannot
// run (its stack held by another update) fails alone and is reported while
// the other shard is updated; a cluster in no shard is refused before anything runs.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { clusterOfProvider } from "../../src/cli/stack/state-objects";
import { kubeRequest } from "../../dev/local/kube-api";
import {
  connectionOf,
  ensureTestFleet,
  managedState,
  newPledgeStack,
  runPledge,
  setPledgeConfig,
  type PledgeConfig,
  type TestStack,
  uniqueName,
} from "./harness";

describe("sharded stacks", { timeout: 40 * 60_000 }, () => {
  let fleet: string[];
  let test: TestStack;
  const team = uniqueName("shard");
  const pledge = (...args: string[]) => runPledge(test, ...args);
  const clusters = () => [
    { name: fleet[0], source: "local", labels: { shard: "a", workload: "general" } },
    { name: fleet[1], source: "local", labels: { shard: "b", workload: "data", zone: "x" } },
    { name: fleet[2], source: "local", labels: { shard: "b", workload: "data", zone: "y" } },
  ];
  const shards = [
    { name: "a", clusters: { matchLabels: { shard: "a" } } },
    { name: "b", clusters: { matchLabels: { shard: "b" } } },
  ];
  const cache = (name: string, where: Record<string, string>) => ({
    promise: "redis",
    name,
    team,
    spec: { size: "small" },
    selector: { matchLabels: where },
  });
  // The app in shard a, its database in shard b, its cache beside the app.
  const app = {
    promise: "web-app",
    name: "shop",
    team,
    spec: { image: "nginx:1.27", port: 80, replicas: 1, database: { storageGi: 1 }, cache: { size: "small" } },
    selector: { matchLabels: { workload: "general" } },
  };
  const baseRequests = [cache("one", { shard: "a" }), cache("two", { zone: "x" }), app];
  const config = (requests: unknown[], over: Partial<PledgeConfig> = {}): PledgeConfig => ({
    clusters: clusters(),
    promises: { redis: {}, postgres: {}, "web-app": {} },
    requests,
    shards,
    ...over,
  });
  const shardStack = (shard: string): Promise<Stack> =>
    LocalWorkspace.selectStack(
      { stackName: `${test.stack.name}.${shard}`, workDir: test.workDir },
      { envVars: { PULUMI_BACKEND_URL: `file://${test.backendDir}` } },
    );
  const fleetOutputs = async () => (await test.stack.outputs()) as Record<string, { value: any }>;
  const deployment = (cluster: string, name: string) =>
    kubeRequest(connectionOf(cluster), "GET", `/apis/apps/v1/namespaces/${team}/deployments/${name}`);
  /** The clusters a stack's Kubernetes objects are on, by the cluster provider each was applied through. */
  const clustersInState = async (stack: Stack) =>
    new Set(
      ((await managedState(stack)) as { type: string; provider?: string }[])
        .filter((r) => r.type.startsWith("kubernetes:"))
        .map((r) => clusterOfProvider(r.provider) ?? `no cluster provider: ${r.provider}`),
    );
  let lockHolder: ChildProcess | undefined;

  before(async () => {
    fleet = await ensureTestFleet(3);
    test = await newPledgeStack();
    await setPledgeConfig(test.stack, config(baseRequests));
  });

  after(async () => {
    if (lockHolder?.pid) process.kill(lockHolder.pid, "SIGKILL");
    if (!test) return;
    for (const shard of ["a", "b"]) {
      const stack = await shardStack(shard).catch(() => undefined);
      await stack
        ?.destroy({ configFile: join(test.workDir, `Pulumi.${test.stack.name}.yaml`), onOutput: () => {} })
        .catch(() => {});
      await stack?.workspace.removeStack(stack.name, { force: true }).catch(() => {});
    }
    await test.stack.workspace.removeStack(test.stack.name, { force: true }).catch(() => {});
  });

  it("refuses a plain up of a sharded stack, saying how to run it", () => {
    const up = pledge("up");
    assert.equal(up.status, 1);
    assert.match(up.stderr, /stack test is split into shards \(pledge:shards: a, b\): run pledge up --all, or --shard <name>/);
  });

  it("up --all decides the placement once and each shard applies only its own clusters", async () => {
    const up = pledge("up", "--all");
    assert.equal(up.status, 0, up.stderr);
    assert.match(up.stderr, /deciding the placement over the whole fleet \(2 shards\)/);
    assert.match(up.stderr, /shard a \(stack test\.a, [\d.]+ s\): done/);
    assert.match(up.stderr, /shard b \(stack test\.b, [\d.]+ s\): done/);
    // The fleet stack holds the decision and no cluster; each shard's stack only its clusters.
    assert.deepEqual([...(await clustersInState(test.stack))], []);
    assert.deepEqual([...(await clustersInState(await shardStack("a")))], [fleet[0]]);
    assert.deepEqual([...(await clustersInState(await shardStack("b")))].sort(), [fleet[1], fleet[2]].sort());
    const decided = await fleetOutputs();
    assert.deepEqual(decided.shards!.value, { a: [fleet[0]], b: [fleet[1], fleet[2]] });
    const placements = decided.placements!.value as Record<string, string[]>;
    assert.deepEqual(placements["redis/one"], [fleet[0]]);
    assert.deepEqual(placements["redis/two"], [fleet[1]]);
    for (const shard of ["a", "b"]) {
      const outputs = await (await shardStack(shard)).outputs();
      assert.deepEqual(outputs.placements!.value, placements, `shard ${shard} applied the fleet's decision`);
      assert.equal(outputs.shard!.value, shard);
    }
    // On the API servers: each request where the decision put it, and nowhere else.
    assert.equal((await deployment(fleet[0]!, "redis-one")).status, 200);
    assert.equal((await deployment(fleet[1]!, "redis-two")).status, 200);
    assert.equal((await deployment(fleet[1]!, "redis-one")).status, 404);
    // The shards run on the fleet stack's config file: no config of their own.
    assert.equal(existsSync(join(test.workDir, "Pulumi.test.a.yaml")), false);
    assert.equal(existsSync(join(test.workDir, "Pulumi.test.b.yaml")), false);
  });

  it("copies a part's credentials across shards from the planned Secret", async () => {
    const db = ((await fleetOutputs()).placements!.value as Record<string, string[]>)["postgres/web-app-shop-db"]![0]!;
    assert.ok([fleet[1], fleet[2]].includes(db), `the database is in shard b: ${db}`);
    const secrets = async (cluster: string) =>
      (await kubeRequest(connectionOf(cluster), "GET", `/api/v1/namespaces/${team}/secrets`)).body.items as {
        metadata: { name: string };
        data?: Record<string, string>;
      }[];
    const source = (await secrets(db)).find((s) => /web-app-shop-db/.test(s.metadata.name) && s.data?.password);
    assert.ok(source, `the database's credentials Secret on ${db}`);
    const copy = (await secrets(fleet[0]!)).find((s) => s.metadata.name === source!.metadata.name);
    assert.ok(copy, `a copy of ${source!.metadata.name} on the app's cluster ${fleet[0]}`);
    assert.equal(copy!.data!.password, source!.data!.password, "the copy holds the same password");
  });

  it("a second up --all changes nothing and keeps every placement", async () => {
    const before = (await fleetOutputs()).placements!.value;
    const up = pledge("up", "--all");
    assert.equal(up.status, 0, up.stderr);
    assert.doesNotMatch(up.stderr, /\d+ (created|updated|replaced|deleted)/, up.stderr);
    assert.deepEqual((await fleetOutputs()).placements!.value, before);
    // pledge status on the fleet stack reads the objects from its shards' stacks.
    const status = pledge("status", "--json", "--no-drift");
    const report = JSON.parse(status.stdout) as {
      requests: { request: string; ready: boolean; clusters: { objects: unknown[] }[] }[];
    };
    for (const key of ["redis/one", "redis/two"]) {
      const r = report.requests.find((x) => x.request === key);
      assert.ok(r?.ready, `${key} is ready: ${status.stdout}`);
      assert.ok(r!.clusters[0]!.objects.length >= 4, `${key}'s objects are read from its shard`);
    }
  });

  it("preview --all shows each shard's changes and writes nothing", async () => {
    const states = async () => [
      JSON.stringify((await test.stack.exportStack()).deployment.resources),
      JSON.stringify((await (await shardStack("a")).exportStack()).deployment.resources),
      JSON.stringify((await (await shardStack("b")).exportStack()).deployment.resources),
    ];
    const beforeStates = await states();
    await setPledgeConfig(test.stack, config([...baseRequests, cache("three", { zone: "y" })]));
    const preview = pledge("preview", "--all", "--json");
    assert.equal(preview.status, 0, preview.stderr);
    const summary = JSON.parse(preview.stdout) as { requests: { request: string; changes: Record<string, unknown> }[] };
    const three = summary.requests.find((r) => r.request === "redis/three");
    assert.ok(three, preview.stdout);
    assert.deepEqual(Object.keys(three!.changes), [fleet[2]], "the new request's changes come from shard b's preview");
    assert.match(preview.stderr, new RegExp(`shard b \\(stack test\\.b[^\\n]*\\n(  .*\\n)*  +${fleet[2]}: \\d+ to create`));
    assert.deepEqual(await states(), beforeStates, "a preview writes no state");
    assert.equal((await deployment(fleet[2]!, "redis-three")).status, 404);
  });

  it("a shard that cannot run fails alone: the other shard is updated and the failure is reported", async () => {
    await setPledgeConfig(test.stack, config([...baseRequests, cache("four", { shard: "a" }), cache("three", { zone: "y" })]));
    // Another update holds shard b's stack: a live process (an engine, by its command line) owns its lock.
    lockHolder = spawn("bash", ["-c", "sleep 600; true", "pulumi-held-by-test"], { stdio: "ignore" });
    const lockDir = join(test.backendDir, ".pulumi", "locks", "organization", "pledge", "test.b");
    mkdirSync(lockDir, { recursive: true });
    const lockFile = join(lockDir, "held.json");
    writeFileSync(
      lockFile,
      JSON.stringify({ pid: lockHolder.pid, username: "someone", hostname: hostname(), timestamp: new Date().toISOString() }),
    );
    const up = pledge("up", "--all", "--wait", "0");
    assert.equal(up.status, 1, up.stderr);
    assert.match(up.stderr, /shard b \(stack test\.b, [\d.]+ s\): FAILED/);
    assert.match(up.stderr, /stack test\.b is being updated by someone@/);
    assert.match(up.stderr, /1 of 2 shard\(s\) failed: b \(stack test\.b\); the other shards were updated/);
    assert.equal((await deployment(fleet[0]!, "redis-four")).status, 200, "shard a was updated");
    assert.equal((await deployment(fleet[2]!, "redis-three")).status, 404, "shard b was not");
    // The other update ends; the next run completes shard b from the same decision.
    process.kill(lockHolder.pid!, "SIGKILL");
    lockHolder = undefined;
    const again = pledge("up", "--all");
    assert.equal(again.status, 0, again.stderr);
    assert.equal((await deployment(fleet[2]!, "redis-three")).status, 200);
    assert.deepEqual(((await fleetOutputs()).placements!.value as Record<string, string[]>)["redis/three"], [fleet[2]]);
  });

  it("refuses a cluster in no shard before anything runs", async () => {
    const before = JSON.stringify((await test.stack.exportStack()).deployment);
    await setPledgeConfig(
      test.stack,
      config(baseRequests, { shards: [shards[0], { name: "b", clusters: { matchLabels: { zone: "x" } } }] }),
    );
    const up = pledge("up", "--all");
    assert.equal(up.status, 1);
    assert.match(up.stderr, new RegExp(`pledge:shards: cluster ${fleet[2]} is in no shard`));
    assert.equal(up.stderr.match(/is in no shard/g)?.length, 1, "said once");
    assert.equal(JSON.stringify((await test.stack.exportStack()).deployment), before);
    await setPledgeConfig(test.stack, config(baseRequests));
  });

  it("refuses to move a cluster to another shard, before anything runs", async () => {
    const before = JSON.stringify((await test.stack.exportStack()).deployment);
    const relabelled = clusters().map((c) => (c.name === fleet[2] ? { ...c, labels: { ...c.labels, shard: "a" } } : c));
    await setPledgeConfig(test.stack, config(baseRequests, { clusters: relabelled }));
    const up = pledge("up", "--all");
    assert.equal(up.status, 1);
    assert.match(up.stderr, new RegExp(`pledge:shards would move ${fleet[2]} from shard b to a .*nothing was changed`));
    assert.equal(JSON.stringify((await test.stack.exportStack()).deployment), before);
    await setPledgeConfig(test.stack, config(baseRequests));
  });

  it("refuses to split a stack that still holds its objects, before anything runs", async () => {
    const whole = await newPledgeStack();
    const own = uniqueName("whole"); // its own team namespace: destroying it must not touch the sharded stacks' objects
    const solo = { ...cache("solo", { shard: "a" }), team: own };
    try {
      await setPledgeConfig(whole.stack, config([solo], { shards: undefined }));
      const first = runPledge(whole, "up");
      assert.equal(first.status, 0, first.stderr);
      const before = JSON.stringify((await whole.stack.exportStack()).deployment);
      await setPledgeConfig(whole.stack, config([solo]));
      const split = runPledge(whole, "up", "--all");
      assert.equal(split.status, 1);
      assert.match(
        split.stderr,
        /stack test still holds \d+ Kubernetes object\(s\) from before it was split into shards .*nothing was changed/,
      );
      assert.equal(JSON.stringify((await whole.stack.exportStack()).deployment), before, "the objects are kept");
      const live = await kubeRequest(connectionOf(fleet[0]!), "GET", `/apis/apps/v1/namespaces/${own}/deployments/redis-solo`);
      assert.equal(live.status, 200);
    } finally {
      await whole.stack.destroy({ onOutput: () => {} }).catch(() => {});
      await whole.stack.workspace.removeStack(whole.stack.name, { force: true }).catch(() => {});
    }
  });
});
