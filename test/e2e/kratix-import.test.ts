// Imported Kratix Promises through the real engine on local API servers: a
// promise's spec.dependencies reach exactly the clusters its squashed
// destination selectors match (the first entry winning a duplicate key), a
// strict-match cluster takes only the promise that has selectors, a request is
// placed and rendered by the TypeScript render with the CRD's defaults, a spec
// the CRD refuses stops the update with its key path, dependencies follow
// label changes both ways, and `pledge schema` prints the CRD's request
// schema. Every check reads the API servers (or the CLI) themselves.
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { kratixStrictMatchTaint } from "../../src/kratix/scheduling";
import { kubeRequest } from "../../dev/local/kube-api";
import { cliArgs } from "../../tools/lib/cli-build.mjs";
import {
  changesOf,
  connectionOf,
  copyProject,
  ensureTestFleet,
  repoRoot,
  setPledgeConfig,
  testFleetDir,
  uniqueName,
  type PledgeConfig,
} from "./harness";

const quiet = { onOutput: () => {} };
const cacheDependencies = [
  "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/cacheinstances.cache.example.dev",
  "/api/v1/namespaces/kratix-cache",
  "/api/v1/namespaces/kratix-cache/configmaps/cache-operator",
];
const nodeAgentConfig = "/api/v1/namespaces/kratix-node-agent/configmaps/node-agent";

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

/** A temporary project whose program offers the imported promises (fixtures/kratix/platform). */
function kratixProject(): string {
  const dir = copyProject(join(__dirname, "fixtures", "kratix", "platform"));
  cpSync(join(repoRoot, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  const template = readFileSync(join(dir, "index.ts.template"), "utf8");
  writeFileSync(join(dir, "index.ts"), template.replaceAll("PLEDGE_REPO", repoRoot));
  return dir;
}

describe("an imported Kratix Promise on the local fleet", { timeout: 30 * 60_000 }, () => {
  let fleet: string[];
  let stack: Stack;
  let workDir: string;
  const backendDir = mkdtempSync(join(tmpdir(), "pledge-kratix-backend-"));
  const team = uniqueName("kratix");
  const instance = (name: string) => `/apis/cache.example.dev/v1/namespaces/${team}/cacheinstances/${name}`;
  const config = (second: "dev" | "prod", sessionsSpec: unknown = { region: "eu" }): PledgeConfig => ({
    clusters: [
      { name: fleet[0], source: "local", labels: { environment: "dev", "kratix-cache": "enabled", zone: "a" } },
      // environment=prod matches the Promise's second selector entry on its own, but the first entry wins the key.
      { name: fleet[1], source: "local", labels: { environment: second, "kratix-cache": "enabled", zone: "b" } },
      {
        name: fleet[2],
        source: "local",
        labels: { environment: "dev", "kratix-cache": "enabled", zone: "c" },
        taints: [kratixStrictMatchTaint],
      },
    ],
    promises: { cache: {}, "node-agent": {} },
    requests: [
      { promise: "cache", name: "sessions", team, spec: sessionsSpec },
      { promise: "cache", name: "orders", team, spec: { region: "us", size: "large" }, selector: { matchLabels: { zone: "c" } } },
    ],
  });

  before(async () => {
    fleet = await ensureTestFleet(3);
    workDir = kratixProject();
    stack = await LocalWorkspace.createStack(
      { stackName: "test", workDir },
      { envVars: { PULUMI_BACKEND_URL: `file://${backendDir}`, PLEDGE_FLEET_DIR: testFleetDir() } },
    );
  });

  after(async () => {
    await stack?.destroy(quiet).catch(() => {});
    await stack?.workspace.removeStack("test", { force: true }).catch(() => {});
    rmSync(backendDir, { recursive: true, force: true });
  });

  it("pledge schema prints the request schema derived from the Promise's CRD", () => {
    const result = spawnSync(process.execPath, [...cliArgs(), "schema", "cache", "--dir", workDir], {
      encoding: "utf8",
    });
    assert.equal(result.status, 0, result.stderr);
    const schema = JSON.parse(result.stdout);
    assert.deepEqual(schema.properties.size, { type: "string", default: "small", enum: ["small", "medium", "large"] });
    assert.deepEqual(schema.required, ["region"]);
    assert.equal(schema.additionalProperties, false, "unknown fields are refused, as the server refuses them");
  });

  it("deploys each promise's dependencies to the clusters it matches, and only there", async () => {
    await setPledgeConfig(stack, config("prod"));
    const result = await stack.up(quiet);
    assert.equal(result.summary.result, "succeeded");
    for (const path of cacheDependencies) {
      assert.deepEqual(
        await where(fleet, path),
        [fleet[0], fleet[2]],
        `${path}: environment=dev only, strict-match cluster included`,
      );
    }
    assert.deepEqual(
      await where(fleet, nodeAgentConfig),
      [fleet[0], fleet[1]],
      "no selectors: every cluster but the strict-match one",
    );
  });

  it("places each request and renders it with the CRD's defaults applied", async () => {
    assert.deepEqual(await where(fleet, instance("sessions")), [fleet[0]]);
    assert.deepEqual(await where(fleet, instance("orders")), [fleet[2]], "its selector picks the strict-match cluster");
    assert.deepEqual((await get(fleet[0]!, instance("sessions"))).spec, { size: "small", replicas: 1, region: "eu" });
    assert.deepEqual((await get(fleet[2]!, instance("orders"))).spec, { size: "large", replicas: 1, region: "us" });
  });

  it("a second up with no change changes nothing", async () => {
    const result = await stack.up(quiet);
    assert.deepEqual(changesOf(result.summary), {});
  });

  it("a spec the CRD refuses stops the update, with its key path", async () => {
    await setPledgeConfig(stack, config("prod", { region: "eu", size: "huge" }));
    await assert.rejects(stack.preview(quiet), (err: Error) => {
      assert.match(err.message, /pledge:requests\[0\]\.spec\.size: "huge" is not one of small, medium, large/);
      return true;
    });
  });

  it("adds the dependencies to a cluster that starts matching", async () => {
    await setPledgeConfig(stack, config("dev"));
    await stack.up(quiet);
    for (const path of cacheDependencies) assert.deepEqual(await where(fleet, path), fleet);
    assert.deepEqual(await where(fleet, instance("sessions")), [fleet[0]], "sticky: the request stays");
  });

  it("removes them from a cluster that stops matching, where Kratix would leave them misplaced", async () => {
    await setPledgeConfig(stack, config("prod"));
    await stack.up(quiet);
    for (const path of cacheDependencies) assert.deepEqual(await where(fleet, path), [fleet[0], fleet[2]]);
    assert.deepEqual(await where(fleet, nodeAgentConfig), [fleet[0], fleet[1]], "the other promise is untouched");
    assert.deepEqual(await where(fleet, instance("orders")), [fleet[2]]);
  });
});
