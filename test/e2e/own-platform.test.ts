// Pledge as a library for someone who is not this repository.
//
// First the README's "Start your own platform on Pledge", exactly as written:
// its commands run in an empty directory under the system's temp dir, beside
// `pledge` (a link to this repository, the README's `../pledge`), its files
// written as they stand, for each way of getting Pledge it shows. Then
// examples/own-platform, installed from the tarball that run packed, deployed
// through the Automation API. Neither links anything into this repository's
// node_modules.
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { kubeRequest } from "../../dev/local/kube-api";
import { connectionOf, ensureTestFleet, kubeconfigOf, repoRoot, testFleetDir, uniqueName } from "./harness";
import { readmePlatformSteps, type InstallForm } from "./readme-platform";

const workspace = mkdtempSync(join(tmpdir(), "pledge-own-platform-"));
after(() => rmSync(workspace, { recursive: true, force: true }));

/** npm from its cache where it can: the registry is asked only for what the cache lacks. */
const npmEnv = { npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false" };

interface Ran {
  stdout: string;
  /** stdout and stderr: the CLI prints its tables on one and its progress and summary on the other. */
  all: string;
}

function run(command: string, cwd: string, env: NodeJS.ProcessEnv = {}): Ran {
  const started = Date.now();
  const result = spawnSync("sh", ["-ec", command], {
    cwd,
    encoding: "utf8",
    // A variable given as undefined is left out of the child's environment.
    env: Object.fromEntries(Object.entries({ ...process.env, ...npmEnv, ...env }).filter(([, value]) => value !== undefined)),
    timeout: 10 * 60_000,
  });
  assert.equal(result.status, 0, `${command} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  process.stdout.write(`# ${command}: ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  return { stdout: result.stdout, all: `${result.stdout}\n${result.stderr}` };
}

/** Every copy of a package in the project's tree, by `npm ls` (which also follows a link into another tree). */
function copiesOf(project: string, name: string): string[] {
  const listed = run(`npm ls ${name} --all --parseable`, project).stdout.trim().split("\n");
  return [...new Set(listed.filter((line) => line !== "" && line !== project).map((path) => realpathSync(path)))];
}

/** What `require(name)` finds from a file: the copy Node loads there. */
const resolvedFrom = (file: string, name: string) => realpathSync(dirname(createRequire(file).resolve(`${name}/package.json`)));

/** A tree's files with one extension, as paths relative to it without the extension. */
function modulesIn(dir: string, extension: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(extension) && !f.endsWith(`.d${extension}`))
    .map((f) => f.slice(0, -extension.length))
    .sort();
}

/** The checks of an installed Pledge that every form must pass; `fromWorkTree`: built from this checkout's src/. */
function assertInstalledOnce(project: string, fromWorkTree = true): void {
  const installed = join(project, "node_modules", "pledge");
  assert.ok(!lstatSync(installed).isSymbolicLink(), "pledge is a copy, not a link into the repository it came from");
  assert.ok(existsSync(join(installed, "dist", "src", "index.js")), "dist/ was built");
  assert.ok(existsSync(join(installed, "dist", "src", "index.d.ts")), "with its type declarations");
  if (fromWorkTree)
    assert.deepEqual(
      modulesIn(join(installed, "dist", "src"), ".js"),
      modulesIn(join(repoRoot, "src"), ".ts"),
      "dist/ built from src/ as it is now: no module missing, none left over from an earlier build",
    );
  assert.ok(!existsSync(join(installed, "src")), "only the built library is installed");
  assert.ok(
    !existsSync(join(installed, "node_modules", "@pulumi", "pulumi")),
    "a second copy of @pulumi/pulumi would split the program's resources",
  );
  assert.deepEqual(copiesOf(project, "@pulumi/pulumi"), [realpathSync(join(project, "node_modules", "@pulumi", "pulumi"))]);
  assert.deepEqual(copiesOf(project, "@pulumi/kubernetes"), [
    realpathSync(join(project, "node_modules", "@pulumi", "kubernetes")),
  ]);
  // As Node resolves them: Pledge's code and the program load the same SDKs (two would split the program's resources).
  const library = realpathSync(join(installed, "dist", "src", "index.js"));
  const program = join(project, "index.ts");
  for (const sdk of ["@pulumi/pulumi", "@pulumi/kubernetes"])
    assert.equal(resolvedFrom(library, sdk), resolvedFrom(program, sdk), `${sdk}: Pledge and the program load one copy`);
  const kubernetes = JSON.parse(readFileSync(join(project, "node_modules", "@pulumi", "kubernetes", "package.json"), "utf8"));
  assert.equal(kubernetes.version, "4.25.0", "the SDK of the provider plugin Pledge supports (and this machine has)");
  assert.ok(
    !existsSync(join(project, "node_modules", "@pulumi", "aws")),
    "cloud SDKs are optional: a fleet without cloud clusters does not need them",
  );
}

interface ReadmeProject {
  dir: string;
  backend: string;
  /** What each command of the README's last sh block printed, by command. */
  outputs: Map<string, Ran>;
}

/**
 * Runs the README's commands for one form in a directory of its own and
 * writes its files; each cluster the stack reads from a kubeconfig file gets
 * the test fleet's `cluster`.
 */
function readmeProject(form: InstallForm, cluster: string, rewrite: (command: string) => string = (c) => c): ReadmeProject {
  const steps = readmePlatformSteps(repoRoot);
  const root = join(workspace, form);
  mkdirSync(root);
  // The README's `../pledge`: a clone of Pledge beside the new project, with its `npm install` done.
  symlinkSync(repoRoot, join(root, "pledge"));
  // One shell, as a reader's terminal: the start's `cd` holds for the install; `pwd` says where that left us.
  const dir = run([...steps.start, ...steps.install[form].map(rewrite), "pwd"].join("\n"), root)
    .stdout.trim()
    .split("\n")
    .at(-1)!;
  assert.ok(dir.startsWith(root) && dir !== root, `the README's commands work in a new directory of their own (ended in ${dir})`);
  for (const file of steps.files) writeFileSync(join(dir, file.name), file.text);
  const stackFile = parse(readFileSync(join(dir, "Pulumi.dev.yaml"), "utf8"));
  for (const c of stackFile.config["pledge:clusters"])
    if (c.kubeconfigPath) writeFileSync(join(dir, c.kubeconfigPath), kubeconfigOf(cluster));
  const backend = join(root, "backend");
  mkdirSync(backend);
  return { dir, backend, outputs: new Map() };
}

/**
 * The README's commands run in the project (`npx pledge up -s dev` among them),
 * each to the end, as on the reader's laptop: without a CI runner's `CI`
 * marker, under which `pledge up` rightly refuses to make the stack's
 * password seed itself (it would be lost with the runner).
 */
function runInProject(project: ReadmeProject): void {
  for (const command of readmePlatformSteps(repoRoot).run)
    project.outputs.set(command, run(command, project.dir, { PULUMI_BACKEND_URL: `file://${project.backend}`, CI: undefined }));
}

function outputOf(project: ReadmeProject, pattern: RegExp): Ran {
  const command = [...project.outputs.keys()].find((c) => pattern.test(c));
  assert.ok(command, `the README runs no command like ${pattern}`);
  return project.outputs.get(command)!;
}

/** The README's request, deployed by the README's `pledge up` to the cluster its kubeconfig names. */
async function assertDeployed(project: ReadmeProject, cluster: string): Promise<void> {
  const stackFile = parse(readFileSync(join(project.dir, "Pulumi.dev.yaml"), "utf8"));
  const [request] = stackFile.config["pledge:requests"];
  // `site-<name>`: the ConfigMap the README's index.ts renders.
  const page = await kubeRequest(
    connectionOf(cluster),
    "GET",
    `/api/v1/namespaces/${request.team}/configmaps/site-${request.name}`,
  );
  assert.equal(page.status, 200, `the README's request is on ${cluster}`);
  assert.equal(page.body.data["index.html"], `<h1>${request.spec.title}</h1>`);
}

async function destroy(project: ReadmeProject | undefined): Promise<void> {
  if (!project) return;
  const stack = await LocalWorkspace.selectStack(
    { stackName: "dev", workDir: project.dir },
    { envVars: { PULUMI_BACKEND_URL: `file://${project.backend}` } },
  ).catch(() => undefined);
  await stack?.destroy({ onOutput: () => {} }).catch(() => {});
}

/** The tarball the README's tarball form packed: examples/own-platform installs it too. */
let packed: string | undefined;

describe("the README's own platform, from a tarball (npm pack)", { timeout: 20 * 60_000 }, () => {
  let fleet: string[];
  let project: ReadmeProject;

  before(async () => {
    fleet = await ensureTestFleet(2);
    project = readmeProject("tarball", fleet[0]!);
    packed = readdirSync(project.dir)
      .filter((f) => f.endsWith(".tgz"))
      .map((f) => join(project.dir, f))[0];
  });
  after(() => destroy(project));

  it("installs Pledge with dist/ built, one copy of the Pulumi SDK and @pulumi/kubernetes 4.25.0", () => {
    assert.ok(packed, "npm pack wrote a tarball into the project");
    assertInstalledOnce(project.dir);
  });

  it("type-checks the program, lists its catalogue and deploys it with the installed pledge bin", async () => {
    runInProject(project);
    assert.match(outputOf(project, /^npx pledge promises\b/).stdout, /static-site\s+│\s+1\.0\.0\s+│\s+A static web site's page/);
    const schema = JSON.parse(outputOf(project, /^npx pledge schema static-site\b/).stdout);
    assert.deepEqual(Object.keys(schema.properties), ["title"]);
    assert.match(outputOf(project, /^npx pledge up\b/).all, /dc1: \d+ created/);
    await assertDeployed(project, fleet[0]!);
  });
});

describe("the README's own platform, from a path (a copy, built on install)", { timeout: 20 * 60_000 }, () => {
  let fleet: string[];
  let project: ReadmeProject;

  before(async () => {
    fleet = await ensureTestFleet(2);
    // The other cluster: the tarball form's namespace is on the first.
    project = readmeProject("path", fleet[1]!);
  });
  after(() => destroy(project));

  it("installs Pledge with dist/ built, one copy of the Pulumi SDK and @pulumi/kubernetes 4.25.0", () => {
    assertInstalledOnce(project.dir);
  });

  it("keeps the copy when npm installs again (the project's .npmrc says install-links)", () => {
    run("npm install", project.dir);
    assertInstalledOnce(project.dir);
  });

  it("type-checks the program, lists its catalogue and deploys it with the installed pledge bin", async () => {
    runInProject(project);
    assert.match(outputOf(project, /^npx pledge promises\b/).stdout, /static-site\s+│\s+1\.0\.0/);
    await assertDeployed(project, fleet[1]!);
  });
});

// npm clones the repository, installs all of Pledge's dev dependencies there (the cloud
// SDKs) and builds it: the slowest form (about two and a half minutes here), run every time.
describe("the README's own platform, from git", { timeout: 20 * 60_000 }, () => {
  let project: ReadmeProject;

  before(async () => {
    const [cluster] = await ensureTestFleet(2);
    // A clone of what is committed here (the working tree's changes are not in it), by its commit.
    const origin = join(workspace, "pledge.git");
    spawnSync("git", ["clone", "--quiet", "--bare", repoRoot, origin], { encoding: "utf8" });
    const commit = spawnSync("git", ["rev-parse", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).stdout.trim();
    project = readmeProject("git", cluster!, (command) => command.replace(/git\+\S+/, `git+file://${origin}#${commit}`));
  });

  it("installs Pledge with dist/ built, one copy of the Pulumi SDK and @pulumi/kubernetes 4.25.0", () => {
    assertInstalledOnce(project.dir, false);
  });
});

describe("examples/own-platform: a platform of its own, built on Pledge as a library", { timeout: 30 * 60_000 }, () => {
  let fleet: string[];
  let project: string;
  let stack: Stack;
  const team = uniqueName("docs");

  before(async () => {
    fleet = await ensureTestFleet(2);
    const root = join(workspace, "example");
    mkdirSync(root);
    // The package as `npm pack` publishes it: the README's tarball, or packed here when that part did not run.
    const tarball =
      packed ??
      join(
        root,
        run(`npm pack ${JSON.stringify(repoRoot)}`, root)
          .stdout.trim()
          .split("\n")
          .at(-1)!,
      );
    project = join(root, "acme-platform");
    cpSync(join(repoRoot, "examples", "own-platform"), project, {
      recursive: true,
      filter: (src) => !src.includes("node_modules"),
    });
    const manifest = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
    assert.equal(manifest.dependencies.pledge, "file:../..", "the example depends on this repository");
    manifest.dependencies.pledge = `file:${tarball}`;
    writeFileSync(join(project, "package.json"), JSON.stringify(manifest, null, 2));
    run("npm install", project);
    mkdirSync(join(root, "backend"));
    stack = await LocalWorkspace.createStack(
      { stackName: "dev", workDir: project },
      { envVars: { PULUMI_BACKEND_URL: `file://${join(root, "backend")}`, PLEDGE_FLEET_DIR: testFleetDir() } },
    );
  });

  after(async () => {
    await stack?.destroy({ onOutput: () => {} }).catch(() => {});
    await stack?.workspace.removeStack("dev", { force: true }).catch(() => {});
  });

  it("gets Pledge as an installed package with one copy of the Pulumi SDK", () => {
    assertInstalledOnce(project);
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
    assert.match(run(`${cli} promises`, project).stdout, /static-site\s+│\s+1\.0\.0\s+│\s+A static web site served by nginx/);
    const schema = JSON.parse(run(`${cli} schema static-site`, project).stdout);
    assert.deepEqual(Object.keys(schema.properties).sort(), ["replicas", "title"]);
    assert.equal(schema.additionalProperties, false);
  });
});
