// One idempotent setup: Node 22, npm dependencies, the Go-built toolchain, the
// provider plugin in the engine's plugin cache, and the offline engine
// settings every command runs with. A second run takes a second or two.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { ensureNode } from "./node.mjs";
import { cacheRoot, repoRoot, stateRoot } from "./paths.mjs";
import { say, SetupError } from "./log.mjs";
import {
  ensureGoOnPath,
  ensureToolset,
  ensureToolsetInBackground,
  kubernetesProviderVersion,
  stopBuilds,
  toolsetByName,
  toolsetDir,
} from "./toolchain.mjs";

const minimumPulumi = [3, 259, 0];

function ensureNpmDependencies(nodeDir) {
  const lock = join(repoRoot, "package-lock.json");
  if (!existsSync(lock)) throw new SetupError("package-lock.json is missing; run `npm install` once and commit it");
  const wanted = createHash("sha256").update(readFileSync(lock)).digest("hex");
  const stamp = join(repoRoot, "node_modules", ".pledge-lock-sha256");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) return;
  // node_modules linked from another checkout (a git worktree) is that checkout's: npm ci would empty it under
  // whatever runs there, and two checkouts whose locks differ would reinstall it in turn.
  const modules = join(repoRoot, "node_modules");
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink())
    throw new SetupError(
      `node_modules is a link to ${realpathSync(modules)}, installed for another package-lock.json: ` +
        "remove the link and run setup again for a node_modules of this checkout's own",
    );
  say("installing npm dependencies (npm ci)");
  // --ignore-scripts: @pulumi/* install scripts try to download plugins, which
  // cannot work offline; the engine gets its plugins from setup instead.
  const result = spawnSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: repoRoot,
    env: { ...process.env, PATH: `${nodeDir}${delimiter}${process.env.PATH}` },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (result.status !== 0) throw new SetupError(`npm ci failed with exit code ${result.status}`);
  writeFileSync(stamp, wanted);
}

/** A pulumi on PATH that is new enough and has its Node language host beside it. */
function pulumiOnPath() {
  if (process.env.PLEDGE_BUILD_PULUMI === "1") return undefined;
  const which = spawnSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" });
  const path = which.stdout.trim();
  if (which.status !== 0 || !path) return undefined;
  const version = spawnSync(path, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.stdout.trim());
  if (!match) return undefined;
  const parts = match.slice(1, 4).map(Number);
  const recent =
    parts[0] > minimumPulumi[0] ||
    (parts[0] === minimumPulumi[0] &&
      (parts[1] > minimumPulumi[1] || (parts[1] === minimumPulumi[1] && parts[2] >= minimumPulumi[2])));
  if (!recent || !existsSync(join(dirname(path), "pulumi-language-nodejs"))) return undefined;
  return dirname(path);
}

/**
 * A pulumi-resource-kubernetes of the pinned version that Pulumi itself
 * installed (`pulumi plugin install resource kubernetes <version>` or a normal
 * `pulumi up` with internet access) is the same upstream release: use it
 * instead of building. Looked up in the user's own plugin cache, since every
 * Pledge command runs with its own PULUMI_HOME.
 */
function installedProviderPlugin() {
  const userHome = process.env.PULUMI_HOME ?? join(homedir(), ".pulumi");
  // Setup run from inside a Pledge command (PULUMI_HOME already Pledge's own) would find its own launcher,
  // and a launcher that execs itself never starts the provider.
  if (resolve(userHome) === join(stateRoot, "pulumi-home")) return undefined;
  const bin = join(userHome, "plugins", `resource-kubernetes-v${kubernetesProviderVersion}`, "pulumi-resource-kubernetes");
  if (process.env.PLEDGE_BUILD_PROVIDER === "1" || !existsSync(bin) || statSync(bin).size === 0) return undefined;
  return dirname(bin);
}

/**
 * The launcher the engine starts as the provider plugin: it records the
 * process (pid, start time, and the engine that started it) in
 * $PLEDGE_PROVIDER_PIDS and then becomes the provider (exec keeps the pid).
 * The engine starts providers in process groups of their own, so a killed
 * update leaves them running; `pledge up` stops those whose engine is gone
 * (src/cli/engine/leftover-providers.ts), by these records, never by name.
 */
