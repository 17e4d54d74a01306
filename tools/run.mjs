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
import { SetupError, say } from "./lib/log.mjs";
import { repoRoot } from "./lib/paths.mjs";

const suites = {
  unit: "test/unit/**/*.test.ts",
  component: "test/component/**/*.test.ts",
  e2e: "test/e2e/**/*.test.ts",
};

/** The local fleet's command line: dev tooling, run from its TypeScript (not part of the pledge CLI). */
const fleetCli = ["--import", "tsx", join("dev", "local", "cli.ts")];

/** The CLI built from src/ (tools/lib/cli-build.mjs); loaded after setup, which installs esbuild. */
async function pledgeCli() {
  const { cliArgs } = await import("./lib/cli-build.mjs");
  return cliArgs();
}

function commandFor(args, cli) {
  const [what, ...rest] = args;
  switch (what) {
    case "test": {
      const chosen = rest.length > 0 ? rest : Object.keys(suites);
      const unknown = chosen.filter((s) => !(s in suites) && !s.endsWith(".ts"));
      if (unknown.length > 0)
        throw new SetupError(
          `unknown test suite ${unknown.join(", ")}; choose from ${Object.keys(suites).join(", ")} or give test files`,
        );
      // One file at a time: end-to-end files share the local test fleet.
      return ["node", ["--import", "tsx", "--test", "--test-concurrency=1", ...chosen.map((s) => suites[s] ?? s)]];
    }
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

try {
  const args = process.argv.slice(2);
  const env = await setup({ quiet: args[0] !== "test" && args[0] !== "demo" });
  // pulumi, bench and fleet need no CLI build (a benchmark's harness builds it when it runs the CLI).
  const cli = ["test", "demo", "pledge"].includes(args[0]) ? await pledgeCli() : [];
  const [command, commandArgs] = commandFor(args, cli);
  const child = spawn(command, commandArgs, { cwd: repoRoot, env, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("close", (code, signal) => {
    if (signal) say(`${command} ended by ${signal}`);
    if (args[0] === "test") stopTestFleet(env);
    process.exit(code ?? 1);
  });
} catch (err) {
  process.stderr.write(`pledge: ${err instanceof SetupError ? err.message : err.stack}\n`);
  process.exit(1);
}
