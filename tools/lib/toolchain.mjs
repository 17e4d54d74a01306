// The toolchain: which Go binaries the project needs, how each is built from
// the Go wrapper modules in tools/, and where the build is cached.
//
// A toolset's cache directory is keyed by a hash of everything that decides
// its output (the wrapper module's files, the build recipe, the Go version), so
// a changed pin builds into a new directory and an unchanged one is reused in
// milliseconds. Builds go to a temporary directory that is renamed into place
// only when every binary is there: a half-finished build never looks complete.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { cacheRoot, repoRoot } from "./paths.mjs";
import { say, SetupError, withHeartbeat } from "./log.mjs";

const pulumiVersion = "3.259.0";
const kubernetesVersion = "1.36.3";
const fluxVersion = "1.9.6";
const sopsVersion = "3.13.2";
/** The @pulumi/kubernetes SDK version the provider plugin must answer to. */
export const kubernetesProviderVersion = readPinnedVersion("@pulumi/kubernetes");

/**
 * The upstream provider module has no Go tags of its own (only the repository's
 * v4.x.y tags), so tools/pulumi-kubernetes/go.mod requires the pseudo-version of
 * each release's commit. The SDK and the plugin must be the same release.
 */
const providerModule = "github.com/pulumi/pulumi-kubernetes/provider/v4";
const providerReleases = { "4.25.0": "v4.0.0-20260115033456-f47bc2d6f199" };