function providerLauncher(target) {
  return `#!/bin/sh
# Written by Pledge's setup (tools/lib/setup.mjs): records this provider by pid before it starts.
start_of() {
  read -r stat < "/proc/$1/stat" || return 1
  stat=\${stat##*) }
  set -- $stat
  shift 19
  echo "$1"
}
if [ -n "$PLEDGE_PROVIDER_PIDS" ] && mkdir -p "$PLEDGE_PROVIDER_PIDS" 2>/dev/null; then
  echo "$$ $(start_of $$) $PPID $(start_of $PPID)" > "$PLEDGE_PROVIDER_PIDS/$$.tmp" &&
    mv -f "$PLEDGE_PROVIDER_PIDS/$$.tmp" "$PLEDGE_PROVIDER_PIDS/$$"
fi
exec '${target.replaceAll("'", "'\\''")}' "$@"
`;
}

/** Puts the provider's launcher (providerLauncher) in the engine's plugin cache (exact-version directory). */
function installProviderPlugin(providerBin, pulumiHome) {
  const dir = join(pulumiHome, "plugins", `resource-kubernetes-v${kubernetesProviderVersion}`);
  const launcher = join(dir, "pulumi-resource-kubernetes");
  const script = providerLauncher(join(providerBin, "pulumi-resource-kubernetes"));
  mkdirSync(dir, { recursive: true });
  rmSync(`${dir}.partial`, { force: true });
  if (existsSync(launcher) && !lstatSync(launcher).isSymbolicLink() && readFileSync(launcher, "utf8") === script) return;
  // Written beside and renamed over: an engine starting right now sees the old launcher or the new one, never half of one.
  writeFileSync(`${launcher}.new`, script, { mode: 0o755 });
  renameSync(`${launcher}.new`, launcher);
}

/**
 * The dynamic provider host (pulumi-resource-pulumi-nodejs) that a Git state
 * store's resource runs in (src/pulumi/state-store-commit.ts): Pulumi's
 * releases ship it next to the pulumi binary, so the engine takes it as a
 * bundled plugin (found anywhere else on PATH, it warns on every run). The
 * script is @pulumi/pulumi's own; it finds the SDK from the program's directory.
 */
function installDynamicProviderHost(pulumiBin) {
  const target = join(pulumiBin, "pulumi-resource-pulumi-nodejs");
  const script = readFileSync(join(repoRoot, "node_modules", "@pulumi", "pulumi", "pulumi-resource-pulumi-nodejs"), "utf8");
  if (existsSync(target) && readFileSync(target, "utf8") === script) return;
  writeFileSync(`${target}.new`, script, { mode: 0o755 });
  renameSync(`${target}.new`, target);
}

/** The passphrase protecting secrets in the local file backend: yours if set, else a generated one kept in .pledge/. */
function passphraseEnv() {
  if (process.env.PULUMI_CONFIG_PASSPHRASE !== undefined || process.env.PULUMI_CONFIG_PASSPHRASE_FILE) return {};
  const file = join(stateRoot, "passphrase");
  if (!existsSync(file)) {
    mkdirSync(stateRoot, { recursive: true });
    try {
      // wx: two first runs at once must not end up with different passphrases.
      writeFileSync(file, randomBytes(24).toString("base64url"), { mode: 0o600, flag: "wx" });
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
    }
  }
  return { PULUMI_CONFIG_PASSPHRASE_FILE: file };
}

/**
 * A stack file whose encryptionsalt came from a passphrase that is gone (the
 * state dir was deleted) makes Pulumi fail with "incorrect passphrase"; say
 * what to do instead.
 */
function warnAboutOrphanedSalts(backend) {
  for (const name of readdirSync(repoRoot).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))) {
    const stack = name.slice("Pulumi.".length, -".yaml".length);
    const hasSalt = /^encryptionsalt:/m.test(readFileSync(join(repoRoot, name), "utf8"));
    if (hasSalt && !existsSync(join(backend, ".pulumi", "stacks", "pledge", `${stack}.json`))) {
      say(
        `note: ${name} has an encryptionsalt but stack ${stack} is not in ${backend}; if Pulumi reports "incorrect passphrase", delete the encryptionsalt line (it belonged to an earlier .pledge/passphrase)`,
      );
    }
  }
}

