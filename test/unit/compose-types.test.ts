// A compound promise's parts are typed: `postgres.part(spec)` takes exactly
// postgres's request spec, and the parent's render sees the part's declared
// outputs with their types. Proved with the repo's own TypeScript compiler on
// small files outside the repo: a right spec and a real output compile, a
// wrong spec and a made-up output do not, each failing where it is wrong.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";

const repoRoot = join(__dirname, "..", "..");
const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
const dir = mkdtempSync(join(tmpdir(), "pledge-compose-types-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A compound promise with a postgres part built from `spec`, whose render reads `output` of the part as a string. */
function program(file: string, spec: string, output: string): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    [
      `import { definePromise, z } from ${JSON.stringify(join(repoRoot, "src"))};`,
      `import { postgres } from ${JSON.stringify(join(repoRoot, "promises", "postgres"))};`,
      ``,
      `export const shop = definePromise({`,
      `  name: "shop",`,
      `  version: "1.0.0",`,
      `  description: "a shop with a database",`,
      `  schema: z.object({}).strict(),`,
      `  compose: () => ({ db: postgres.part(${spec}) }),`,
      `  render: (request) => {`,
      `    const database: string = request.parts.db.outputs.${output};`,
      `    return [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: database, namespace: request.namespace } }];`,
      `  },`,
      `});`,
      ``,
    ].join("\n"),
  );
  return path;
}

/** The source from where a compiler error points (1-based line and column) to the end of that line. */
function tokenAt(path: string, line: number, column: number): string {
  return (readFileSync(path, "utf8").split("\n")[line - 1] ?? "").slice(column - 1);
}

function compile(files: string[]): Promise<{ status: number | null; output: string }> {
  const flags = ["--noEmit", "--strict", "--esModuleInterop", "--skipLibCheck", "--target", "es2022"];
  const args = [tsc, ...flags, "--module", "commonjs", "--moduleResolution", "node", "--pretty", "false", ...files];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: dir });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}

/** `file(line,col): error TSnnnn: message` lines, by file name. */
function errorsIn(output: string, path: string): { line: number; column: number; message: string }[] {
  return output
    .split("\n")
    .map((l) => /^(.*)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null && m[1]!.endsWith(path.slice(dir.length + 1)))
    .map((m) => ({ line: Number(m[2]), column: Number(m[3]), message: m[4]! }));
}

describe("the types of a compound promise's parts", { timeout: 5 * 60_000 }, () => {
  const right = program("right.ts", "{ storageGi: 20 }", "database");
  const wrongSpec = program("wrong-spec.ts", '{ storageGi: "big" }', "database");
  const noSuchOutput = program("no-such-output.ts", "{ storageGi: 20 }", "nope");
  // Both compilations run at once; each takes a while (the public API brings Pulumi's types).
  const accepted = compile([right]);
  const refused = compile([wrongSpec, noSuchOutput]);

  it("accept a right part spec and a declared output read as a string", async () => {
    const { status, output } = await accepted;
    assert.equal(status, 0, `expected it to compile:\n${output}`);
  });

  it("refuse a part spec its promise's schema does not type, at the wrong field", async () => {
    const { status, output } = await refused;
    assert.notEqual(status, 0, "expected a wrong spec not to compile");
    const errors = errorsIn(output, wrongSpec);
    assert.equal(errors.length, 1, output);
    assert.match(tokenAt(wrongSpec, errors[0]!.line, errors[0]!.column), /^storageGi\b/, output);
    assert.match(errors[0]!.message, /'string' is not assignable to type 'number'/);
  });

  it("refuse reading an output the part's promise does not declare", async () => {
    const { status, output } = await refused;
    assert.notEqual(status, 0);
    const errors = errorsIn(output, noSuchOutput);
    assert.equal(errors.length, 1, output);
    assert.match(errors[0]!.message, /Property 'nope' does not exist/);
    assert.match(tokenAt(noSuchOutput, errors[0]!.line, errors[0]!.column), /^nope;/);
  });
});
