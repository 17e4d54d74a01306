// The whole project type-checks in strict mode. `pulumi up` only transpiles
// (tsconfig.json sets noCheck for speed), so this is where type errors surface.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { it } from "node:test";

const repoRoot = join(__dirname, "..", "..");

it("type-checks with tsconfig.check.json (strict)", { timeout: 5 * 60_000 }, () => {
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", join(repoRoot, "tsconfig.check.json"), "--noEmit"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  assert.equal(result.status, 0, `type errors:\n${result.stdout}${result.stderr}`);
});