function stampKubernetes() {
  const [major, minor] = kubernetesVersion.split(".");
  return ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"]
    .flatMap((pkg) => [
      `-X ${pkg}.gitVersion=v${kubernetesVersion}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
    ])
    .join(" ");
}

/**
 * Each toolset: Go modules under tools/, the binaries built from them, and
 * extra files copied out of the module cache (kwok's stage definitions).
 */
export const toolsets = [
  {
    name: "control-plane",
    about: `etcd, kube-apiserver, kube-controller-manager, kube-scheduler ${kubernetesVersion}, kwok`,
    firstBuildMinutes: 24,
    builds: [
      { module: "tools/k8s", out: "etcd", pkg: "go.etcd.io/etcd/server/v3" },
      { module: "tools/k8s", out: "kwok", pkg: "sigs.k8s.io/kwok/cmd/kwok" },
      ...["kube-apiserver", "kube-controller-manager", "kube-scheduler"].map((out) => ({
        module: "tools/k8s",
        out,
        pkg: `k8s.io/kubernetes/cmd/${out}`,
        ldflags: stampKubernetes(),
      })),
    ],
    share: [
      {
        module: "tools/k8s",
        goModule: "sigs.k8s.io/kwok",
        files: [
          "kustomize/stage/node/fast/node-initialize.yaml",
          "kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml",
          "kustomize/stage/pod/fast/pod-ready.yaml",
          "kustomize/stage/pod/fast/pod-complete.yaml",
          "kustomize/stage/pod/fast/pod-delete.yaml",
        ],
        into: "kwok-stages",
      },
    ],
  },
  {
    // Git delivery: Flux's two controllers (run out of cluster by the local fleet) and sops. They share the
    // control plane's module graph, and so its compiled k8s.io packages (k8s.io/* at v0.36.3, which Flux
    // v1.9.6 accepts); setup builds them after the control plane, never beside it (the same packages would
    // compile twice). The test run builds them in the background while the suites that do not need them run.
    name: "gitops",
    about: `Flux source-controller and kustomize-controller v${fluxVersion}, sops v${sopsVersion}`,
    firstBuildMinutes: 12,
    builds: [
      // Both controllers' main packages are their module roots.
      { module: "tools/k8s", out: "source-controller", pkg: "github.com/fluxcd/source-controller" },
      { module: "tools/k8s", out: "kustomize-controller", pkg: "github.com/fluxcd/kustomize-controller" },
      // Encrypts Secrets for Git-delivered clusters; its version is in its source.
      { module: "tools/k8s", out: "sops", pkg: "github.com/getsops/sops/v3/cmd/sops" },
    ],
    share: [
      // Every CRD of both controllers: source-controller does not start until all its kinds exist.
      {
        module: "tools/k8s",
        goModule: "github.com/fluxcd/source-controller",
        files: ["buckets", "externalartifacts", "gitrepositories", "helmcharts", "helmrepositories", "ocirepositories"].map(
          (plural) => `config/crd/bases/source.toolkit.fluxcd.io_${plural}.yaml`,
        ),
        into: "flux-crds",
      },
      {
        module: "tools/k8s",
        goModule: "github.com/fluxcd/kustomize-controller",
        files: ["config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml"],
        into: "flux-crds",
      },
    ],
  },
  {
    name: "pulumi",
    about: `Pulumi CLI ${pulumiVersion} and its Node.js language host`,
    firstBuildMinutes: 19,
    builds: [
      {
        module: "tools/pulumi",
        out: "pulumi",
        pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
        tags: "osusergo,grpcnotrace",
        ldflags: `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${pulumiVersion}`,
      },
      {
        // The engine looks for bundled language hosts next to the pulumi binary.
        module: "tools/pulumi-language-nodejs",
        out: "pulumi-language-nodejs",
        pkg: "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
        ldflags: "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v3.68.0",
      },
    ],
    share: [],
  },
  {
    // The upstream provider, exactly what `pulumi plugin install resource kubernetes` gives users.
    name: "kubernetes-provider",
    about: `upstream Pulumi Kubernetes provider ${kubernetesProviderVersion} (pulumi-resource-kubernetes)`,
    firstBuildMinutes: 26,
    builds: [
      {
        module: "tools/pulumi-kubernetes",
        out: "pulumi-resource-kubernetes",
        pkg: ".",
        ldflags: `-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=${kubernetesProviderVersion}`,
        generate: "kubernetes-provider-embeds",
      },
    ],
    share: [],
  },
];

function readPinnedVersion(name) {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
  // The repository pins exact versions in devDependencies; the library itself asks for ranges (peerDependencies).
  const version = pkg.devDependencies?.[name] ?? pkg.dependencies?.[name];
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new SetupError(`package.json: dependency ${name} must be pinned to an exact version, found ${version}`);
  }
  return version;
}

/** Go from PATH, else the standard install location (which a fresh shell may not have on PATH). */
export function ensureGoOnPath() {
  const found = spawnSync("sh", ["-c", "command -v go"], { encoding: "utf8" });
  if (found.status === 0 && found.stdout.trim()) return;
  for (const dir of [process.env.GOROOT && join(process.env.GOROOT, "bin"), "/usr/local/go/bin"].filter(Boolean)) {
    if (existsSync(join(dir, "go"))) {
      process.env.PATH = `${process.env.PATH}:${dir}`;
      return;
    }
  }
}

/** Asked once per run: every toolset's cache key includes it. */
let knownGoVersion;

function goVersion() {
  if (knownGoVersion) return knownGoVersion;
  ensureGoOnPath();
  const result = spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new SetupError(
      "Go is required to build the toolchain but `go env GOVERSION` failed" +
        (result.error ? `: ${result.error.message}` : `: ${result.stderr}`) +
        ". Install Go 1.26 or newer (https://go.dev/dl) and put it on PATH.",
    );
  }
  knownGoVersion = result.stdout.trim();
  return knownGoVersion;
}

/** What decides a module's build output: go.mod, go.sum and non-test Go files (not docs, tests or stray binaries). */
function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "bin") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (
      entry.name === "go.mod" ||
      entry.name === "go.sum" ||
      (entry.name.endsWith(".go") && !entry.name.endsWith("_test.go"))
    )
      out.push(path);
  }
  return out.sort();
}

/** Cache key: the recipe plus every file of every module the toolset builds from. */
export function toolsetKey(toolset, go = goVersion()) {
  const hash = createHash("sha256");
  hash.update(JSON.stringify({ recipe: 1, go, builds: toolset.builds, share: toolset.share }));
  for (const module of new Set(toolset.builds.map((b) => b.module))) {
    if (!existsSync(join(repoRoot, module, "go.mod")))
      throw new SetupError(`${module}/go.mod is missing: the ${toolset.name} toolset cannot be built`);
    for (const file of filesUnder(join(repoRoot, module))) {
      hash.update(relative(repoRoot, file));
      hash.update(readFileSync(file));
    }
  }
  return hash.digest("hex").slice(0, 16);
}

export function toolsetDir(toolset, key = toolsetKey(toolset)) {
  return join(cacheRoot, "tools", `${toolset.name}-${key}`);
}

/** What is missing from a built toolset directory (empty when complete). */
export function missingFiles(toolset, dir) {
  const wanted = [
    ...toolset.builds.map((b) => join(dir, "bin", b.out)),
    ...toolset.share.flatMap((s) => s.files.map((f) => join(dir, s.into, f.split("/").pop()))),
  ];
  return wanted.filter((path) => !existsSync(path) || statSync(path).size === 0);
}

/** Build processes still running, by pid: when one toolset fails, the others are stopped instead of orphaned. */
const runningBuilds = new Map();

/** Stops every build this process started and is still waiting for (our own children, by pid). */
export function stopBuilds() {
  for (const [pid, child] of runningBuilds) {
    say(`stopping build process ${pid}`);
    child.kill("SIGTERM");
  }
  runningBuilds.clear();
}

function run(command, args, { cwd, env, logFile, nice = false }) {
  return new Promise((resolvePromise, reject) => {
    // A background build yields the CPU to the tests running beside it.
    const child = nice
      ? spawn("nice", ["-n", "15", command, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
      : spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    runningBuilds.set(child.pid, child);
    const chunks = [];
    child.stdout.on("data", (d) => chunks.push(d));
    child.stderr.on("data", (d) => chunks.push(d));
    child.on("error", (err) => reject(new SetupError(`${command}: ${err.message}`)));
    child.on("close", (code) => {
      runningBuilds.delete(child.pid);
      const output = Buffer.concat(chunks).toString("utf8");
      if (logFile) writeFileSync(logFile, output);
      if (code === 0) resolvePromise(output);
      else {
        const tail = output.trim().split("\n").slice(-25).join("\n");
        reject(
          new SetupError(`${command} ${args.join(" ")} (in ${relative(repoRoot, cwd)}) failed with exit code ${code}:\n${tail}`),
        );
      }
    });
  });
}

function goEnv() {
  // GOTOOLCHAIN=local: never try to download another Go; GOFLAGS: the wrappers
  // live inside this git tree, and go.sum files are committed complete.
  return { ...process.env, CGO_ENABLED: "0", GOTOOLCHAIN: "local", GOFLAGS: "-buildvcs=false -mod=readonly" };
}

/** Fails when the SDK pin and the provider module pin name different releases. */
function checkProviderPin() {
  const wanted = providerReleases[kubernetesProviderVersion];
  const goMod = readFileSync(join(repoRoot, "tools", "pulumi-kubernetes", "go.mod"), "utf8");
  const pinned = new RegExp(`^require ${providerModule.replaceAll(".", "\\.")} (\\S+)$`, "m").exec(goMod)?.[1];
  if (!wanted || pinned !== wanted) {
    throw new SetupError(
      `package.json pins @pulumi/kubernetes ${kubernetesProviderVersion} but tools/pulumi-kubernetes/go.mod requires ${providerModule} ${pinned ?? "(nothing)"}` +
        (wanted
          ? `; it must be ${wanted}`
          : `; add the pseudo-version of that release's commit to providerReleases in tools/lib/toolchain.mjs`) +
        ": the SDK and the provider plugin must be the same release",
    );
  }
}

