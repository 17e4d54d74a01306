// The architecture as rules (checked by test/unit/architecture.test.ts):
// data flows one way, config -> fleet model -> core (placement) -> render plan
// -> Pulumi shell -> program -> CLI, and a module may import only from its own
// layer or the layers before it. The pure layers import no Pulumi, and decide
// without the engine; a few of their files do I/O (named at each layer below,
// and in docs/architecture.md). Nothing in
// src/ knows the catalogue, and the catalogue and the examples know only the
// public API.
const layers = [
  // Shared vocabulary every layer speaks: problems, labels/selectors/taints, and the local fleet (a leaf;
  // local/ starts processes, reads and writes the fleet's files and calls its API servers).
  { name: "vocabulary", path: "^src/(issues\\.ts|labels/|local/)" },
  // I/O: config/load.ts (stack config, request files, environment) and config/kubeconfigs.ts (kubeconfig files).
  { name: "config", path: "^src/config/" },
  { name: "fleet", path: "^src/fleet/" },
  { name: "core", path: "^src/core/" },
  // I/O: promise/sources.ts (YAML files, URLs, chart paths), promise/fingerprint.ts (local chart directories),
  // kratix/import.ts (Promise files), kratix/dependency-files.ts (dependency directories); promise/decide-run.ts
  // and kratix/offers.ts call them.
  { name: "plan", path: "^src/(promise/|kratix/|outputs\\.ts)" },
  { name: "shell", path: "^src/pulumi/" },
  { name: "program", path: "^src/(program|platform|index|clouds)\\.ts" },
  { name: "cli", path: "^src/cli/" },
];

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
      comment:
        "labels, fleet model, placement and the render plan are decided without the engine (the few files in them that read files or URLs are named at the layers in .dependency-cruiser.cjs)",
      severity: "error",
      from: {
        path: "^src/(labels|fleet|core|promise|kratix)/|^src/issues\\.ts|^src/outputs\\.ts|^src/config/(parse|schema)\\.ts",
      },
      to: { path: "@pulumi/" },
    },
    {
      name: "library-knows-no-catalogue",
      comment: "src/ is the library: the catalogue (promises/), the examples and the tests build on it, never the other way",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(promises|examples|test|bench)/|^index\\.ts" },
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
