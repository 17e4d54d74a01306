// Pledge as a library for someone who is not this repository:
// examples/own-platform is installed the way a platform team installs Pledge
// (its own package.json, `npm install` of the built package, nothing linked
// into this repository's node_modules), then deployed to the local fleet
// through the Automation API. Its promise uses the public API only.
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { kubeRequest } from "../../dev/local/kube-api";
import { connectionOf, ensureTestFleet, repoRoot, testFleetDir, uniqueName } from "./harness";

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: process.env, timeout: 10 * 60_000 });
  assert.equal(result.status, 0, `${command} ${args.join(" ")} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

describe("a platform of its own, built on Pledge as a library", { timeout: 30 * 60_000 }, () => {
  let fleet: string[];
  let project: string;
  let stack: Stack;
  const workspace = mkdtempSync(join(tmpdir(), "pledge-own-platform-"));
  const team = uniqueName("docs");

  before(async () => {
    fleet = await ensureTestFleet(2);
    // The package as `npm pack` would publish it: dist/ built from src/.
    run(
      process.execPath,
      [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", join(repoRoot, "tsconfig.build.json")],
      repoRoot,
    );
    project = join(workspace, "acme-platform");
    cpSync(join(repoRoot, "examples", "own-platform"), project, {
      recursive: true,
      filter: (src) => !src.includes("node_modules"),
    });
    const manifest = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
    assert.equal(manifest.dependencies.pledge, "file:../..", "the example depends on this repository");
    manifest.dependencies.pledge = `file:${repoRoot}`;
    writeFileSync(join(project, "package.json"), JSON.stringify(manifest, null, 2));
    // --install-links: a copy of the package, as from a registry, not a link back into this repository.
    // --ignore-scripts: @pulumi/* install scripts would download plugins; the engine has its own.
    run("npm", ["install", "--install-links", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"], project);
    mkdirSync(join(workspace, "backend"));
    stack = await LocalWorkspace.createStack(
      { stackName: "dev", workDir: project },
      { envVars: { PULUMI_BACKEND_URL: `file://${join(workspace, "backend")}`, PLEDGE_FLEET_DIR: testFleetDir() } },
    );
  });

  after(async () => {
    await stack?.destroy({ onOutput: () => {} }).catch(() => {});
    await stack?.workspace.removeStack("dev", { force: true }).catch(() => {});
    rmSync(workspace, { recursive: true, force: true });
  });

  it("gets Pledge as an installed package with one copy of the Pulumi SDK", () => {
    const installed = join(project, "node_modules", "pledge");
    assert.ok(!lstatSync(installed).isSymbolicLink(), "pledge is a copy, not a link into this repository");
    assert.ok(existsSync(join(installed, "dist", "src", "index.js")) && existsSync(join(installed, "dist", "src", "index.d.ts")));
    assert.ok(!existsSync(join(installed, "src")), "only the built library is installed");
    assert.ok(existsSync(join(project, "node_modules", "@pulumi", "pulumi")));
    assert.ok(
      !existsSync(join(installed, "node_modules", "@pulumi", "pulumi")),
      "a second copy of @pulumi/pulumi would split the program's resources",
    );
    assert.ok(
      !existsSync(join(project, "node_modules", "@pulumi", "aws")),
      "cloud SDKs are optional: a fleet without cloud clusters does not need them",
    );
  });

  it("deploys its own promise to the clusters its selector allows, through the Automation API", async () => {
    await stack.setAllConfig({
      "pledge:clusters": {
        value: JSON.stringify([
          { name: fleet[0], source: "local", labels: { web: "true" } },
          { name: fleet[1], source: "local", labels: { web: "false" } },
        ]),
      },
      "pledge:promises": { value: JSON.stringify({ "static-site": {} }) },
      "pledge:requests": {
        value: JSON.stringify([
          { promise: "static-site", name: "handbook", team, spec: { title: "ACME handbook", replicas: 2 } },
        ]),
      },
    });
    const result = await stack.up({ onOutput: () => {} });
    assert.equal(result.summary.result, "succeeded");
    const deployment = await kubeRequest(
      connectionOf(fleet[0]!),
      "GET",
      `/apis/apps/v1/namespaces/${team}/deployments/static-site-handbook`,
    );
    assert.equal(deployment.status, 200);
    assert.equal(deployment.body.status.availableReplicas, 2);
    const page = await kubeRequest(connectionOf(fleet[0]!), "GET", `/api/v1/namespaces/${team}/configmaps/static-site-handbook`);
    assert.match(page.body.data["index.html"], new RegExp(`<h1>ACME handbook</h1><p>served from ${fleet[0]}</p>`));
    const elsewhere = await kubeRequest(
      connectionOf(fleet[1]!),
      "GET",
      `/apis/apps/v1/namespaces/${team}/deployments/static-site-handbook`,
    );
    assert.equal(elsewhere.status, 404, "web=false: not eligible");
    const outputs = await stack.outputs();
    assert.deepEqual(outputs.placements!.value, { "static-site/handbook": [fleet[0]] });
  });

  it("the installed pledge CLI reads the platform's own catalogue", () => {
    const cli = join(project, "node_modules", ".bin", "pledge");
    assert.match(run(cli, ["promises"], project), /static-site\s+│\s+1\.0\.0\s+│\s+A static web site served by nginx/);
    const schema = JSON.parse(run(cli, ["schema", "static-site"], project));
    assert.deepEqual(Object.keys(schema.properties).sort(), ["replicas", "title"]);
    assert.equal(schema.additionalProperties, false);
  });
});