/** Writes a file atomically: a concurrent build never embeds half a file. */
function writeAtomically(path, contents) {
  const partial = `${path}.partial-${process.pid}`;
  writeFileSync(partial, contents);
  renameSync(partial, path);
}

/**
 * Upstream's main package embeds schema-embed.json and terraform-mapping-embed.json,
 * which upstream generates and does not commit, so the module zip lacks them.
 * Same step as upstream's generate.go: the module's own schema.json with the
 * version stamped in, and the terraform mapping, both re-serialised compactly.
 */
async function generateProviderEmbeds(moduleDir, env) {
  checkProviderPin();
  // `go mod download` (not `go list -m`): on a cold module cache the module is not there yet.
  const upstream = JSON.parse(await run("go", ["mod", "download", "-json", providerModule], { cwd: moduleDir, env })).Dir;
  const cmdDir = join(upstream, "cmd", "pulumi-resource-kubernetes");
  const schema = JSON.parse(readFileSync(join(cmdDir, "schema.json"), "utf8"));
  schema.version = kubernetesProviderVersion;
  writeAtomically(join(moduleDir, "schema-embed.json"), JSON.stringify(schema));
  const mapping = JSON.parse(readFileSync(join(cmdDir, "terraform-mapping.json"), "utf8"));
  writeAtomically(join(moduleDir, "terraform-mapping-embed.json"), JSON.stringify(mapping));
}

