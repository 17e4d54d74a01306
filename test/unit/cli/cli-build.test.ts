// The CLI that `npm run pledge` and the end-to-end tests run is a build of
// src/ (tools/lib/cli-build.mjs): it must be rebuilt whenever a source
// changes, or a run would silently use old code.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { cliEntry } from "../../../tools/lib/cli-build.mjs";

const root = mkdtempSync(join(tmpdir(), "pledge-cli-build-"));
after(() => rmSync(root, { recursive: true, force: true }));

function writeSource(file: string, text: string, mtime: Date): void {
  const path = join(root, "src", file);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  utimesSync(path, mtime, mtime);
}

function runBuilt(): string {
  const run = spawnSync(process.execPath, [cliEntry(root)], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

it("builds the CLI from TypeScript, and again when a source changes", () => {
  writeSource("cli/main.ts", 'import { word } from "../word";\nconst said: string = word();\nconsole.log(said);\n', new Date(1));
  writeSource("word.ts", 'export const word = (): string => "first";\n', new Date(1));
  assert.equal(runBuilt(), "first");
  // Same size, later modification time: a different build.
  writeSource("word.ts", 'export const word = (): string => "other";\n', new Date(2000));
  assert.equal(runBuilt(), "other");
  // A new source file counts too.
  writeSource("extra.ts", "export const extra = 1;\n", new Date(3000));
  assert.equal(runBuilt(), "other");
  assert.ok(cliEntry(root).startsWith(join(root, ".pledge", "cli-build")));
});