/**
 * Everything ready; returns the environment every Pledge command runs with:
 * offline engine settings (file backend, no plugin downloads, no update
 * checks) and PATH with Node 22, the engine and the control plane first.
 * `gitops`: "wait" builds Git delivery's toolset first, "background" starts it
 * and returns (a test run), "skip" leaves it (tests that do not need it).
 */
export async function setup({ quiet = false, gitops = "wait" } = {}) {
  ensureGoOnPath();
  const nodeDir = ensureNode();
  ensureNpmDependencies(nodeDir);
  const existingPulumi = pulumiOnPath();
  const existingProvider = installedProviderPlugin();
  // Cold builds run side by side: the long single-threaded links and waits of one
  // overlap the others' compiling (26 minutes for all three on 2 cores, where
  // one after the other took over 35; ~10 GiB of memory together).
  const gitopsTools = toolsetByName("gitops");
  const [controlPlane, pulumiBin, providerBin] = await Promise.all([
    // Git delivery's tools share the control plane's compiled packages: built after it, never beside it.
    ensureToolset(toolsetByName("control-plane")).then(async (dir) => {
      if (gitops === "wait") await ensureToolset(gitopsTools);
      return dir;
    }),
    existingPulumi ?? ensureToolset(toolsetByName("pulumi")).then((dir) => join(dir, "bin")),
    existingProvider ?? ensureToolset(toolsetByName("kubernetes-provider")).then((dir) => join(dir, "bin")),
  ]).catch((err) => {
    stopBuilds();
    throw err;
  });
  // The test run: built while the suites that do not need it run (test/gitops/ waits for it, and runs last).
  if (gitops === "background") ensureToolsetInBackground(gitopsTools);
  const gitopsDir = toolsetDir(gitopsTools);

  const pulumiHome = join(stateRoot, "pulumi-home");
  const backend = join(stateRoot, "backend");
  mkdirSync(backend, { recursive: true });
  installProviderPlugin(providerBin, pulumiHome);
  if (!existingPulumi) installDynamicProviderHost(pulumiBin);
  warnAboutOrphanedSalts(backend);

  const env = {
    ...process.env,
    PATH: [nodeDir, pulumiBin, join(controlPlane, "bin"), join(gitopsDir, "bin"), process.env.PATH].join(delimiter),
    PULUMI_HOME: pulumiHome,
    PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL ?? `file://${backend}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    PLEDGE_CONTROL_PLANE_BIN: join(controlPlane, "bin"),
    PLEDGE_KWOK_STAGES: join(controlPlane, "kwok-stages"),
    // Git delivery's toolset (Flux's controllers and CRDs for the local fleet, sops): complete once the
    // directory exists, failed when <dir>.failed does (a background build, dev/local/binaries.ts waits).
    PLEDGE_GITOPS_TOOLS: gitopsDir,
    // Set while this run builds it in the background: only then is waiting for it worth it.
    ...(gitops === "background" ? { PLEDGE_GITOPS_BUILDING: "1" } : {}),
    PLEDGE_FLUX_BIN: join(gitopsDir, "bin"),
    PLEDGE_FLUX_CRDS: join(gitopsDir, "flux-crds"),
    PLEDGE_STATE_DIR: stateRoot,
    // Where the provider launcher records each provider it starts (installProviderPlugin).
    PLEDGE_PROVIDER_PIDS: join(stateRoot, "providers"),
    // Node keeps compiled code between runs (Node 22.1+): the CLI, the tests and the engine's program
    // host load the Pulumi SDKs and the Kubernetes client on every start.
    NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? join(cacheRoot, "node-compile-cache"),
    ...passphraseEnv(),
  };
  if (!quiet) {
    const version = spawnSync("pulumi", ["version"], { env, encoding: "utf8" });
    if (version.status !== 0) throw new SetupError(`pulumi version failed: ${version.stderr}`);
    say(
      `ready: node ${spawnSync("node", ["--version"], { env, encoding: "utf8" }).stdout.trim()}, pulumi ${version.stdout.trim()}${existingPulumi ? ` (from PATH: ${existingPulumi})` : ""}, kubernetes provider ${kubernetesProviderVersion}${existingProvider ? ` (installed: ${existingProvider})` : ""}, control plane in ${controlPlane}`,
    );
  }
  return env;
}
