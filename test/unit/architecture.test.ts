// The architecture holds: data flows one way (config -> fleet model -> core ->
// render plan -> Pulumi shell -> program -> CLI), the pure layers import no
// Pulumi, there are no import cycles, src/ knows nothing of the catalogue, and
// the catalogue and examples use the public API only. The rules live in
// .dependency-cruiser.cjs; the second test proves they still catch a violation.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";

const repoRoot = join(__dirname, "..", "..");
const depcruise = join(repoRoot, "node_modules", "dependency-cruiser", "bin", "dependency-cruiser.mjs");

function cruise(cwd: string, paths: string[]) {
  return spawnSync(
    process.execPath,
    [depcruise, "--config", join(repoRoot, ".dependency-cruiser.cjs"), "--output-type", "err", ...paths],
    { cwd, encoding: "utf8" },
  );
}

it("imports follow the data flow, with no cycles and the pure layers free of Pulumi", { timeout: 120_000 }, () => {
  const result = cruise(repoRoot, ["src", "promises", "index.ts", "test/e2e/fixtures/promises", "examples/own-platform"]);
  assert.equal(result.status, 0, `import rules broken:\n${result.stdout}${result.stderr}`);
});

it(
  "the rules catch an import against the flow, a cycle, Pulumi in a pure layer and a deep import from a promise",
  { timeout: 120_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "pledge-architecture-"));
    try {
      cpSync(join(repoRoot, "tsconfig.json"), join(dir, "tsconfig.json"));
      for (const folder of ["src/core", "src/pulumi", "src/promise", "promises/x"])
        mkdirSync(join(dir, folder), { recursive: true });
      const files: Record<string, string> = {
        "src/core/placement.ts": 'import "../pulumi/cluster";\nexport const a = 1;\n',
        "src/pulumi/cluster.ts": "export const b = 1;\n",
        "src/promise/plan.ts": 'import "./define";\nimport "@pulumi/pulumi";\nexport const c = 1;\n',
        "src/promise/define.ts": 'import "./plan";\nexport const d = 1;\n',
        "src/index.ts": 'export * from "./promise/define";\n',
        "promises/x/index.ts": 'import "../../src/promise/define";\n',
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
      for (const rule of ["core-imports-shell", "no-cycles", "pure-layers-import-no-pulumi", "catalogue-uses-public-api"]) {
        assert.match(report, new RegExp(rule), `rule ${rule} did not fire:\n${report}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
