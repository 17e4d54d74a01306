// Helm charts and YAML files as promise building blocks, on the upstream
// provider against real API servers: a chart dependency follows the labels,
// its values update it in place, a request's custom resource waits for the
// chart's CRD, YAML comes from files and URLs, a request can be a Helm release,
// and a chart or source that is broken stops the update before anything is
// applied. Every check reads the API servers themselves.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { kubeRequest } from "../../dev/local/kube-api";
import {
  changesOf,
  connectionOf,
  ensureTestFleet,
  managedState,
  newPledgeStack,
  setPledgeConfig,
  type PledgeConfig,
  type TestStack,
  uniqueName,
} from "./harness";

const operatorPath = "/apis/apps/v1/namespaces/pledge-postgres/deployments/postgres-operator";
const crdPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/postgresclusters.pledge.dev";
const quiet = { onOutput: () => {} };

async function get(cluster: string, path: string): Promise<any | undefined> {
  const res = await kubeRequest(connectionOf(cluster), "GET", path);
  if (res.status !== 200 && res.status !== 404) throw new Error(`GET ${path} on ${cluster}: HTTP ${res.status}`);
  return res.status === 200 ? res.body : undefined;
}

async function where(clusters: readonly string[], path: string): Promise<string[]> {
  const found: string[] = [];
  for (const c of clusters) if (await get(c, path)) found.push(c);
  return found;
}

