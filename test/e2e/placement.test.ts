// The placement rules on the real engine and real API servers: dependencies
// follow labels, requests stay put when clusters join, move (announced by
// preview) when their cluster leaves, and deletions clean up. Every check
// reads the API servers themselves.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { kubeRequest } from "../../dev/local/kube-api";
import {
  changesOf,
  connectionOf,
  ensureTestFleet,
  newPledgeStack,
  runPledge,
  setPledgeConfig,
  type PledgeConfig,
  type TestStack,
  uniqueName,
} from "./harness";

const crdPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/postgresclusters.pledge.dev";

async function exists(cluster: string, path: string): Promise<boolean> {
  const res = await kubeRequest(connectionOf(cluster), "GET", path);
  if (res.status !== 200 && res.status !== 404) throw new Error(`GET ${path} on ${cluster}: HTTP ${res.status}`);
  return res.status === 200;
}

async function where(clusters: readonly string[], path: string): Promise<string[]> {
  const found: string[] = [];
  for (const c of clusters) if (await exists(c, path)) found.push(c);
  return found;
}

const quiet = { onOutput: () => {} };

describe("placement on the real engine", { timeout: 30 * 60_000 }, () => {
  let fleet: string[];
  let test: TestStack;
  const team = uniqueName("team");
  const redisPath = `/apis/apps/v1/namespaces/${team}/deployments/redis-cache`;
  const cluster = (name: string, labels: Record<string, string>) => ({ name, source: "local", labels });

  before(async () => {
    fleet = await ensureTestFleet(3);
    test = await newPledgeStack();
  });

  after(async () => {
    if (!test) return;
    await test.stack.destroy(quiet).catch(() => {});
    await test.stack.workspace.removeStack(test.stack.name, { force: true }).catch(() => {});
  });

  const base = (): PledgeConfig => ({
    clusters: [cluster(fleet[0]!, { zone: "z1", workload: "general" }), cluster(fleet[1]!, { zone: "z2", workload: "edge" })],
    promises: { redis: {}, postgres: {} },
    requests: [{ promise: "redis", name: "cache", team }],
    // These tests move requests and remove clusters on purpose: confirmed, so the deletion guard
    // (tested in faults.test.ts) does not stop them.
    deletions: { allow: ["all"] },
  });

  it("installs dependencies only on eligible clusters and places the request", async () => {
    await setPledgeConfig(test.stack, base());
    const result = await test.stack.up(quiet);
    assert.equal(result.summary.result, "succeeded");
    assert.deepEqual(await where(fleet, crdPath), [fleet[0]], "postgres CRD only where workload In (data, general)");
    assert.deepEqual(await where(fleet, redisPath), [fleet[0]], "request on the least loaded, then first, cluster");
    const outputs = await test.stack.outputs();
    assert.deepEqual(outputs.placements!.value, { "redis/cache": [fleet[0]] });
  });

  it("a second up with no change reports no changes (only the read of its own previous placement)", async () => {
    const result = await test.stack.up(quiet);
    assert.deepEqual(changesOf(result.summary), {});
  });

  it("adds a dependency when a cluster gains the label and removes it when it loses it", async () => {
    const gained = base();
    gained.clusters[1] = cluster(fleet[1]!, { zone: "z2", workload: "data" });
    await setPledgeConfig(test.stack, gained);
    await test.stack.up(quiet);
    assert.deepEqual(await where(fleet, crdPath), [fleet[0], fleet[1]]);
    await setPledgeConfig(test.stack, base());
    await test.stack.up(quiet);
    assert.deepEqual(await where(fleet, crdPath), [fleet[0]]);
  });

  it("keeps the request where it is when a new matching cluster joins", async () => {
    const joined = base();
    joined.clusters.unshift(cluster(fleet[2]!, { zone: "z0", workload: "general" }));
    await setPledgeConfig(test.stack, joined);
    await test.stack.up(quiet);
    assert.deepEqual(await where(fleet, redisPath), [fleet[0]], "sticky: the new, emptier cluster does not attract it");
  });

  it("moves the request when its cluster leaves, and preview says so first", async () => {
    const left = base();
    left.clusters = [
      cluster(fleet[1]!, { zone: "z2", workload: "edge" }),
      cluster(fleet[2]!, { zone: "z0", workload: "general" }),
    ];
    await setPledgeConfig(test.stack, left);
    let previewText = "";
    const preview = await test.stack.preview({ onOutput: (t) => (previewText += t) });
    assert.match(
      previewText,
      new RegExp(`request redis/cache moves off ${fleet[0]} to ${fleet[1]}: cluster ${fleet[0]} was removed`),
    );
    assert.ok(
      (preview.changeSummary.delete ?? 0) > 0 && (preview.changeSummary.create ?? 0) > 0,
      JSON.stringify(preview.changeSummary),
    );
    assert.deepEqual(await where(fleet, redisPath), [fleet[0]], "preview changed nothing");
    await test.stack.up(quiet);
    assert.deepEqual(await where(fleet, redisPath), [fleet[1]]);
    assert.deepEqual(await where(fleet, crdPath), [fleet[2]], "the leaving cluster's dependencies were removed too");
  });

  it("deleting a request, then a promise, removes their objects", async () => {
    const config = base();
    config.clusters = [
      cluster(fleet[1]!, { zone: "z2", workload: "edge" }),
      cluster(fleet[2]!, { zone: "z0", workload: "general" }),
    ];
    config.requests = [];
    await setPledgeConfig(test.stack, config);
    let upText = "";
    await test.stack.up({ onOutput: (text) => (upText += text) });
    assert.deepEqual(await where(fleet, redisPath), []);
    // Plain pulumi up cannot look into a team's namespace: it keeps it and says so.
    const namespacePath = `/api/v1/namespaces/${team}`;
    assert.ok((await where(fleet, namespacePath)).length > 0, "plain pulumi up keeps the namespace");
    assert.match(upText, new RegExp(`namespace ${team} on \\S+ is kept: what it holds was not checked`));
    // pledge up looks, finds nothing but Pledge's objects, and deletes it.
    const cli = runPledge(test, "up");
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(await where(fleet, namespacePath), [], "the team namespace goes with its last request");
    assert.deepEqual(await where(fleet, crdPath), [fleet[2]]);
    config.promises = { redis: {} };
    await setPledgeConfig(test.stack, config);
    await test.stack.up(quiet);
    assert.deepEqual(await where(fleet, crdPath), []);
    assert.deepEqual(await where(fleet, "/api/v1/namespaces/pledge-postgres"), []);
  });

  it("bad config leaves state and clusters untouched", async () => {
    const good = base();
    await setPledgeConfig(test.stack, good);
    await test.stack.up(quiet);
    const before = await test.stack.exportStack();
    const liveBefore = await kubeRequest(connectionOf(fleet[0]!), "GET", redisPath);
    const bad = base();
    bad.requests = [{ promise: "redis", name: "cache", team, spec: { size: "huge" } }];
    await setPledgeConfig(test.stack, bad);
    for (const run of [() => test.stack.preview(quiet), () => test.stack.up(quiet)]) {
      await assert.rejects(run, /pledge:requests\[0\]\.spec\.size: "huge" is not one of small, medium, large/);
    }
    const after = await test.stack.exportStack();
    assert.deepEqual(after.deployment.resources, before.deployment.resources, "state unchanged");
    const liveAfter = await kubeRequest(connectionOf(fleet[0]!), "GET", redisPath);
    assert.equal(liveAfter.body.metadata.resourceVersion, liveBefore.body.metadata.resourceVersion, "cluster untouched");
    await setPledgeConfig(test.stack, good);
  });

  it("an unplaceable request is reported while the rest deploys, and the CLI exits with status 2", async () => {
    const config = base();
    const other = uniqueName("team");
    config.requests = [
      { promise: "redis", name: "cache", team },
      { promise: "redis", name: "nowhere", team: other, selector: { matchLabels: { workload: "edge" } }, pin: [fleet[0]!] },
    ];
    await setPledgeConfig(test.stack, config);
    let upText = "";
    const result = await test.stack.up({ onOutput: (t) => (upText += t) });
    assert.equal(result.summary.result, "succeeded", "the rest of the stack deploys");
    assert.match(upText, /1 request is not fully placed/);
    const cli = runPledge(test, "placement");
    assert.equal(cli.status, 2, `pledge placement should exit 2 when something is unplaced:\n${cli.stdout}\n${cli.stderr}`);
    assert.match(cli.stdout, /redis\/nowhere/);
    // A preview says the same, in every form (for CI): exit 2, after everything is printed.
    const preview = runPledge(test, "preview");
    assert.equal(preview.status, 2, `pledge preview should exit 2 when something is unplaced:\n${preview.stderr}`);
    assert.match(preview.stderr, /1 request is not fully placed:\n  redis\/nowhere: /);
    assert.match(preview.stderr, /Would change:/);
    const json = runPledge(test, "preview", "--json");
    assert.equal(json.status, 2, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout).unplaced, ["redis/nowhere"]);
    const markdown = runPledge(test, "preview", "--markdown");
    assert.equal(markdown.status, 2, markdown.stderr);
    assert.match(markdown.stdout, /^### Pledge preview of stack /);
    const outputs = await test.stack.outputs();
    assert.deepEqual(outputs.unplaced!.value, ["redis/nowhere"]);
    assert.match(
      outputs.requests!.value["redis/nowhere"].summary,
      /^0\/1 pinned clusters are available: 1 did not match workload=edge/,
    );
    assert.deepEqual(await where(fleet, redisPath), [fleet[0]], "the placeable request is still deployed");
  });
});
