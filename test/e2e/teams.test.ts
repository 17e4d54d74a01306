// Teams on the real API servers, with the local fleet's own team users (their
// tokens, not the admin's): each team's environment is enforced by the API
// server (RBAC, quota, network policy), a team is kept to its clusters, and a
// team sees its services through `pledge status` without a kubeconfig.
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fleetKubeconfigFile } from "../../dev/local/fleet";
import type { KubeConfig } from "@kubernetes/client-node";
import { kubeConfigFromFile, kubeRequest } from "../../dev/local/kube-api";
import {
  backendText,
  connectionOf,
  ensureTestFleet,
  managedState,
  newPledgeStack,
  runPledge,
  setPledgeConfig,
  testFleetDir,
  type PledgeConfig,
  type TestStack,
  uniqueName,
} from "./harness";

describe("teams", { timeout: 30 * 60_000 }, () => {
  let fleet: string[];
  let test: TestStack;
  // Unique team names (their namespaces) per run; the fleet's users team-a / team-b are their people.
  const alpha = uniqueName("alpha");
  const beta = uniqueName("beta");
  const pledge = (...args: string[]) => runPledge(test, ...args);
  const asUser = (cluster: string, user: "team-a" | "team-b"): KubeConfig =>
    kubeConfigFromFile(fleetKubeconfigFile(testFleetDir(), cluster, user));

  const teams = () => [
    {
      name: alpha,
      users: ["team-a"],
      clusters: { matchLabels: { env: "dev" } },
      quota: { cpu: "1", memory: "1Gi", pods: 3, objects: { configmaps: 10 } },
    },
    { name: beta, groups: ["pledge:team-b"], clusters: { matchLabels: { env: "dev" } }, isolated: false },
  ];
  const config = (requests: unknown[]): PledgeConfig => ({
    clusters: [
      { name: fleet[0], source: "local", labels: { env: "dev" } },
      { name: fleet[1], source: "local", labels: { env: "prod" } },
    ],
    promises: { redis: {} },
    requests,
    teams: teams(),
  });
  const cache = { promise: "redis", name: "cache", team: alpha, spec: { size: "small" } };
  const store = { promise: "redis", name: "store", team: beta, spec: { size: "small" } };

  before(async () => {
    fleet = await ensureTestFleet(2);
    test = await newPledgeStack();
    await setPledgeConfig(test.stack, config([{ ...cache, pin: [fleet[0]] }, store]));
    const up = pledge("up");
    assert.equal(up.status, 0, up.stderr);
  });

  after(async () => {
    if (!test) return;
    await test.stack.destroy({ onOutput: () => {} }).catch(() => {});
    await test.stack.workspace.removeStack(test.stack.name, { force: true }).catch(() => {});
  });

  it("each team's environment is on its cluster: RoleBinding of its people, quota, defaults, default-deny policy, Pledge labels", async () => {
    const admin = connectionOf(fleet[0]!);
    const binding = await kubeRequest(
      admin,
      "GET",
      `/apis/rbac.authorization.k8s.io/v1/namespaces/${alpha}/rolebindings/pledge-team`,
    );
    assert.equal(binding.status, 200);
    assert.deepEqual(binding.body.subjects, [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "team-a" }]);
    assert.equal(binding.body.roleRef.kind, "ClusterRole", "a namespaced binding of a built-in role: no cluster-wide rights");
    const quota = await kubeRequest(admin, "GET", `/api/v1/namespaces/${alpha}/resourcequotas/pledge-team`);
    assert.deepEqual(quota.body.spec.hard, {
      "requests.cpu": "1",
      "requests.memory": "1Gi",
      pods: "3",
      "count/configmaps": "10",
    });
    const limits = await kubeRequest(admin, "GET", `/api/v1/namespaces/${alpha}/limitranges/pledge-team-defaults`);
    assert.equal(limits.status, 200);
    const policy = await kubeRequest(
      admin,
      "GET",
      `/apis/networking.k8s.io/v1/namespaces/${alpha}/networkpolicies/pledge-default-deny`,
    );
    assert.equal(policy.status, 200);
    assert.deepEqual(policy.body.spec.podSelector, {}, "every pod of the namespace");
    assert.deepEqual(policy.body.spec.policyTypes, ["Ingress", "Egress"]);
    assert.deepEqual(policy.body.spec.ingress, [{ from: [{ podSelector: {} }] }], "ingress only from the namespace's pods");
    const egressPorts = policy.body.spec.egress
      .flatMap((e: { ports?: { port: number }[] }) => e.ports ?? [])
      .map((p: { port: number }) => p.port);
    assert.deepEqual(egressPorts, [53, 53], "egress outside the namespace only to DNS");
    const betaPolicy = await kubeRequest(
      admin,
      "GET",
      `/apis/networking.k8s.io/v1/namespaces/${beta}/networkpolicies/pledge-default-deny`,
    );
    assert.equal(betaPolicy.status, 404, "isolated: false means no policy");
    const deploy = await kubeRequest(admin, "GET", `/apis/apps/v1/namespaces/${alpha}/deployments/redis-cache`);
    assert.equal(deploy.status, 200);
    assert.deepEqual(
      [
        deploy.body.metadata.labels["pledge.dev/team"],
        deploy.body.metadata.labels["pledge.dev/promise"],
        deploy.body.metadata.labels["pledge.dev/request"],
      ],
      [alpha, "redis", "cache"],
    );
    const ns = await kubeRequest(admin, "GET", `/api/v1/namespaces/${alpha}`);
    assert.equal(ns.body.metadata.labels["pledge.dev/team"], alpha);
  });

  it("a team's own token: create, read and delete in its namespace; forbidden in another team's and cluster-wide", async () => {
    const a = asUser(fleet[0]!, "team-a");
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "mine" }, data: { k: "v" } };
    assert.equal((await kubeRequest(a, "POST", `/api/v1/namespaces/${alpha}/configmaps`, cm)).status, 201);
    assert.equal((await kubeRequest(a, "GET", `/api/v1/namespaces/${alpha}/configmaps/mine`)).status, 200);
    assert.equal((await kubeRequest(a, "GET", `/apis/apps/v1/namespaces/${alpha}/deployments/redis-cache`)).status, 200);
    assert.equal((await kubeRequest(a, "DELETE", `/api/v1/namespaces/${alpha}/configmaps/mine`)).status, 200);
    assert.equal((await kubeRequest(a, "GET", `/api/v1/namespaces/${beta}/configmaps`)).status, 403, "another team's namespace");
    assert.equal((await kubeRequest(a, "POST", `/api/v1/namespaces/${beta}/configmaps`, cm)).status, 403);
    assert.equal((await kubeRequest(a, "GET", `/api/v1/namespaces/${beta}/secrets/redis-store-auth`)).status, 403);
    const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: uniqueName("grab") } };
    assert.equal((await kubeRequest(a, "POST", "/api/v1/namespaces", ns)).status, 403, "cluster-scoped objects");
    assert.equal((await kubeRequest(a, "GET", "/api/v1/nodes")).status, 403);
    const widened = { spec: { hard: { pods: "1000" } } };
    const patch = await kubeRequest(
      a,
      "PATCH",
      `/api/v1/namespaces/${alpha}/resourcequotas/pledge-team`,
      widened,
      "application/merge-patch+json",
    );
    assert.equal(patch.status, 403, "a team cannot raise its own quota");
    // The other team, through its group, has its own namespace and nothing else.
    const b = asUser(fleet[0]!, "team-b");
    assert.equal((await kubeRequest(b, "GET", `/api/v1/namespaces/${beta}/configmaps`)).status, 200);
    assert.equal((await kubeRequest(b, "GET", `/api/v1/namespaces/${alpha}/configmaps`)).status, 403);
  });

  it("a pod over the team's quota is rejected by the API server", async () => {
    const a = asUser(fleet[0]!, "team-a");
    const pod = (name: string, cpu: string) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name },
      spec: { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu }, limits: { cpu } } }] },
    });
    const over = await kubeRequest(a, "POST", `/api/v1/namespaces/${alpha}/pods`, pod("greedy", "2"));
    assert.equal(over.status, 403);
    assert.match(over.body.message, /exceeded quota: pledge-team.*requests\.cpu/);
    const fits = await kubeRequest(a, "POST", `/api/v1/namespaces/${alpha}/pods`, pod("modest", "100m"));
    assert.equal(fits.status, 201, JSON.stringify(fits.body));
    await kubeRequest(a, "DELETE", `/api/v1/namespaces/${alpha}/pods/modest?gracePeriodSeconds=0`);
  });

  it("pledge status --team: placement, ready objects and the outputs a team uses, without a kubeconfig", () => {
    const status = pledge("status", "--team", alpha, "--json");
    assert.equal(status.status, 0, status.stderr + status.stdout);
    const report = JSON.parse(status.stdout);
    assert.deepEqual(
      report.requests.map((r: { request: string }) => r.request),
      ["redis/cache"],
      "only the team's requests",
    );
    const [request] = report.requests;
    assert.equal(request.ready, true);
    assert.equal(request.team, alpha);
    assert.deepEqual(
      request.clusters.map((c: { cluster: string }) => c.cluster),
      [fleet[0]],
    );
    const [onCluster] = request.clusters;
    assert.deepEqual(onCluster.objects.map((o: { kind: string; ready: boolean }) => [o.kind, o.ready]).sort(), [
      ["ConfigMap", true],
      ["Deployment", true],
      ["Secret", true],
      ["Service", true],
    ]);
    assert.deepEqual(onCluster.outputs, {
      host: `redis-cache.${alpha}.svc.cluster.local`,
      port: 6379,
      passwordSecret: "redis-cache-auth",
    });
    assert.deepEqual(onCluster.drift, []);
    const unknown = pledge("status", "--team", "nobody");
    assert.equal(unknown.status, 1);
    assert.match(
      unknown.stderr,
      new RegExp(`^pledge: team "nobody" has no requests in this stack; teams with requests: ${alpha}, ${beta}\n$`),
    );
    const text = pledge("status", "redis/cache");
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`redis/cache \\(team ${alpha}\\): ready`));
    assert.match(
      text.stdout,
      new RegExp(
        `${fleet[0]} outputs: host=redis-cache\\.${alpha}\\.svc\\.cluster\\.local, passwordSecret=redis-cache-auth, port=6379`,
      ),
    );
  });

  it("pledge status reports not-ready when a Deployment is scaled past what it can run, and the drift", async () => {
    const admin = connectionOf(fleet[0]!);
    const scale = await kubeRequest(
      admin,
      "PATCH",
      `/apis/apps/v1/namespaces/${alpha}/deployments/redis-cache/scale`,
      { spec: { replicas: 1000 } },
      "application/merge-patch+json",
    );
    assert.equal(scale.status, 200);
    const status = pledge("status", "redis/cache", "--json");
    assert.equal(status.status, 4, "non-zero when something is not ready");
    const [request] = JSON.parse(status.stdout).requests;
    assert.equal(request.ready, false);
    const deployment = request.clusters[0].objects.find((o: { kind: string }) => o.kind === "Deployment");
    assert.equal(deployment.ready, false);
    assert.match(deployment.detail, /\/1000 replicas available/);
    assert.deepEqual(request.clusters[0].drift, [{ object: `Deployment/${alpha}/redis-cache`, change: "changed" }]);
    const up = pledge("up");
    assert.equal(up.status, 0, up.stderr);
    const after = pledge("status", "redis/cache", "--json");
    assert.equal(after.status, 0, `pledge up repaired it: ${after.stdout}`);
  });

  it("a request outside its team's clusters is a config error naming both, and nothing changes", async () => {
    const before = await managedState(test.stack);
    await setPledgeConfig(test.stack, config([{ ...cache, pin: [fleet[1]] }, store]));
    const up = pledge("up");
    assert.equal(up.status, 1);
    assert.equal(
      up.stderr,
      `pledge: Pledge configuration has 1 problem; nothing was changed:\n  - pledge:requests[0].pin[0]: cluster ${fleet[1]} is not one of team ${alpha}'s clusters (${alpha} may use ${fleet[0]} (pledge:teams ${alpha}.clusters))\n`,
    );
    const selector = { ...cache, selector: { matchLabels: { env: "prod" } } };
    await setPledgeConfig(test.stack, config([selector, store]));
    const bySelector = pledge("up");
    assert.equal(bySelector.status, 1);
    assert.match(
      bySelector.stderr,
      new RegExp(`pledge:requests\\[0\\]\\.selector: matches only clusters team ${alpha} may not use \\(${fleet[1]}\\)`),
    );
    await setPledgeConfig(test.stack, config([{ ...cache, team: "nobody" }, store]));
    const unknownTeam = pledge("up");
    assert.equal(unknownTeam.status, 1);
    assert.match(unknownTeam.stderr, /pledge:requests\[0\]\.team: unknown team "nobody"/);
    assert.deepEqual(await managedState(test.stack), before, "state unchanged");
  });

  it("pledge check catches every class of bad request that up does, with the same messages, and changes nothing", async () => {
    await setPledgeConfig(test.stack, config([{ ...cache, pin: [fleet[0]] }, store]));
    await test.stack.setConfig("pledge:requestsDir", { value: "requests" });
    const dir = join(test.workDir, "requests");
    mkdirSync(dir, { recursive: true });
    const before = await managedState(test.stack);
    const bad: [string, string][] = [
      [`${alpha}.yaml`, "requests: [ {promise: redis"],
      [`${alpha}.yaml`, "requests:\n  - {promise: redsi, name: typo}\n"],
      [`${alpha}.yaml`, "requests:\n  - {promise: redis, name: big, spec: {size: huge}}\n"],
      [`${alpha}.yaml`, "requests:\n  - {promise: redis, name: many, replicas: 3}\n"],
      [`${alpha}.yaml`, `requests:\n  - {promise: redis, name: far, pin: [${fleet[1]}]}\n`],
      [`${alpha}.yaml`, "requests:\n  - {promise: redis, name: nowhere, selector: {matchLabels: {env: qa}}}\n"],
      ["nobody.yaml", "requests:\n  - {promise: redis, name: orphan}\n"],
    ];
    for (const [file, text] of bad) {
      writeFileSync(join(dir, file), text);
      const check = pledge("check", join("requests", file));
      const up = pledge("up");
      rmSync(join(dir, file));
      assert.equal(check.status, 1, `${text}: ${check.stderr}`);
      assert.match(check.stderr, /^pledge: Pledge configuration has \d problems?; nothing was changed:\n  - requests\//);
      assert.equal(up.status, 1, `${text}: ${up.stderr}`);
      assert.equal(check.stderr, up.stderr, `the same messages for ${JSON.stringify(text)}`);
    }
    assert.deepEqual(await managedState(test.stack), before, "state unchanged");
    // A good file: what would go where. An unplaceable one: up's warning, exit 2.
    writeFileSync(
      join(dir, `${alpha}.yaml`),
      "requests:\n  - {promise: redis, name: extra}\n  - {promise: redis, name: wide, count: 2}\n",
    );
    const check = pledge("check", join("requests", `${alpha}.yaml`), "--json");
    rmSync(join(dir, `${alpha}.yaml`));
    assert.equal(check.status, 2, check.stderr);
    const result = JSON.parse(check.stdout);
    assert.deepEqual(Object.keys(result.requests).sort(), ["redis/extra", "redis/wide"], "only the file's requests");
    assert.deepEqual(result.requests["redis/extra"].clusters, [fleet[0]], "the team's only cluster");
    assert.match(check.stderr, /warning: 1 request is not fully placed:\n  redis\/wide: \S/);
    assert.deepEqual(await managedState(test.stack), before, "check changed nothing");
    await test.stack.removeConfig("pledge:requestsDir");
  });

  it("pledge preview --json and --markdown summarise each request's placement and per-cluster changes, and change nothing", async () => {
    const before = await managedState(test.stack);
    const fresh = { promise: "redis", name: "fresh", team: beta, spec: { size: "small" } };
    await setPledgeConfig(test.stack, config([{ ...cache, pin: [fleet[0]], spec: { size: "medium" } }, store, fresh]));
    const json = pledge("preview", "--json");
    assert.equal(json.status, 0, json.stderr);
    const summary = JSON.parse(json.stdout);
    const byKey = new Map(summary.requests.map((r: { request: string }) => [r.request, r]));
    const changed = byKey.get("redis/cache") as { changes: Record<string, Record<string, number>>; clusters: string[] };
    assert.deepEqual(changed.clusters, [fleet[0]]);
    assert.deepEqual(Object.keys(changed.changes), [fleet[0]]);
    // The provider replaces a ConfigMap whose data changes (they are immutable to it) and updates the Deployment.
    assert.deepEqual(changed.changes, { [fleet[0]!]: { replace: 1, update: 1 } });
    const added = byKey.get("redis/fresh") as { changes: Record<string, Record<string, number>>; status: string };
    assert.equal(added.status, "placed");
    assert.deepEqual(Object.values(added.changes), [{ create: 4 }], "its Secret, ConfigMap, Deployment and Service");
    assert.deepEqual((byKey.get("redis/store") as { changes: object }).changes, {}, "an unchanged request changes nothing");
    assert.deepEqual(summary.deletions, {
      [fleet[0]!]: [`redis/cache@${fleet[0]}/ConfigMap/${alpha}/redis-cache-config (replaced)`],
    });
    const markdown = pledge("preview", "--markdown");
    assert.equal(markdown.status, 0, markdown.stderr);
    assert.match(markdown.stdout, /^### Pledge preview of stack `test`\n/);
    assert.match(markdown.stdout, new RegExp(`\\| \`redis/fresh\` \\| ${beta} \\| placed on \\S+`));
    assert.doesNotMatch(markdown.stdout, /redis\/store/, "only requests that change are listed");
    assert.deepEqual(await managedState(test.stack), before, "a preview changes nothing");
    await setPledgeConfig(test.stack, config([{ ...cache, pin: [fleet[0]] }, store]));
  });

  it("generated passwords are in the cluster's Secret and nowhere in the state or outputs in plaintext", async () => {
    const secret = await kubeRequest(connectionOf(fleet[0]!), "GET", `/api/v1/namespaces/${alpha}/secrets/redis-cache-auth`);
    assert.equal(secret.status, 200);
    const password = Buffer.from(secret.body.data.password, "base64").toString("utf8");
    assert.equal(password.length, 32);
    assert.ok(!backendText(test.backendDir).includes(password), "the password is in the backend in plaintext");
    const outputs = JSON.stringify(await test.stack.outputs());
    assert.ok(!outputs.includes(password));
    const seed = (await test.stack.getConfig("pledge:secretSeed")).value;
    assert.ok(!backendText(test.backendDir).includes(seed), "the seed is in the backend in plaintext");
  });

  it("a team with nothing left on a cluster loses its environment there", async () => {
    await setPledgeConfig(test.stack, config([{ ...cache, pin: [fleet[0]] }]));
    const up = pledge("up", "--allow-delete", `request:redis/store`);
    assert.equal(up.status, 0, up.stderr);
    const admin = connectionOf(fleet[0]!);
    const ns = await kubeRequest(admin, "GET", `/api/v1/namespaces/${beta}`);
    assert.ok(ns.status === 404 || ns.body.status?.phase === "Terminating", `namespace ${beta}: ${ns.status}`);
    const state = JSON.stringify(await managedState(test.stack));
    assert.ok(!state.includes(`/${beta}`), "no object of the team left in the state");
    assert.equal((await kubeRequest(admin, "GET", `/api/v1/namespaces/${alpha}`)).status, 200, "the other team keeps its own");
  });
});
