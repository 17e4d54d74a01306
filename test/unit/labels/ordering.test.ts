// One order for names everywhere: compareText, UTF-16 code units, the same on
// every machine whatever its locale. localeCompare would make placement,
// fingerprints and outputs depend on the locale and ICU version, so a scan of
// the code fails naming every file:line that calls it.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compareText, sortedUnique } from "../../../src/labels/ordering";

describe("compareText orders by code unit, whatever the locale", () => {
  const before: [string, string][] = [
    ["B", "a"], // uppercase before lowercase; localeCompare says otherwise in most locales
    ["Z", "a"],
    ["a", "ä"], // "ä" is U+00E4, after every ASCII letter
    ["z", "ä"],
    ["a-b", "a.b"],
    ["a10", "a9"],
    ["", "a"],
    ["a", "aa"],
    ["local-1", "local-2"],
  ];
  for (const [a, b] of before) {
    it(`${JSON.stringify(a)} comes before ${JSON.stringify(b)}`, () => {
      assert.equal(compareText(a, b), -1);
      assert.equal(compareText(b, a), 1);
    });
  }

  it("equal texts compare equal", () => assert.equal(compareText("redis", "redis"), 0));

  it("sorts as JavaScript's default sort (code units), and sortedUnique drops duplicates", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" })), (texts) => {
        assert.deepEqual([...texts].sort(compareText), [...texts].sort());
        assert.deepEqual(sortedUnique(texts), [...new Set(texts)].sort());
      }),
    );
  });
});

const repoRoot = join(__dirname, "..", "..", "..");
const scanned = ["src", "promises", "index.ts", "bench", "tools", "examples"];
const codeFile = /\.(ts|mts|cts|js|mjs|cjs)$/;
// A call or a property read; a comment saying "never localeCompare" is fine.
const use = /\.\s*localeCompare\b|\[\s*["'`]localeCompare["'`]\s*\]/;

function codeFiles(path: string): string[] {
  if (!statSync(path, { throwIfNoEntry: false })) return [];
  if (statSync(path).isFile()) return codeFile.test(path) ? [path] : [];
  return readdirSync(path)
    .filter((name) => name !== "node_modules" && !name.startsWith("."))
    .flatMap((name) => codeFiles(join(path, name)));
}

/** file:line of every use of localeCompare under `root`'s scanned folders. */
function localeCompareUses(root: string): string[] {
  return scanned.flatMap((entry) =>
    codeFiles(join(root, entry)).flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, i) => (use.test(line) ? [`${relative(root, file)}:${i + 1}: ${line.trim()}`] : [])),
    ),
  );
}

describe("no localeCompare in the code", () => {
  it("orders names with compareText (src/labels/ordering.ts), never localeCompare", () => {
    assert.deepEqual(localeCompareUses(repoRoot), [], "use compareText from src/labels/ordering.ts instead");
  });

  it("the scan finds a use and names its file and line", () => {
    const dir = mkdtempSync(join(tmpdir(), "pledge-ordering-"));
    try {
      mkdirSync(join(dir, "src", "cli"), { recursive: true });
      mkdirSync(join(dir, "src", "node_modules"), { recursive: true });
      writeFileSync(join(dir, "src", "cli", "view.ts"), "// never localeCompare\nnames.sort((a, b) => a.localeCompare(b));\n");
      writeFileSync(join(dir, "src", "node_modules", "dep.js"), "a.localeCompare(b);\n");
      writeFileSync(join(dir, "index.ts"), 'names.sort((a, b) => a["localeCompare"](b));\n');
      assert.deepEqual(localeCompareUses(dir), [
        "src/cli/view.ts:2: names.sort((a, b) => a.localeCompare(b));",
        'index.ts:1: names.sort((a, b) => a["localeCompare"](b));',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
