// Compound promises on the real engine and the local fleet: a web-app whose
// database is placed on a data cluster and whose cache runs beside the app.
// The API servers show the app's cluster holding a Service that points at the
// database's declared address and a copy of its credentials; rotating the
// source rotates the copy; a moving database re-wires the app in one update;
// deleting the app removes everything it brought; a cycle and an unplaceable
// part are refused with nothing applied; no credentials in the state.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { kubeRequest } from "../../dev/local/kube-api";
import {
  backendText,
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

describe("compound promises", { timeout: 30 * 60_000 }, () => {
  let fleet: string[];
  let test: TestStack;
  const team = uniqueName("shop");
  const pledge = (...args: string[]) => runPledge(test, ...args);
  // The app on general clusters; its database on a data cluster (two of them, so it can move).
  const clusters = () => [
    { name: fleet[0], source: "local", labels: { workload: "general" } },
    { name: fleet[1], source: "local", labels: { workload: "data", zone: "a" } },
    { name: fleet[2], source: "local", labels: { workload: "data", zone: "b" } },
  ];
  const app = (name = "shop", database: object = { storageGi: 1 }) => ({
    promise: "web-app",
    name,
    team,
    spec: { image: "nginx:1.27", port: 80, replicas: 1, database, cache: { size: "small" } },
    selector: { matchLabels: { workload: "general" } },
  });
  const config = (requests: unknown[], over: Partial<PledgeConfig> = {}): PledgeConfig => ({
    clusters: clusters(),
    promises: { redis: {}, postgres: {}, "web-app": {}, "ring-a": {}, "ring-b": {} },
    requests,
    ...over,
  });
  const get = (cluster: string, path: string) => kubeRequest(connectionOf(cluster), "GET", path);
  const secretOn = async (cluster: string, name: string) => {
    const res = await get(cluster, `/api/v1/namespaces/${team}/secrets/${name}`);
    assert.equal(res.status, 200, `Secret ${name} on ${cluster}`);
    return res.body.data as Record<string, string>;
  };
  const dbCluster = async () => {
    const outputs = await test.stack.outputs();
    return (outputs.requests!.value as Record<string, { clusters: string[] }>)["postgres/web-app-shop-db"]!.clusters[0]!;
  };

  before(async () => {
    fleet = await ensureTestFleet(3);
    test = await newPledgeStack();
    await setPledgeConfig(test.stack, config([app()]));
    const up = pledge("up");
    assert.equal(up.status, 0, up.stderr);
  });

  after(async () => {
    if (!test) return;
    await test.stack.destroy({ onOutput: () => {} }).catch(() => {});
    await test.stack.workspace.removeStack(test.stack.name, { force: true }).catch(() => {});
  });

  it("places the parts by their own rules and publishes the tree", async () => {
    const requests = (await test.stack.outputs()).requests!.value as Record<string, any>;
    assert.deepEqual(requests["web-app/shop"].clusters, [fleet[0]]);
    assert.deepEqual(requests["web-app/shop"].parts, { cache: "redis/web-app-shop-cache", db: "postgres/web-app-shop-db" });
    assert.deepEqual(requests["redis/web-app-shop-cache"].clusters, [fleet[0]], "the cache goes with its parent");
    assert.deepEqual(requests["redis/web-app-shop-cache"].parent, { key: "web-app/shop", role: "cache" });
    const db = requests["postgres/web-app-shop-db"];
    assert.ok([fleet[1], fleet[2]].includes(db.clusters[0]), `the database on a data cluster: ${db.clusters}`);
    assert.equal(db.team, team);
    const pg = await get(db.clusters[0], `/apis/pledge.dev/v1alpha1/namespaces/${team}/postgresclusters/pg-web-app-shop-db`);
    assert.equal(pg.status, 200);
    assert.equal(
      (await get(fleet[0]!, `/apis/pledge.dev/v1alpha1/namespaces/${team}/postgresclusters`)).body.items?.length ?? 0,
      0,
    );
  });

  it("the app's cluster has a Service to the database's declared address and a copy of its credentials", async () => {
    const source = await dbCluster();
    const service = await get(fleet[0]!, `/api/v1/namespaces/${team}/services/web-app-shop-db`);
    assert.equal(service.status, 200);
    assert.equal(service.body.spec.type, "ExternalName");
    assert.equal(service.body.spec.externalName, `${source}.pg-web-app-shop-db.${team}.svc.clusterset.local`);
    assert.deepEqual(
      service.body.spec.ports.map((p: { port: number }) => p.port),
      [5432],
    );
    assert.deepEqual(
      await secretOn(fleet[0]!, "pg-web-app-shop-db-credentials"),
      await secretOn(source, "pg-web-app-shop-db-credentials"),
    );
    const deploy = await get(fleet[0]!, `/apis/apps/v1/namespaces/${team}/deployments/web-shop`);
    const env = Object.fromEntries(
      deploy.body.spec.template.spec.containers[0].env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [
        e.name,
        e.value ?? e.valueFrom,
      ]),
    );
    assert.equal(env.DATABASE_HOST, `web-app-shop-db.${team}.svc.cluster.local`);
    assert.equal(env.DATABASE_PORT, "5432");
    assert.deepEqual(env.DATABASE_PASSWORD, { secretKeyRef: { name: "pg-web-app-shop-db-credentials", key: "password" } });
    assert.equal(env.REDIS_HOST, `redis-web-app-shop-cache.${team}.svc.cluster.local`, "the cache beside it, used directly");
    assert.equal((await get(fleet[0]!, `/api/v1/namespaces/${team}/services/web-app-shop-cache`)).status, 404, "no bridge to it");
  });

  it("pledge status shows the tree with each part's cluster, readiness and outputs", () => {
    const status = pledge("status", "web-app/shop", "--json", "--no-drift");
    assert.equal(status.status, 0, status.stderr + status.stdout);
    const report = JSON.parse(status.stdout);
    assert.deepEqual(
      report.requests.map((r: { request: string; parent?: { role: string } }) => [r.request, r.parent?.role ?? null]),
      [
        ["web-app/shop", null],
        ["redis/web-app-shop-cache", "cache"],
        ["postgres/web-app-shop-db", "db"],
      ],
    );
    assert.ok(report.requests.every((r: { ready: boolean }) => r.ready));
    const db = report.requests[2];
    assert.equal(db.clusters[0].outputs.database, "web-app-shop-db");
  });

  it("credentials changed at the source are copied to the app's cluster in the next update", async () => {
    const source = await dbCluster();
    const before = await secretOn(source, "pg-web-app-shop-db-credentials");
    await test.stack.setConfig("pledge:secretSeed", { value: uniqueName("rotated"), secret: true });
    const up = pledge("up");
    assert.equal(up.status, 0, up.stderr);
    const rotated = await secretOn(source, "pg-web-app-shop-db-credentials");
    assert.notEqual(rotated.password, before.password, "the source was rotated");
    assert.deepEqual(await secretOn(fleet[0]!, "pg-web-app-shop-db-credentials"), rotated);
  });

  it("no credentials in plaintext in the state", async () => {
    const text = backendText(test.backendDir);
    for (const cluster of [fleet[0]!, await dbCluster()]) {
      const data = await secretOn(cluster, "pg-web-app-shop-db-credentials");
      const password = Buffer.from(data.password!, "base64").toString("utf8");
      assert.equal(password.length, 32);
      assert.ok(!text.includes(password), `the database password is in the state in plaintext`);
      assert.ok(!text.includes(data.password!), `the database password is in the state in base64`);
    }
  });

  it("a database that moves (its cluster removed) re-wires the app in the same update; preview says so first", async () => {
    const from = await dbCluster();
    const to = from === fleet[1] ? fleet[2]! : fleet[1]!;
    const remaining = clusters().filter((c) => c.name !== from);
    await setPledgeConfig(test.stack, config([app()], { clusters: remaining }));
    const preview = pledge("preview", "--allow-delete", `cluster:${from}`);
    assert.equal(preview.status, 0, preview.stderr);
    assert.match(
      preview.stderr,
      new RegExp(
        `request postgres/web-app-shop-db moves off ${from} to ${to}: cluster ${from} was removed; web-app/shop is re-wired to its db on ${to} in this update`,
      ),
    );
    const up = pledge("up", "--allow-delete", `cluster:${from}`);
    assert.equal(up.status, 0, up.stderr);
    const service = await get(fleet[0]!, `/api/v1/namespaces/${team}/services/web-app-shop-db`);
    assert.equal(service.body.spec.externalName, `${to}.pg-web-app-shop-db.${team}.svc.clusterset.local`);
    assert.deepEqual(
      await secretOn(fleet[0]!, "pg-web-app-shop-db-credentials"),
      await secretOn(to, "pg-web-app-shop-db-credentials"),
    );
    await setPledgeConfig(test.stack, config([app()]));
  });

  it("a cycle and an unplaceable part are refused or left unplaced with the chain of reasons, and nothing is applied", async () => {
    const before = await managedState(test.stack);
    await setPledgeConfig(test.stack, config([app(), { promise: "ring-a", name: "loop", team }]));
    const cycle = pledge("up");
    assert.equal(cycle.status, 1);
    assert.equal(
      cycle.stderr,
      "pledge: Pledge configuration has 1 problem; nothing was changed:\n" +
        "  - pledge:requests[1] (ring-b/ring-a-loop-next, part next): compound promises form a cycle: ring-a → ring-b → ring-a" +
        " (a promise cannot be a part of itself, directly or through others; tell the promises' authors)\n",
    );
    assert.deepEqual(await managedState(test.stack), before, "state unchanged");

    await setPledgeConfig(test.stack, config([app(), app("lonely", { storageGi: 1, clusters: { workload: "nowhere" } })]));
    const unplaced = pledge("up");
    assert.equal(unplaced.status, 2, unplaced.stderr);
    assert.match(
      unplaced.stderr,
      /web-app\/lonely: its db postgres\/web-app-lonely-db: 0\/3 clusters are available: 3 did not match workload=nowhere\./,
    );
    assert.match(unplaced.stderr, /redis\/web-app-lonely-cache: its parent web-app\/lonely is not placed/);
    const after = (await managedState(test.stack)).map((r: any) => r.urn).filter((u: string) => u.includes("lonely"));
    assert.deepEqual(after, [], "nothing of the unplaced compound request was applied");
    await setPledgeConfig(test.stack, config([app()]));
  });

  it("deleting the app asks to confirm its database, then removes everything it brought from every cluster", async () => {
    await setPledgeConfig(test.stack, config([]));
    const refused = pledge("up");
    assert.equal(refused.status, 1);
    assert.match(
      refused.stderr,
      /request postgres\/web-app-shop-db: is no longer asked for \(a part of web-app\/shop\): .*\(if that is what you want: pledge up --allow-delete request:web-app\/shop/,
    );
    const up = pledge("up", "--allow-delete", "request:web-app/shop");
    assert.equal(up.status, 0, up.stderr);
    for (const cluster of fleet) {
      for (const path of [
        `/apis/apps/v1/namespaces/${team}/deployments`,
        `/api/v1/namespaces/${team}/services`,
        `/api/v1/namespaces/${team}/secrets`,
        `/apis/pledge.dev/v1alpha1/namespaces/${team}/postgresclusters`,
      ]) {
        const res = await get(cluster, path);
        const mine = (res.body.items ?? []).filter((o: any) => o.metadata.labels?.["pledge.dev/team"] === team);
        assert.deepEqual(mine, [], `${path} on ${cluster}`);
      }
    }
    const state = JSON.stringify(await managedState(test.stack));
    assert.ok(!state.includes("web-app-shop"), "nothing of the app in the state");
  });
});
