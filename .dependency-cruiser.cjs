// The architecture as rules (checked by test/unit/architecture.test.ts): data
// flows one way, through one layer per folder, and a module may import only
// from its own layer or the layers before it:
//   vocabulary -> config -> fleet -> core -> outputs -> crd-schema -> promise
//   -> kratix -> gitops -> rollout -> run -> delivery -> shell -> program -> CLI
// Everything before `run` is pure: it decides from data alone, without the
// engine, files, processes, the network or the environment. `run` does a
// run's reading (stack config, request files, kubeconfigs, YAML sources,
// Kratix Promise files) and decides it; the shell registers the decision with
// Pulumi. Nothing in src/ knows the catalogue, the examples, the tests or the
// dev tooling, and the catalogue and the examples know only the public API.
const layers = [
  // Shared vocabulary every layer speaks: problems, labels, selectors, taints, ordering.
  { name: "vocabulary", path: "^src/(issues\\.ts|labels/)" },
  // The stack config's keys, schema and parser (the reading is run/stack-config.ts).
  { name: "config", path: "^src/config/" },
  { name: "fleet", path: "^src/fleet/" },
  { name: "core", path: "^src/core/" },
  // The stack outputs contract: what one update records and the next one reads.
  { name: "outputs", path: "^src/outputs\\.ts" },
  // A CRD structural-schema validator, as the kube-apiserver validates: knows no Kratix and no promise.
  { name: "crd-schema", path: "^src/crd-schema/" },
  { name: "promise", path: "^src/promise/" },
  // The Kratix Promise importer, on top of promises and the validator.
  { name: "kratix", path: "^src/kratix/" },
  // Git delivery's decisions: a cluster's files in a state store, its bootstrap objects, file diffs.
  { name: "gitops", path: "^src/gitops/" },
  // Staged rollouts' decisions: waves, what a change holds back per cluster, the next step.
  { name: "rollout", path: "^src/rollout/" },
  { name: "run", path: "^src/run/" },
  // Roads to a cluster other than its API server: Git state stores and SOPS (src/delivery/).
  { name: "delivery", path: "^src/delivery/" },
  { name: "shell", path: "^src/pulumi/" },
  { name: "program", path: "^src/(program|platform|index|clouds)\\.ts" },
  { name: "cli", path: "^src/cli/" },
];

const pure = layers.slice(
  0,
  layers.findIndex((l) => l.name === "run"),
);
const purePaths = pure.map((l) => l.path).join("|");

const againstTheFlow = layers.flatMap((from, i) =>
  layers.slice(i + 1).map((to) => ({
    name: `${from.name}-imports-${to.name}`,
    comment: `${from.name} (${from.path}) comes before ${to.name} in the data flow and must not import it`,
    severity: "error",
    from: { path: from.path },
    to: { path: to.path },
  })),
);

module.exports = {
  forbidden: [
    ...againstTheFlow,
    {
      name: "no-cycles",
      comment: "an import cycle hides which way data flows",
      severity: "error",
      from: { path: "^(src|promises|index\\.ts)" },
      to: { circular: true },
    },
    {
      name: "pure-layers-import-no-pulumi",
      comment: `the pure layers (${pure.map((l) => l.name).join(", ")}) decide without the engine`,
      severity: "error",
      from: { path: purePaths },
      to: { path: "@pulumi/" },
    },
    {
      name: "pure-layers-do-no-io",
      comment: `the pure layers (${pure.map((l) => l.name).join(", ")}) read no file, start no process and reach no network: src/run/ reads for them (process.env and fetch are checked by test/unit/architecture.test.ts)`,
      severity: "error",
      from: { path: purePaths },
      to: {
        path: "^(node:)?(fs|fs/promises|child_process|http|https|http2|net|dgram|dns|tls|worker_threads|cluster|process|readline)$|@kubernetes/client-node|^undici",
      },
    },
    {
      name: "library-knows-no-catalogue",
      comment:
        "src/ is the library: the catalogue (promises/), the examples, the tests and the dev tooling (dev/) build on it, never the other way",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(promises|examples|test|bench|dev)/|^index\\.ts" },
    },
    {
      name: "catalogue-uses-public-api",
      comment:
        "promises and platforms import Pledge's public API (src/index.ts, or the package 'pledge') and nothing else of src/",
      severity: "error",
      from: { path: "^(promises|examples)/|^index\\.ts|^test/e2e/fixtures/promises/" },
      to: { path: "^src/", pathNot: "^src/index\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^dist/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["cjs", "es6"],
  },
};
