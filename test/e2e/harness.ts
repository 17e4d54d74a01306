// Shared ground for end-to-end tests: a local fleet of real API servers that
// the test run starts (and tools/run.mjs stops by pid afterwards), projects
// copied to temporary directories, and the Automation API on a file backend.
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cliArgs } from "../../tools/lib/cli-build.mjs";
import { fleetUp, fleetKubeconfigFile, readFleet } from "../../dev/local/fleet";
import type { KubeConfig } from "@kubernetes/client-node";
import { adminKubeConfig } from "../../dev/local/cluster";

export const repoRoot = resolve(__dirname, "..", "..");

/** Temporary projects and backends of this test file, removed when its process exits. */
const temporaryDirs: string[] = [];
process.on("exit", () => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

export function testFleetDir(): string {
  const state = process.env.PLEDGE_STATE_DIR;
  if (!state)
    throw new Error(
      "PLEDGE_STATE_DIR is not set: run the tests with `npm test` (node tools/run.mjs test), which prepares the toolchain",
    );
  return join(state, "test-fleet");
}

/** Starts (or reuses) the test fleet with at least n clusters; returns their names. */
export async function ensureTestFleet(n: number): Promise<string[]> {
  const fleet = await fleetUp(testFleetDir(), { clusters: n });
  return fleet.clusters.slice(0, n).map((c) => c.name);
}

export function kubeconfigOf(cluster: string): string {
  return readFileSync(fleetKubeconfigFile(testFleetDir(), cluster), "utf8");
}

/** The admin's client config of a test cluster (@kubernetes/client-node), for kubeRequest. */
export function connectionOf(cluster: string): KubeConfig {
  const record = readFleet(testFleetDir()).clusters.find((c) => c.name === cluster);
  if (!record) throw new Error(`no test cluster ${cluster}`);
  return adminKubeConfig(record);
}

/** A unique, valid Kubernetes name for this run. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Copies a project to a temporary directory with the repo's node_modules and tsconfig. */
export function copyProject(source: string): string {
  const dir = temporaryDir("pledge-e2e-");
  cpSync(source, dir, { recursive: true });
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  // A Pulumi program is a Node package: without one the language host warns on every run.
  if (!existsSync(join(dir, "package.json")))
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "pledge-e2e-project", private: true }));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: join(repoRoot, "tsconfig.json"),
      // Said here, not only in the extended file: Pulumi reads noCheck from the project's own tsconfig (it does not
      // follow `extends`), and without it ts-node type-checks the program and the SDKs on every run.
      compilerOptions: { rootDir: "/", noCheck: true },
      include: [join(dir, "**/*.ts")],
    }),
  );
  return dir;
}

export interface TestStack {
  stack: Stack;
  backendDir: string;
  workDir: string;
}

/** A stack of the project in workDir on its own fresh file backend. */
export async function newStack(workDir: string, stackName = "test"): Promise<TestStack> {
  const backendDir = temporaryDir("pledge-backend-");
  const stack = await LocalWorkspace.createStack(
    { stackName, workDir },
    { envVars: { PULUMI_BACKEND_URL: `file://${backendDir}` } },
  );
  return { stack, backendDir, workDir };
}

/** Everything the file backend holds (state, history, backups), to search for leaked secrets. */
export function backendText(backendDir: string): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(readFileSync(path, "utf8"));
    }
  };
  walk(backendDir);
  return out.join("\n");
}