const generators = { "kubernetes-provider-embeds": generateProviderEmbeds };

async function buildToolset(toolset, finalDir, nice) {
  const partial = `${finalDir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, "bin"), { recursive: true });
  const env = goEnv();
  for (const build of toolset.builds) {
    const args = ["build", "-trimpath", "-ldflags", `-s -w ${build.ldflags ?? ""}`.trim(), "-o", join(partial, "bin", build.out)];
    if (build.tags) args.push("-tags", build.tags);
    args.push(build.pkg);
    if (build.generate) await generators[build.generate](join(repoRoot, build.module), env);
    say(`  go build ${build.out}`);
    await withHeartbeat(`building ${build.out}`, () =>
      run("go", args, { cwd: join(repoRoot, build.module), env, logFile: join(partial, `build-${build.out}.log`), nice }),
    );
  }
  for (const share of toolset.share) {
    const moduleDir = (
      await run("go", ["list", "-m", "-f", "{{.Dir}}", share.goModule], { cwd: join(repoRoot, share.module), env })
    ).trim();
    mkdirSync(join(partial, share.into), { recursive: true });
    for (const file of share.files) {
      cpSync(join(moduleDir, file), join(partial, share.into, file.split("/").pop()));
    }
  }
  const missing = missingFiles(toolset, partial);
  if (missing.length > 0) throw new SetupError(`build of ${toolset.name} left out: ${missing.join(", ")}`);
  if (existsSync(finalDir) && missingFiles(toolset, finalDir).length === 0) {
    // A parallel run finished first, and its binaries may be running: keep them.
    rmSync(partial, { recursive: true, force: true });
    return;
  }
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(partial, finalDir);
}

/**
 * Makes sure a toolset is built; returns its directory. Rebuilds whatever is
 * missing, so deleting one binary from the cache makes the next run build it
 * again instead of skipping a test.
 */
export async function ensureToolset(toolset, { nice = false } = {}) {
  const dir = toolsetDir(toolset);
  const missing = missingFiles(toolset, dir);
  if (missing.length === 0) return dir;
  rmSync(failureFile(dir), { force: true });
  const what = existsSync(dir)
    ? `rebuilding ${toolset.name} (missing ${missing.map((m) => relative(dir, m)).join(", ")})`
    : `building ${toolset.name}: ${toolset.about}; the first build takes ~${toolset.firstBuildMinutes} min on 2 cores (all toolsets build side by side), later runs reuse ${dir}`;
  say(what);
  const begin = Date.now();
  await buildToolset(toolset, dir, nice);
  say(`built ${toolset.name} in ${Math.round((Date.now() - begin) / 1000)}s`);
  return dir;
}

/** Where a background build (ensureToolsetInBackground) says why it failed: its waiters fail with this. */
export function failureFile(dir) {
  return `${dir}.failed`;
}

/**
 * Starts building a toolset without waiting for it, at low priority: the test
 * run goes on with the suites that do not need it, and those that do wait for
 * its directory (complete, since it appears by rename) or fail with what
 * failureFile holds. Never two builds of one toolset from one process.
 */
export function ensureToolsetInBackground(toolset) {
  const dir = toolsetDir(toolset);
  return ensureToolset(toolset, { nice: true }).catch((err) => {
    const message = err instanceof SetupError ? err.message : String(err?.stack ?? err);
    writeFileSync(failureFile(dir), `building ${toolset.name} failed: ${message}\n`);
    say(`building ${toolset.name} failed: ${message}`);
  });
}

export function toolsetByName(name) {
  const toolset = toolsets.find((t) => t.name === name);
  if (!toolset) throw new SetupError(`unknown toolset ${name}`);
  return toolset;
}
