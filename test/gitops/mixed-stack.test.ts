// A mixed stack for real: two clusters Pledge reaches directly and one it
// reaches only through Git (its API server is never given to `pledge up`),
// pulled by real Flux from the local fleet's Git server. Requests and
// dependencies placed there appear through Flux; a Secret arrives decrypted
// and is ciphertext in every commit; a removed request is pruned; the
// deletion guard refuses a stateful request's removal there as elsewhere; a
// label change moves dependencies off it; the Git server down leaves the
// direct clusters updated (exit 3) and the next `up` converges; a hand edit
// in Git is shown by preview and reverted by up; status reports what Flux applied.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fleetUp, readFleet } from "../../dev/local/fleet";
import { gitUrl, stopFleetGitServer, writerPasswordFile, type FleetGitRecord } from "../../dev/local/fleet-git";
import { FleetRepoClone } from "../../dev/local/fleet-repo";
import type { GitopsCapableCluster } from "../../dev/local/gitops";
import { kubeRequest } from "../../dev/local/kube-api";
import { waitFor } from "../../dev/local/wait";
import { connectionOf, kubeconfigOf, newPledgeStack, runPledge, testFleetDir, type TestStack, uniqueName } from "../e2e/harness";

const edgeFleetName = "local-3";

describe("a mixed stack: two direct clusters and one delivered through Git", { timeout: 40 * 60_000 }, () => {
  let test: TestStack;
  let git: FleetGitRecord;
  let edge: GitopsCapableCluster;
  const team = uniqueName("mixed");
  const work = mkdtempSync(join(tmpdir(), "pledge-mixed-"));
  const onEdge = (path: string) => kubeRequest(connectionOf(edgeFleetName), "GET", path);
  const deployment = (name: string) => `/apis/apps/v1/namespaces/${team}/deployments/${name}`;
  let edgeConfig: Record<string, unknown>;

  interface RequestEntry {
    promise: string;
    name: string;
    team: string;
    selector: object;
    spec?: object;
  }
  const requests = (extra: RequestEntry[] = []): RequestEntry[] => [
    { promise: "redis", name: "edge-cache", team, selector: { matchLabels: { site: "edge" } } },
    { promise: "redis", name: "dc-cache", team, selector: { matchLabels: { site: "dc" } } },
    { promise: "postgres", name: "db", team, selector: { matchLabels: { site: "edge" } } },
    ...extra,
  ];

  async function configure(options: {
    requests: RequestEntry[];
    edgeLabels?: Record<string, string>;
    readable?: boolean;
    rollout?: object;
  }) {
    edgeConfig = {
      name: "edge",
      source: "kubeconfig",
      labels: options.edgeLabels ?? { site: "edge", workload: "data" },
      // Git-only: no kubeconfig, never contacted; readable: status may read it (pledge up still never writes through it).
      ...(options.readable ? { kubeconfig: kubeconfigOf(edgeFleetName) } : {}),
      delivery: {
        gitops: { store: "fleet", path: edge.gitops!.path.replace(/^clusters\//, ""), ageRecipient: edge.gitops!.ageRecipient },
      },
    };
    await test.stack.setAllConfig({
      "pledge:clusters": {
        value: JSON.stringify([
          { name: "local-1", source: "local", labels: { site: "dc", workload: "general" } },
          { name: "local-2", source: "local", labels: { site: "dc", workload: "general" } },
          edgeConfig,
        ]),
        secret: true,
      },
      "pledge:stateStores": {
        value: JSON.stringify([
          {
            name: "fleet",
            url: gitUrl(git),
            branch: git.branch,
            path: "clusters",
            credentials: { username: "pledge", password: readFileSync(writerPasswordFile(git), "utf8").trim() },
          },
        ]),
        secret: true,
      },
      "pledge:promises": { value: JSON.stringify({ redis: {}, postgres: {} }) },
      "pledge:requests": { value: JSON.stringify(options.requests) },
    });
    if (options.rollout) await test.stack.setConfig("pledge:rollout", { value: JSON.stringify(options.rollout) });
    else await test.stack.removeConfig("pledge:rollout").catch(() => {});
  }

  /** The whole history of the fleet repository, every commit's patch, from a fresh clone with the git CLI. */
  function history(): string {
    const dir = mkdtempSync(join(work, "clone-"));
    const url = `http://127.0.0.1:${git.port}/${git.repository}.git`;
    const auth = `Authorization: Basic ${Buffer.from(`pledge:${readFileSync(writerPasswordFile(git), "utf8").trim()}`).toString("base64")}`;
    const clone = spawnSync("git", ["-c", `http.extraHeader=${auth}`, "clone", "--quiet", url, dir], { encoding: "utf8" });
    assert.equal(clone.status, 0, clone.stderr);
    const log = spawnSync("git", ["log", "-p", "--all"], { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    rmSync(dir, { recursive: true, force: true });
    return log.stdout;
  }

  function head(): string {
    const out = spawnSync("git", ["rev-parse", git.branch], {
      cwd: join(git.dir, "repos", `${git.repository}.git`),
      encoding: "utf8",
    });
    return out.stdout.trim();
  }

  const up = (...args: string[]) => runPledge(test, "up", ...args);
  /** Flux applies within seconds of a commit (a 5 s interval on the local fleet); 90 s is far beyond. */
  const eventually = (what: string, check: () => Promise<boolean>) =>
    waitFor(what, async () => ((await check()) ? true : undefined), 90_000, 1_000);
  const ok = (r: { status: number | null; stdout: string; stderr: string }, status = 0) =>
    assert.equal(r.status, status, `exit ${r.status}:\n${r.stdout}\n${r.stderr}`);

  before(async () => {
    const fleet = await fleetUp(testFleetDir(), { clusters: 3, gitops: [edgeFleetName] });
    git = fleet.git!;
    edge = fleet.clusters.find((c) => c.name === edgeFleetName) as GitopsCapableCluster;
    test = await newPledgeStack();
    await configure({ requests: requests() });
  });

  after(async () => {
    rmSync(work, { recursive: true, force: true });
    if (!test) return;
    await test.stack.destroy({ onOutput: () => {} }).catch(() => {});
  });

  it("delivers the Git-delivered cluster's requests and dependencies through Flux, the others directly, a Secret decrypted there and ciphertext in Git", async () => {
    const result = up("--wait-applied", "120");
    ok(result);
    assert.match(result.stderr, /edge: committed at [0-9a-f]{12}, not observed/, "a Git-only cluster is not claimed applied");
    await eventually("redis on edge", async () => (await onEdge(deployment("redis-edge-cache"))).status === 200);
    await eventually(
      "the postgres operator (a dependency) on edge",
      async () => (await onEdge("/apis/apps/v1/namespaces/pledge-postgres/deployments")).body?.items?.length > 0,
    );
    await eventually(
      "the PostgresCluster on edge",
      async () => (await onEdge(`/apis/pledge.dev/v1alpha1/namespaces/${team}/postgresclusters/pg-db`)).status === 200,
    );
    const secret = await onEdge(`/api/v1/namespaces/${team}/secrets/pg-db-credentials`);
    assert.equal(secret.status, 200);
    const password = Buffer.from(secret.body.data.password, "base64").toString("utf8");
    assert.ok(password.length >= 16 && !password.startsWith("ENC["), "Flux decrypted the Secret with the cluster's age key");
    const log = history();
    assert.ok(!log.includes(password), "the password is in the repository's history in plaintext");
    assert.ok(!log.includes(secret.body.data.password), "the password's base64 is in the repository's history");
    assert.match(log, /ENC\[AES256_GCM/);
    // The direct clusters got theirs through their providers; the Git-delivered one got nothing that way.
    const direct = await Promise.all(
      ["local-1", "local-2"].map((c) => kubeRequest(connectionOf(c), "GET", deployment("redis-dc-cache"))),
    );
    assert.equal(direct.filter((d) => d.status === 200).length, 1, "dc-cache runs on one direct cluster");
    assert.equal((await onEdge(deployment("redis-dc-cache"))).status, 404);
  });

  it("pledge bootstrap prints what the Git-only cluster's admin applies, without a secret's value", () => {
    const bundle = runPledge(test, "bootstrap", "edge");
    ok(bundle);
    assert.match(bundle.stdout, /kind: GitRepository[\s\S]*url: http:\/\/127\.0\.0\.1:\d+\/fleet\.git/);
    assert.match(bundle.stdout, new RegExp(`path: \\./${edge.gitops!.path}/resources`));
    assert.match(bundle.stdout, /kind: CustomResourceDefinition/);
    assert.ok(
      !bundle.stdout.includes(readFileSync(writerPasswordFile(git), "utf8").trim()),
      "the writer's password is in the bundle",
    );
    assert.match(bundle.stderr, /create secret generic sops-age/);
  });

  it("makes no commit when nothing changed, and status reports what Flux applied once the cluster can be read", async () => {
    const before = head();
    ok(up());
    assert.equal(head(), before, "an unchanged update commits nothing");
    await configure({ requests: requests(), readable: true });
    ok(up("--wait-applied", "120"));
    assert.equal(head(), before, "a kubeconfig to read the cluster by changes no file");
    const status = runPledge(test, "status", "redis/edge-cache", "--json");
    ok(status);
    const report = JSON.parse(status.stdout);
    const cluster = report.requests[0].clusters.find((c: { cluster: string }) => c.cluster === "edge");
    assert.equal(cluster.delivery.commit, before);
    assert.equal(cluster.delivery.applied, true, JSON.stringify(cluster.delivery));
    assert.ok(
      cluster.objects.some((o: { kind: string; ready: boolean }) => o.kind === "Deployment" && o.ready),
      JSON.stringify(cluster.objects),
    );
  });

  it("refuses to remove a stateful request on it without confirmation, and Git is untouched", async () => {
    const before = head();
    await configure({ requests: requests().filter((r) => r.name !== "db"), readable: true });
    const refused = up();
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(`${refused.stdout}${refused.stderr}`, /postgres\/db/);
    assert.equal(head(), before);
  });

  it("prunes a removed request, keeps the team's namespace, and moves dependencies off on a label change", async () => {
    await configure({
      requests: requests().filter((r) => r.name !== "db" && r.name !== "edge-cache"),
      readable: true,
    });
    ok(up("--allow-delete", "request:postgres/db", "--wait-applied", "120"));
    await eventually("pruned redis", async () => (await onEdge(deployment("redis-edge-cache"))).status === 404);
    assert.equal((await onEdge(`/api/v1/namespaces/${team}`)).status, 200, "the team's namespace stays");
    await configure({
      requests: requests().filter((r) => r.name !== "db" && r.name !== "edge-cache"),
      edgeLabels: { site: "edge", workload: "gpu" },
      readable: true,
    });
    ok(up("--wait-applied", "120"));
    await eventually(
      "the postgres operator gone from edge",
      async () => (await onEdge("/apis/apps/v1/namespaces/pledge-postgres/deployments")).body?.items?.length === 0,
    );
  });

  it("with the Git server down: exit 3, the direct clusters updated, then convergence", async () => {
    const withExtra: RequestEntry[] = [
      { promise: "redis", name: "dc-cache", team, selector: { matchLabels: { site: "dc" } }, spec: { size: "medium" } },
      { promise: "redis", name: "edge-two", team, selector: { matchLabels: { site: "edge" } } },
    ];
    const memory = async () => {
      const dc = await Promise.all(
        ["local-1", "local-2"].map((c) => kubeRequest(connectionOf(c), "GET", deployment("redis-dc-cache"))),
      );
      return dc.find((d) => d.status === 200)!.body.spec.template.spec.containers[0].resources.requests.memory as string;
    };
    const smallMemory = await memory();
    await configure({ requests: withExtra, edgeLabels: { site: "edge", workload: "gpu" }, readable: true });
    const before = head();
    await stopFleetGitServer(git);
    const partial = up();
    ok(partial, 3);
    assert.match(partial.stderr, /edge.*state store fleet/);
    assert.notEqual(await memory(), smallMemory, "the direct cluster was updated (medium)");
    const fleet = await fleetUp(testFleetDir(), { clusters: 3, gitops: [edgeFleetName] });
    git = fleet.git!;
    assert.equal(head(), before, "nothing reached Git while it was down");
    ok(up("--wait-applied", "120"));
    await eventually("edge-two", async () => (await onEdge(deployment("redis-edge-two"))).status === 200);
  });

  it("shows a hand edit in Git as a change in preview and puts it back with up", async () => {
    const clone = await FleetRepoClone.clone(
      { url: gitUrl(git), branch: git.branch, writer: { username: "pledge", passwordFile: writerPasswordFile(git) } },
      join(work, "hand"),
    );
    const file = `${edge.gitops!.path}/resources/pledge-placeholder.yaml`;
    const original = readFileSync(join(clone.dir, file), "utf8");
    clone.write(file, original.replace("delivery: gitops", "delivery: edited-by-hand"));
    await clone.commitAndPush("a hand edit");
    const preview = runPledge(test, "preview", "--verbose");
    ok(preview);
    // Counted on its cluster, and named in the store's step (the engine's detailed diff, compared with Git as it is now).
    assert.match(preview.stderr, /edge: 1 to update/, preview.stderr);
    assert.match(
      `${preview.stdout}${preview.stderr}`,
      /StateStoreCommit: \(update\)[\s\S]{0,400}~ files: \{\s+~ clusters\/local-3\/resources\/pledge-placeholder\.yaml/,
    );
    ok(up());
    const again = await FleetRepoClone.clone(
      { url: gitUrl(git), branch: git.branch, writer: { username: "pledge", passwordFile: writerPasswordFile(git) } },
      join(work, "again"),
    );
    assert.equal(readFileSync(join(again.dir, file), "utf8"), original);
    assert.equal(readFleet(testFleetDir()).git?.repository, "fleet");
  });

  it("staged: the Git-delivered cluster's directory waits for its wave, its gate for Flux; unread, it cannot be proven healthy", async () => {
    // The requests as the test before left them (dc-cache medium, edge-two small), both resized together.
    const sized = (size: string): RequestEntry[] => [
      { promise: "redis", name: "dc-cache", team, selector: { matchLabels: { site: "dc" } }, spec: { size } },
      { promise: "redis", name: "edge-two", team, selector: { matchLabels: { site: "edge" } }, spec: { size } },
    ];
    const edgeLabels = { site: "edge", workload: "gpu" };
    const rollout = (approval: boolean) => ({
      waves: [{ name: "dc", clusters: { matchLabels: { site: "dc" } }, approval }, { name: "edge" }],
      gate: { healthyFor: "0s", timeout: "2m" },
    });
    const memoryOf = (res: { body: any }) => res.body.spec.template.spec.containers[0].resources.limits.memory as string;
    // dc-cache runs on one of the two dc clusters: the placement says which.
    const dcCluster = ((await test.stack.outputs()).placements!.value as Record<string, string[]>)["redis/dc-cache"]![0]!;
    const dcMemory = () => kubeRequest(connectionOf(dcCluster), "GET", deployment("redis-dc-cache")).then(memoryOf);
    const edgeMemory = () => onEdge(deployment("redis-edge-two")).then(memoryOf);
    assert.deepEqual([await dcMemory(), await edgeMemory()], ["512Mi", "128Mi"]);

    await configure({ requests: sized("large"), edgeLabels, readable: true, rollout: rollout(true) });
    const before = head();
    ok(up(), 6);
    assert.equal(await dcMemory(), "2Gi", "the dc wave has the change");
    assert.equal(head(), before, "the edge cluster's directory is not written before its wave");
    assert.equal(await edgeMemory(), "128Mi");

    const approved = runPledge(test, "rollout", "approve", "dc");
    ok(approved);
    assert.notEqual(head(), before, "its wave commits the change");
    // The gate waited for Flux: when approve returns, the edge cluster runs the new size.
    assert.equal(await edgeMemory(), "2Gi", approved.stderr);
    assert.match(approved.stderr, /wave edge: gate passed on edge/);

    await configure({ requests: sized("medium"), edgeLabels, rollout: rollout(false) });
    const unread = up();
    ok(unread, 3);
    assert.match(unread.stderr, /wave edge cannot be proven healthy: edge is delivered through Git with no kubeconfig/);
    ok(up("--skip-unreachable"));
  });
});
