// The architecture holds: data flows one way through one layer per folder
// (.dependency-cruiser.cjs lists them), the pure layers import no Pulumi and
// do no I/O (no file, process, network or environment), there are no import
// cycles, src/ knows nothing of the catalogue or the dev tooling, and the
// catalogue and examples use the public API only. The second test proves
// each rule still catches a violation.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { it } from "node:test";
import ts from "typescript";

const repoRoot = join(__dirname, "..", "..");
const depcruise = join(repoRoot, "node_modules", "dependency-cruiser", "bin", "dependency-cruiser.mjs");
const rules = require(join(repoRoot, ".dependency-cruiser.cjs")) as {
  forbidden: { name: string; from: { path?: string } }[];
};

function cruise(cwd: string, paths: string[]) {
  return spawnSync(
    process.execPath,
    [depcruise, "--config", join(repoRoot, ".dependency-cruiser.cjs"), "--output-type", "err", ...paths],
    { cwd, encoding: "utf8" },
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/**
 * Uses of the environment an import rule cannot see, in the pure layers (the
 * paths of the pure-layers-do-no-io rule): `process` (its env, cwd, argv ...)
 * and the global `fetch`, each as file:line.
 */
function environmentUses(root: string): string[] {
  const pure = new RegExp(rules.forbidden.find((r) => r.name === "pure-layers-do-no-io")!.from.path!);
  const found: string[] = [];
  for (const file of sourceFiles(join(root, "src"))) {
    const path = relative(root, file);
    if (!pure.test(path)) continue;
    const source = ts.createSourceFile(path, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      // An identifier used as a value, not a property name (`x.process`) or a declaration's own name.
      if (
        ts.isIdentifier(node) &&
        (node.text === "process" || node.text === "fetch") &&
        !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) &&
        !(ts.isPropertyAssignment(node.parent) && node.parent.name === node) &&
        !((ts.isVariableDeclaration(node.parent) || ts.isParameter(node.parent)) && node.parent.name === node)
      ) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        found.push(`${path}:${line + 1} uses ${node.text}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

it("imports follow the data flow, with no cycles and the pure layers free of Pulumi and I/O", { timeout: 120_000 }, () => {
  const result = cruise(repoRoot, ["src", "promises", "index.ts", "test/e2e/fixtures/promises", "examples/own-platform"]);
  assert.equal(result.status, 0, `import rules broken:\n${result.stdout}${result.stderr}`);
  assert.deepEqual(environmentUses(repoRoot), [], "the pure layers read the environment (src/run/ reads it for them)");
});

it(
  "the rules catch an import against the flow, promise/ importing kratix/, a cycle, Pulumi, fs or the environment in a pure layer, a deep import from a promise, and the library importing the dev tooling",
  { timeout: 120_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "pledge-architecture-"));
    try {
      cpSync(join(repoRoot, "tsconfig.json"), join(dir, "tsconfig.json"));
      for (const folder of [
        "src/core",
        "src/pulumi",
        "src/promise",
        "src/kratix",
        "src/fleet",
        "src/run",
        "promises/x",
        "dev/local",
      ])
        mkdirSync(join(dir, folder), { recursive: true });
      const files: Record<string, string> = {
        "src/core/placement.ts": 'import "../pulumi/cluster";\nexport const a = 1;\n',
        "src/pulumi/cluster.ts": "export const b = 1;\n",
        "src/promise/plan.ts": 'import "./define";\nimport "@pulumi/pulumi";\nexport const c = 1;\n',
        "src/promise/define.ts": 'import "./plan";\nexport const d = 1;\n',
        "src/promise/stack-model.ts": 'import { e } from "../kratix/offers";\nexport const f = e;\n',
        "src/kratix/offers.ts": "export const e = 1;\n",
        "src/fleet/model.ts": 'import { readFileSync } from "node:fs";\nexport const g = readFileSync;\n',
        "src/core/rules.ts": "export const h = process.env.HOME;\nexport const i = () => fetch('http://x');\n",
        "src/index.ts": 'export * from "./promise/define";\n',
        "promises/x/index.ts": 'import "../../src/promise/define";\n',
        "src/run/kubeconfigs.ts": 'import "../../dev/local/fleet";\nexport const j = 1;\n',
        "dev/local/fleet.ts": "export const k = 1;\n",
      };
      for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
      // The fake tree resolves @pulumi/pulumi through the repository's node_modules.
      cpSync(
        join(repoRoot, "node_modules", "@pulumi", "pulumi", "package.json"),
        join(dir, "node_modules", "@pulumi", "pulumi", "package.json"),
        { recursive: true },
      );
      writeFileSync(join(dir, "node_modules", "@pulumi", "pulumi", "index.js"), "module.exports = {};\n");
      const result = cruise(dir, ["src", "promises"]);
      assert.notEqual(result.status, 0, "a broken tree passed the rules");
      const report = `${result.stdout}${result.stderr}`;
      for (const rule of [
        "core-imports-shell",
        "promise-imports-kratix",
        "no-cycles",
        "pure-layers-import-no-pulumi",
        "pure-layers-do-no-io: src/fleet/model.ts",
        "catalogue-uses-public-api",
        "library-knows-no-catalogue: src/run/kubeconfigs.ts",
      ]) {
        assert.match(report, new RegExp(rule), `rule ${rule} did not fire:\n${report}`);
      }
      assert.deepEqual(environmentUses(dir), ["src/core/rules.ts:1 uses process", "src/core/rules.ts:2 uses fetch"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
