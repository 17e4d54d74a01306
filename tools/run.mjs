#!/usr/bin/env node
// The one entry point behind the npm scripts: runs setup (seconds when warm),
// then the requested command under Node 22 with the offline engine settings.
//   node tools/run.mjs test [unit|component|e2e ...]   the test suite
//   node tools/run.mjs demo                            local fleet + dev stack (dev/local/cli.ts)
//   node tools/run.mjs fleet up|down|status [args]     the local fleet (dev/local/cli.ts)
//   node tools/run.mjs pledge <args>                   the pledge CLI
//   node tools/run.mjs pulumi <args>                   pulumi with Pledge's settings
//   node tools/run.mjs bench bench/<file>.ts [args]    a benchmark with the same environment
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { setup } from "./lib/setup.mjs";
import { stopBuilds } from "./lib/toolchain.mjs";
import { SetupError, say } from "./lib/log.mjs";
import { repoRoot } from "./lib/paths.mjs";

const suites = {
  unit: "test/unit/**/*.test.ts",
  component: "test/component/**/*.test.ts",
  e2e: "test/e2e/**/*.test.ts",
  // Git delivery (Flux, sops): last, in a run of its own (node --test sorts all files it is given), so its
  // toolset builds in the background while the others run.
  gitops: "test/gitops/**/*.test.ts",
};

/** The local fleet's command line: dev tooling, run from its TypeScript (not part of the pledge CLI). */
const fleetCli = ["--import", "tsx", join("dev", "local", "cli.ts")];

/** The CLI built from src/ (tools/lib/cli-build.mjs); loaded after setup, which installs esbuild. */
async function pledgeCli() {
  const { cliArgs } = await import("./lib/cli-build.mjs");
  return cliArgs();
}

/** The test runs, in order: the gitops suite (or files under test/gitops/) after everything else. */
function testCommands(rest) {
  const chosen = rest.length > 0 ? rest : Object.keys(suites);
  const unknown = chosen.filter((s) => !(s in suites) && !s.endsWith(".ts"));
  if (unknown.length > 0)
    throw new SetupError(
      `unknown test suite ${unknown.join(", ")}; choose from ${Object.keys(suites).join(", ")} or give test files`,
    );
  const isGitops = (s) => s === "gitops" || s.startsWith("test/gitops/");
  // One file at a time: end-to-end files share the local test fleet.
  const run = (picked) => ["node", ["--import", "tsx", "--test", "--test-concurrency=1", ...picked.map((s) => suites[s] ?? s)]];
  return [chosen.filter((s) => !isGitops(s)), chosen.filter(isGitops)].filter((p) => p.length > 0).map(run);
}

function commandFor(args, cli) {
  const [what, ...rest] = args;
  switch (what) {
    case "demo":
      return ["node", [...fleetCli, "demo", ...rest]];
    case "fleet":
      return ["node", [...fleetCli, ...rest]];
    case "pledge":
      return ["node", [...cli, ...rest]];
    case "pulumi":
      return ["pulumi", rest];
    case "bench":
      return ["node", ["--import", "tsx", ...rest]];
    default:
      throw new SetupError(`usage: node tools/run.mjs test|demo|fleet|pledge|pulumi|bench ... (got ${what ?? "nothing"})`);
  }
}

/** The test run started the test fleet; stop it by pid and drop its data so the next run starts clean. */
function stopTestFleet(env) {
  const dir = join(env.PLEDGE_STATE_DIR, "test-fleet");
  if (!existsSync(join(dir, "fleet.json"))) return;
  say("stopping the test fleet");
  const result = spawnSync("node", [...fleetCli, "down", "--purge", "--dir", dir], {
    cwd: repoRoot,
    env,
    stdio: "inherit",
  });
  if (result.status !== 0) say(`could not stop the test fleet in ${dir}; run: npm run fleet:down -- --dir ${dir}`);
}

/** Runs one command to its end; resolves to its exit status. */
function runToEnd([command, commandArgs], env) {
  const child = spawn(command, commandArgs, { cwd: repoRoot, env, stdio: "inherit" });
  const forward = (signal) => child.kill(signal);
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, forward);
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      for (const s of ["SIGINT", "SIGTERM"]) process.off(s, forward);
      if (signal) say(`${command} ended by ${signal}`);
      resolve(code ?? 1);
    }),
  );
}

try {
  const args = process.argv.slice(2);
  const testing = args[0] === "test";
  const tests = testing ? testCommands(args.slice(1)) : [];
  // A test run goes on while Git delivery's toolset builds (only test/gitops/ needs it, and runs last);
  // everything else has it first.
  // The demo and a fleet without --gitops need none of it; the CLI may (sops, for a Git-delivered cluster's Secrets).
  const needless = args[0] === "demo" || (args[0] === "fleet" && !args.includes("--gitops"));
  const gitops = testing
    ? tests.some(([, a]) => a.some((f) => f.startsWith("test/gitops/")))
      ? "background"
      : "skip"
    : needless
      ? "skip"
      : "wait";
  const env = await setup({ quiet: !testing && args[0] !== "demo", gitops });
  // pulumi, bench and fleet need no CLI build (a benchmark's harness builds it when it runs the CLI).
  const cli = ["test", "demo", "pledge"].includes(args[0]) ? await pledgeCli() : [];
  const commands = testing ? tests : [commandFor(args, cli)];
  let status = 0;
  for (const command of commands) status = (await runToEnd(command, env)) || status;
  if (testing) stopTestFleet(env);
  stopBuilds();
  process.exit(status);
} catch (err) {
  process.stderr.write(`pledge: ${err instanceof SetupError ? err.message : err.stack}\n`);
  process.exit(1);
}