/** A temporary copy of the Pledge project (Pulumi.yaml + a program importing the repo's src and promises). */
export function pledgeProject(): string {
  const dir = copyProject(join(__dirname, "fixtures", "pledge"));
  cpSync(join(repoRoot, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  const template = join(dir, "index.ts.template");
  writeFileSync(join(dir, "index.ts"), readFileSync(template, "utf8").replaceAll("PLEDGE_REPO", repoRoot));
  return dir;
}

export interface PledgeConfig {
  clusters: unknown[];
  promises?: Record<string, unknown>;
  requests?: unknown[];
  /** pledge:deletions, e.g. {allow: ["cluster:local-1"]} to confirm a guarded deletion. */
  deletions?: Record<string, unknown>;
  /** pledge:teams; absent: the stack declares no teams. */
  teams?: unknown[];
  /** pledge:shards; absent: one stack holds the whole fleet. */
  shards?: unknown[];
}

/** A Pledge stack on the test fleet (local clusters resolve through PLEDGE_FLEET_DIR); `env` reaches the program. */
export async function newPledgeStack(env: Record<string, string> = {}): Promise<TestStack> {
  const workDir = pledgeProject();
  const backendDir = temporaryDir("pledge-backend-");
  const stack = await LocalWorkspace.createStack(
    { stackName: "test", workDir },
    { envVars: { ...env, PULUMI_BACKEND_URL: `file://${backendDir}`, PLEDGE_FLEET_DIR: testFleetDir() } },
  );
  // The seed of generated passwords, as `pledge up` sets it on first use: a secret, fixed for the stack's life.
  await stack.setConfig("pledge:secretSeed", { value: randomBytes(24).toString("base64url"), secret: true });
  return { stack, backendDir, workDir };
}

export async function setPledgeConfig(stack: Stack, config: PledgeConfig): Promise<void> {
  await stack.setAllConfig({
    "pledge:clusters": { value: JSON.stringify(config.clusters) },
    "pledge:promises": { value: JSON.stringify(config.promises ?? {}) },
    "pledge:requests": { value: JSON.stringify(config.requests ?? []) },
    "pledge:deletions": { value: JSON.stringify(config.deletions ?? {}) },
  });
  if (config.teams) await stack.setConfig("pledge:teams", { value: JSON.stringify(config.teams) });
  else await stack.removeConfig("pledge:teams").catch(() => {});
  if (config.shards) await stack.setConfig("pledge:shards", { value: JSON.stringify(config.shards) });
  else await stack.removeConfig("pledge:shards").catch(() => {});
}

/**
 * Resource changes of an update other than "same" and "read": every run reads
 * the stack's own previous placement (a StackReference), which changes nothing.
 */
export function changesOf(summary: { resourceChanges?: Record<string, number> }): Record<string, number> {
  return Object.fromEntries(
    Object.entries(summary.resourceChanges ?? {}).filter(([op, n]) => op !== "same" && op !== "read" && n > 0),
  );
}

/**
 * What a stack's state says is applied: its custom resources (objects and
 * providers), by URN. Left out: the StackReference through which every run
 * reads its own previous placement, and component outputs (a Cluster's
 * labels), which the engine records as soon as a program registers them.
 */
export async function managedState(stack: Stack): Promise<unknown[]> {
  const state = await stack.exportStack();
  return state.deployment.resources
    .filter((r: { type: string; custom?: boolean }) => r.custom && r.type !== "pulumi:pulumi:StackReference")
    .sort((a: { urn: string }, b: { urn: string }) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Node arguments that run the `pledge` CLI (built from this checkout's sources, as `npm run pledge` runs it) on a test stack's project. */
export function pledgeCliArgs(test: TestStack, args: readonly string[]): string[] {
  return [...cliArgs(), ...args, "--dir", test.workDir, "-s", test.stack.name];
}

/** The environment the CLI needs for a test stack: its backend, and the test fleet for local clusters. */
export function pledgeCliEnv(test: TestStack): NodeJS.ProcessEnv {
  return { ...process.env, PULUMI_BACKEND_URL: `file://${test.backendDir}`, PLEDGE_FLEET_DIR: testFleetDir() };
}

/** Runs `pledge <args>` on a test stack, as a person would, to the end. */
export function runPledge(test: TestStack, ...args: string[]): CliResult {
  const result = spawnSync(process.execPath, pledgeCliArgs(test, args), {
    env: pledgeCliEnv(test),
    encoding: "utf8",
    timeout: 10 * 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
