// The one decision pipeline (src/run/decide.ts) in its two modes, on a real
// project directory: online reads kubeconfigs and fetches URL sources, offline
// touches neither and still decides the same placement, plan and outputs; and
// the typed channel from the CLI to the program (src/run/channel.ts).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { z } from "zod";
import { previousStateOf } from "../../../src/outputs";
import { yamlFile } from "../../../src/promise/blocks";
import { definePromise } from "../../../src/promise/define";
import { readRunChannel, runChannelEnv, runChannelVariable } from "../../../src/run/channel";
import { decideRun, type RunMode } from "../../../src/run/decide";

const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`;

describe("decideRun: one pipeline, offline and online", () => {
  let dir: string;
  let server: Server;
  let fetched = 0;
  let url: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "pledge-decide-"));
    mkdirSync(join(dir, "requests"));
    writeFileSync(join(dir, "dc1.yaml"), kubeconfig);
    writeFileSync(join(dir, "site.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: site}\n");
    writeFileSync(
      join(dir, "requests", "docs.yaml"),
      "requests:\n  - {promise: site, name: handbook, team: docs, spec: {title: Handbook}}\n",
    );
    server = createServer((_req, res) => {
      fetched++;
      res.end("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: remote}\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/remote.yaml`;
  });

  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const site = () =>
    definePromise({
      name: "site",
      version: "1.0.0",
      description: "a site",
      schema: z.object({ title: z.string() }).strict(),
      render: () => [yamlFile({ file: "site.yaml" }), yamlFile({ url })],
    });

  function decide(mode: RunMode, clusters: unknown[], checkedFiles?: string[]) {
    const config: Record<string, string> = {
      "pledge:clusters": JSON.stringify(clusters),
      "pledge:promises": JSON.stringify({ site: {} }),
      "pledge:requestsDir": "requests",
      "pledge:secretSeed": "seed",
    };
    return decideRun({
      mode,
      projectDir: dir,
      catalogue: [site()],
      config: (key) => config[key],
      ...(checkedFiles ? { checkedFiles } : {}),
      channel: readRunChannel(undefined),
      stackName: "dev",
      previous: async () => previousStateOf({}),
      code: "code",
    });
  }

  const dc1 = { name: "dc1", source: "kubeconfig", kubeconfigPath: "dc1.yaml", labels: { web: "true" } };

  it("online reads the kubeconfig and fetches the URL; offline does neither and decides the same", async () => {
    fetched = 0;
    const online = await decide("online", [dc1]);
    assert.ok(online.ok, JSON.stringify(!online.ok && online.issues));
    assert.equal(fetched, 1, "online fetches the URL source");
    assert.equal(online.decision.kubeconfigs.get("dc1")?.contents, kubeconfig);
    const offline = await decide("offline", [dc1]);
    assert.ok(offline.ok, JSON.stringify(!offline.ok && offline.issues));
    assert.equal(fetched, 1, "offline fetches nothing");
    assert.equal(offline.decision.kubeconfigs.size, 0, "offline reads no kubeconfig");
    // The same decision; only the digests of what was applied differ, since a URL's objects are known only online.
    const { applied: offlineApplied, ...offlineOutputs } = offline.decision.outputs;
    const { applied: onlineApplied, ...onlineOutputs } = online.decision.outputs;
    assert.deepEqual(offlineOutputs, onlineOutputs);
    assert.notDeepEqual(offlineApplied, onlineApplied);
    assert.deepEqual(
      offline.decision.plan.objects.map((o) => o.resourceName),
      online.decision.plan.objects.map((o) => o.resourceName),
    );
    // The project's own YAML file is read in both modes; the URL's objects only online.
    const yamlNames = (mode: typeof online) =>
      [...(mode.ok ? mode.decision.yamlObjects.values() : [])].flat().map((o) => o.metadata.name);
    assert.deepEqual(yamlNames(offline), ["site"]);
    assert.deepEqual(yamlNames(online).sort(), ["remote", "site"]);
  });

  it("a missing kubeconfig stops an online run, naming the key; offline does not look", async () => {
    const missing = { ...dc1, kubeconfigPath: "nowhere.yaml" };
    const online = await decide("online", [missing]);
    assert.ok(!online.ok);
    assert.deepEqual(
      online.issues.map((i) => i.path),
      ["pledge:clusters[0].kubeconfigPath"],
    );
    assert.ok((await decide("offline", [missing])).ok);
  });

  it("a checked file replaces its committed version, and its problems are the run's", async () => {
    const changed = join(dir, "changed.yaml");
    writeFileSync(changed, "requests:\n  - {promise: site, name: handbook, team: docs, spec: {title: 1}}\n");
    const result = await decide("offline", [dc1], [changed]);
    assert.ok(!result.ok);
    assert.match(result.issues.map((i) => `${i.path}: ${i.message}`).join("\n"), /^changed\.yaml: requests\[0\]\.spec\.title/m);
  });
});

describe("the run channel", () => {
  it("carries what the CLI hands the program, typed, through one variable", () => {
    const env = runChannelEnv({ allowDelete: ["cluster:a"], unreachable: { b: "timed out" }, updateJournal: "/j" });
    assert.deepEqual(Object.keys(env), [runChannelVariable]);
    const channel = readRunChannel(env[runChannelVariable]);
    assert.deepEqual(channel, { allowDelete: ["cluster:a"], unreachable: { b: "timed out" }, updateJournal: "/j" });
  });

  it("plain pulumi up hands nothing: nothing confirmed, every cluster reachable, no namespace looked into", () => {
    assert.deepEqual(readRunChannel(undefined), { allowDelete: [], unreachable: {} });
  });

  it("refuses what pledge never sets, naming the variable and the field", () => {
    assert.throws(() => readRunChannel("{"), /PLEDGE_RUN is not JSON/);
    assert.throws(() => readRunChannel('{"allowDelete":"all"}'), /PLEDGE_RUN does not hold what pledge sets: allowDelete/);
    assert.throws(() => readRunChannel('{"unreachable":{},"allowDeletes":[]}'), /PLEDGE_RUN does not hold what pledge sets/);
  });
});
