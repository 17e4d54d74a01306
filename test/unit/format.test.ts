// One formatter decides the layout (Prettier, .prettierrc.json, 130 columns):
// code that is not formatted fails here. `npm run format` fixes it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { it } from "node:test";

const repoRoot = join(__dirname, "..", "..");

it("every TypeScript, JavaScript and JSON file is formatted by Prettier", { timeout: 120_000 }, () => {
  const prettier = join(repoRoot, "node_modules", "prettier", "bin", "prettier.cjs");
  const result = spawnSync(process.execPath, [prettier, "--check", "."], { cwd: repoRoot, encoding: "utf8" });
  assert.equal(result.status, 0, `not formatted (run npm run format):\n${result.stdout}${result.stderr}`);
});