describe("charts and YAML files as building blocks", { timeout: 30 * 60_000 }, () => {
  let fleet: string[];
  let test: TestStack;
  let server: Server;
  let yamlUrl: string;
  const team = uniqueName("blocks");
  const cluster = (name: string, labels: Record<string, string>) => ({ name, source: "local", labels });
  const base = (): PledgeConfig => ({
    clusters: [
      cluster(fleet[0]!, { workload: "general" }),
      cluster(fleet[1]!, { workload: "edge" }),
      cluster(fleet[2]!, { workload: "data" }),
    ],
    promises: { postgres: {} },
    requests: [{ promise: "postgres", name: "orders", team, selector: { matchLabels: { workload: "data" } } }],
  });

  before(async () => {
    fleet = await ensureTestFleet(3);
    server = createServer((req, res) => {
      if (req.url !== "/remote.yaml") return res.writeHead(404).end();
      res
        .writeHead(200, { "Content-Type": "application/yaml" })
        .end("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bundle-remote, namespace: pledge-bundle}\ndata: {from: url}\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    yamlUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/remote.yaml`;
    test = await newPledgeStack({ PLEDGE_TEST_YAML_URL: yamlUrl });
  });

  after(async () => {
    if (test) {
      await test.stack.destroy(quiet).catch(() => {});
      await test.stack.workspace.removeStack(test.stack.name, { force: true }).catch(() => {});
    }
    server?.close();
  });

  it("installs a chart dependency on exactly the eligible clusters, awaited, and a request's custom resource after its CRD", async () => {
    await setPledgeConfig(test.stack, base());
    const result = await test.stack.up(quiet);
    assert.equal(result.summary.result, "succeeded");
    assert.deepEqual(await where(fleet, operatorPath), [fleet[0], fleet[2]], "operator only where workload In (data, general)");
    assert.deepEqual(await where(fleet, crdPath), [fleet[0], fleet[2]], "the chart's crds/ came along");
    for (const c of [fleet[0]!, fleet[2]!]) {
      const operator = await get(c, operatorPath);
      assert.equal(
        operator.status.conditions.find((x: { type: string }) => x.type === "Available")?.status,
        "True",
        `operator Available on ${c}`,
      );
      assert.equal(operator.spec.replicas, 1);
      assert.ok(
        await get(c, "/api/v1/namespaces/pledge-postgres/serviceaccounts/postgres-operator"),
        `the chart's ServiceAccount on ${c}`,
      );
    }
    assert.deepEqual(await where(fleet, `/apis/pledge.dev/v1alpha1/namespaces/${team}/postgresclusters/pg-orders`), [fleet[2]]);
    const state = await test.stack.exportStack();
    const charts = state.deployment.resources.filter((r: { type: string }) => r.type === "kubernetes:helm.sh/v4:Chart");
    assert.equal(charts.length, 2, "one helm.v4.Chart per eligible cluster");
  });

  it("a second up with no change changes nothing", async () => {
    const result = await test.stack.up(quiet);
    assert.deepEqual(changesOf(result.summary), {});
  });

  it("a value that follows a label updates the chart's objects in place", async () => {
    const before = await get(fleet[0]!, operatorPath);
    const prod = base();
    prod.clusters[0] = cluster(fleet[0]!, { workload: "general", env: "prod" });
    await setPledgeConfig(test.stack, prod);
    const result = await test.stack.up(quiet);
    const changes = changesOf(result.summary);
    assert.deepEqual(Object.keys(changes).sort(), ["update"], `only updates: ${JSON.stringify(changes)}`);
    const after = await get(fleet[0]!, operatorPath);
    assert.equal(after.spec.replicas, 2, "env=prod gets a standby operator");
    assert.equal(after.metadata.uid, before.metadata.uid, "the same Deployment, updated in place");
    assert.equal((await get(fleet[2]!, operatorPath)).spec.replicas, 1, "the other cluster keeps its value");
  });

  it("removes the chart from a cluster that stops matching, and only there", async () => {
    const moved = base();
    moved.clusters[0] = cluster(fleet[0]!, { workload: "edge" });
    await setPledgeConfig(test.stack, moved);
    await test.stack.up(quiet);
    assert.deepEqual(await where(fleet, operatorPath), [fleet[2]]);
    assert.deepEqual(await where(fleet, crdPath), [fleet[2]]);
    assert.deepEqual(
      await where(fleet, `/apis/pledge.dev/v1alpha1/namespaces/${team}/postgresclusters/pg-orders`),
      [fleet[2]],
      "the request is untouched",
    );
  });

  it("applies YAML from a file and from a URL to every eligible cluster", async () => {
    const config = base();
    config.promises = { postgres: {}, bundle: {} };
    await setPledgeConfig(test.stack, config);
    await test.stack.up(quiet);
    assert.deepEqual(await where(fleet, "/api/v1/namespaces/pledge-bundle/configmaps/bundle-settings"), fleet);
    assert.deepEqual(await where(fleet, "/api/v1/namespaces/pledge-bundle/configmaps/bundle-remote"), fleet);
    assert.equal((await get(fleet[1]!, "/api/v1/namespaces/pledge-bundle/configmaps/bundle-remote")).data.from, "url");
  });

  it("a request can be a real Helm release, upgraded when its spec changes", async () => {
    const config = base();
    config.promises = { postgres: {}, greeter: {} };
    config.requests = [
      ...config.requests!,
      { promise: "greeter", name: "hi", team, spec: { message: "hello" }, pin: [fleet[1]!] },
    ];
    await setPledgeConfig(test.stack, config);
    await test.stack.up(quiet);
    const releasePath = (revision: number) => `/api/v1/namespaces/${team}/secrets/sh.helm.release.v1.greeter-hi.v${revision}`;
    assert.deepEqual(await where(fleet, releasePath(1)), [fleet[1]], "Helm's own release record");
    assert.equal((await get(fleet[1]!, `/api/v1/namespaces/${team}/configmaps/greeter-hi`)).data.message, "hello");
    config.requests = [
      ...base().requests!,
      { promise: "greeter", name: "hi", team, spec: { message: "bonjour" }, pin: [fleet[1]!] },
    ];
    await setPledgeConfig(test.stack, config);
    await test.stack.up(quiet);
    assert.ok(await get(fleet[1]!, releasePath(2)), "an upgrade is a new release revision");
    assert.equal((await get(fleet[1]!, `/api/v1/namespaces/${team}/configmaps/greeter-hi`)).data.message, "bonjour");
  });

  it("a chart that fails to render stops the update with the promise, cluster and chart named, and nothing applied", async () => {
    const good = base();
    good.clusters[0] = cluster(fleet[0]!, { workload: "edge" });
    await setPledgeConfig(test.stack, good);
    await test.stack.up(quiet);
    const stateBefore = await managedState(test.stack);
    const operatorBefore = await get(fleet[2]!, operatorPath);
    // The relabelled cluster would get the postgres chart if the broken chart did not stop everything.
    const broken = base();
    broken.promises = { postgres: {}, "needs-host": {} };
    await setPledgeConfig(test.stack, broken);
    await assert.rejects(
      () => test.stack.up(quiet),
      (err: Error) => {
        for (const c of fleet) {
          assert.match(
            err.message,
            new RegExp(
              `promise needs-host dependencies on ${c}: chart \\S+/charts/broken \\(release needs-host in pledge-needs-host\\) failed to render: .*db\\.host is required`,
            ),
          );
        }
        assert.doesNotMatch(err.message, /\n\s+at /, "no stack trace");
        return true;
      },
    );
    assert.deepEqual(await managedState(test.stack), stateBefore, "state unchanged");
    assert.deepEqual(
      await where(fleet, "/api/v1/namespaces/pledge-needs-host"),
      [],
      "not even the chart's namespace was created",
    );
    assert.deepEqual(
      await where(fleet, operatorPath),
      [fleet[2]],
      "the postgres chart was not installed on the relabelled cluster",
    );
    assert.equal(
      (await get(fleet[2]!, operatorPath)).metadata.resourceVersion,
      operatorBefore.metadata.resourceVersion,
      "existing objects untouched",
    );
  });

  it("a chart directory that does not exist and a URL that cannot be fetched are named before anything is registered", async () => {
    const stateBefore = await managedState(test.stack);
    const config = base();
    config.promises = { postgres: {}, "missing-chart": {} };
    await setPledgeConfig(test.stack, config);
    await assert.rejects(
      () => test.stack.preview(quiet),
      new RegExp(
        `promise missing-chart dependencies on ${fleet[0]}: chart \\S+/does-not-exist \\(release missing in default\\): \\S+/does-not-exist does not exist`,
      ),
    );
    server.close();
    config.promises = { postgres: {}, bundle: {} };
    await setPledgeConfig(test.stack, config);
    await assert.rejects(
      () => test.stack.up(quiet),
      new RegExp(
        `promise bundle dependencies on ${fleet[1]}: YAML ${yamlUrl.replaceAll(".", "\\.")} cannot be fetched: ECONNREFUSED`,
      ),
    );
    assert.deepEqual(await managedState(test.stack), stateBefore, "state unchanged");
    await setPledgeConfig(test.stack, base());
  });
});
