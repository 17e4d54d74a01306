// The docs link only to files inside the repository, and every such link
// resolves: a reader of a clone (or of the package) never meets a dead link.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { it } from "node:test";

const repoRoot = join(__dirname, "..", "..");

function markdownFiles(): string[] {
  const docs = readdirSync(join(repoRoot, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => join(repoRoot, "docs", f));
  const examples = readdirSync(join(repoRoot, "examples"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".md") && !f.includes("node_modules"))
    .map((f) => join(repoRoot, "examples", f));
  return [
    join(repoRoot, "README.md"),
    ...docs,
    ...examples,
    join(repoRoot, "src", "kratix", "README.md"),
    join(repoRoot, "src", "crd-schema", "README.md"),
  ].filter(existsSync);
}

it("every relative link in the docs points at a file inside the repository", () => {
  const problems: string[] = [];
  for (const file of markdownFiles()) {
    for (const [, target] of readFileSync(file, "utf8").matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?:|mailto:|#)/.test(target!)) continue;
      const path = resolve(dirname(file), target!.split("#")[0]!);
      const where = `${relative(repoRoot, file)} -> ${target}`;
      if (relative(repoRoot, path).startsWith("..")) problems.push(`${where}: outside the repository`);
      else if (!existsSync(path)) problems.push(`${where}: no such file`);
    }
  }
  assert.deepEqual(problems, []);
});
