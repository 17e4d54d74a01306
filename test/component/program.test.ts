// The whole program under Pulumi mocks: which provider each object goes to,
// how components nest, and that bad config registers nothing. Mocks only stand
// in for the engine here; the same program runs for real in test/e2e.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PreviousPlacement } from "../../src/core/facts";
import { providerName, runFleet, type Registered } from "./mocks";

function fakeKubeconfig(name: string): string {
  return `apiVersion: v1\nkind: Config\nclusters: [{name: ${name}, cluster: {server: "https://${name}.invalid"}}]\nusers: [{name: u, user: {token: secret-token-${name}}}]\ncontexts: [{name: ${name}, context: {cluster: ${name}, user: u}}]\ncurrent-context: ${name}\n`;
}

const runProgram = (config: Record<string, unknown>, previous: PreviousPlacement = new Map()) => runFleet(config, {}, previous);

const fleet = [
  {
    name: "eu-1",
    source: "kubeconfig",
    kubeconfig: fakeKubeconfig("eu-1"),
    labels: { region: "eu", zone: "eu-1", workload: "data" },
  },
  {
    name: "eu-2",
    source: "kubeconfig",
    kubeconfig: fakeKubeconfig("eu-2"),
    labels: { region: "eu", zone: "eu-2", workload: "general" },
  },
  {
    name: "us-1",
    source: "kubeconfig",
    kubeconfig: fakeKubeconfig("us-1"),
    labels: { region: "us", zone: "us-1", workload: "edge" },
  },
];

function providerUrnOf(registered: Registered[], cluster: string): string {
  const provider = registered.find((r) => r.type === "pulumi:providers:kubernetes" && r.name === `${cluster}-k8s`);
  assert.ok(provider, `no provider for ${cluster}`);
  return `urn:pulumi:test::pledge::pledge:index:Cluster$pulumi:providers:kubernetes::${cluster}-k8s::${cluster}-k8s-id`;
}

describe("pledge program under mocks", () => {
  it("sends every object to its own cluster's provider", async () => {
    const { registered, error } = await runProgram({
      "pledge:clusters": fleet,
      "pledge:promises": { redis: {}, postgres: {} },
      "pledge:requests": [
        { promise: "redis", name: "cache", team: "shop", selector: { matchLabels: { region: "us" } } },
        { promise: "postgres", name: "orders", team: "shop", count: 2, spreadBy: "zone" },
      ],
    });
    assert.equal(error, undefined, String(error));
    const objects = registered.filter((r) => r.type.startsWith("kubernetes:"));
    assert.ok(objects.length > 0);
    for (const o of objects) {
      const cluster = o.name.includes("@") ? o.name.split("@")[1]!.split("/")[0]! : o.name.split("/")[0]!;
      assert.equal(o.provider, providerUrnOf(registered, cluster), `${o.name} went to the wrong provider`);
    }
    // postgres is only eligible where workload is data or general: its operator chart is on eu-1 and eu-2, not us-1.
    const charts = objects
      .filter((o) => o.type === "kubernetes:helm.sh/v4:Chart")
      .map((o) => o.name)
      .sort();
    assert.deepEqual(charts, [
      "postgres@eu-1/HelmChart/pledge-postgres/postgres-operator",
      "postgres@eu-2/HelmChart/pledge-postgres/postgres-operator",
    ]);
    // the redis request went to the only us cluster, in the team's namespace
    const redis = objects.filter((o) => o.name.startsWith("redis/cache@"));
    assert.ok(redis.length > 0 && redis.every((o) => o.name.startsWith("redis/cache@us-1/")));
    assert.ok(objects.some((o) => o.name === "us-1/Namespace/shop"));
  });

  it("renders each chart through its own cluster's provider before registering it, with that cluster's values", async () => {
    const prodFleet = fleet.map((c) => (c.name === "eu-2" ? { ...c, labels: { ...c.labels, env: "prod" } } : c));
    const { registered, invoked, error } = await runProgram({
      "pledge:clusters": prodFleet,
      "pledge:promises": { postgres: {} },
    });
    assert.equal(error, undefined, String(error));
    const renders = invoked.filter((i) => i.token === "kubernetes:helm:template");
    assert.deepEqual(renders.map((r) => providerName(r.provider)).sort(), ["eu-1-k8s", "eu-2-k8s"]);
    const replicas = (cluster: string) => {
      const chart = registered.find(
        (r) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name.startsWith(`postgres@${cluster}/`),
      )!;
      return chart.inputs.values.operator.replicas;
    };
    assert.deepEqual(
      [replicas("eu-1"), replicas("eu-2")],
      [1, 2],
      "values follow each cluster's labels (env=prod gets a standby operator)",
    );
    const render = renders.find((r) => providerName(r.provider) === "eu-2-k8s")!;
    assert.equal(JSON.parse(render.inputs.jsonOpts).values.operator.replicas, 2, "the render check uses the same values");
  });

  it("wraps kubeconfigs as secrets before they reach a provider", async () => {
    const { registered } = await runProgram({ "pledge:clusters": fleet });
    const providers = registered.filter((r) => r.type === "pulumi:providers:kubernetes");
    assert.equal(providers.length, 3);
    for (const p of providers) {
      // Under mocks, secrets arrive as the engine's secret envelope.
      const kubeconfig = p.inputs.kubeconfig;
      assert.equal(typeof kubeconfig === "string" ? "plain" : "secret", "secret", `${p.name} got a plaintext kubeconfig`);
      assert.equal(p.inputs.clusterIdentifier, p.name.replace(/-k8s$/, ""));
    }
  });

  it("registers nothing when the config is bad", async () => {
    const { registered, error } = await runProgram({
      "pledge:clusters": fleet,
      "pledge:promises": { redis: {} },
      "pledge:requests": [{ promise: "redis", name: "cache", team: "shop", spec: { size: "huge" } }],
    });
    assert.ok(error instanceof Error);
    assert.match(error.message, /pledge:requests\[0\]\.spec\.size: "huge" is not one of small, medium, large/);
    assert.deepEqual(
      registered.map((r) => r.type),
      [],
    );
  });

  it("keeps a request on its previous cluster and reports the placement", async () => {
    const config = {
      "pledge:clusters": fleet,
      "pledge:promises": { redis: {} },
      "pledge:requests": [{ promise: "redis", name: "cache", team: "shop" }],
    };
    const { outputs } = await runProgram(config, new Map([["redis/cache", ["eu-2"]]]));
    assert.deepEqual(outputs!.placements["redis/cache"], ["eu-2"]);
    const { outputs: fresh } = await runProgram(config);
    assert.deepEqual(fresh!.placements["redis/cache"], ["eu-1"], "a fresh placement picks deterministically");
  });
});

describe("secrets a promise renders", () => {
  it("are secret in the inputs and outputs of the Kubernetes object", async () => {
    const { KubeObject } = await import("../../src/pulumi/kube-object");
    const { installCloudMocks } = await import("./mocks");
    const { registered } = await installCloudMocks();
    const secret = new KubeObject(
      "s",
      { apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { password: "PLAINTEXT-CANARY" } },
      {},
    );
    await new Promise<void>((resolve) => secret.urn.apply(() => resolve()));
    const inputs = registered.find((r) => r.name === "s")!.inputs;
    assert.equal(typeof inputs.stringData, "object");
    assert.ok(
      !JSON.stringify(inputs).includes('"stringData":{"password"'),
      `stringData is not a secret envelope: ${JSON.stringify(inputs)}`,
    );
  });
});
