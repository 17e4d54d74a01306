// The rules of owning paths in a state store: a prefix is a directory, a run
// owns exactly what lies below its prefixes, and the changes to make are
// stated per file.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileChanges, filesUnder, leadsToOwned, ownerPrefix, pathsOutside } from "../../../src/gitops/owned-files";

describe("owned paths", () => {
  const prefixes = ["clusters/edge-1", "clusters/edge-2/"];
  const table: [string, string | undefined][] = [
    ["clusters/edge-1/resources/x.yaml", "clusters/edge-1"],
    ["clusters/edge-2/x.yaml", "clusters/edge-2/"],
    ["clusters/edge-10/x.yaml", undefined], // a sibling whose name starts the same is not owned
    ["clusters/edge-1", undefined], // a file named like the prefix is not below it
    ["README.md", undefined],
  ];
  for (const [path, owner] of table)
    it(`${path} is ${owner ? `owned through ${owner}` : "not owned"}`, () => assert.equal(ownerPrefix(path, prefixes), owner));

  it("a directory leads to owned files when it holds a prefix or lies below one", () => {
    assert.deepEqual(
      ["clusters", "clusters/edge-1", "clusters/edge-1/resources", "clusters/edge-10", "apps"].map((d) =>
        leadsToOwned(d, prefixes),
      ),
      [true, true, true, false, false],
    );
  });

  it("filesUnder keeps the owned files and pathsOutside names the rest", () => {
    const files = new Map([
      ["clusters/edge-1/a", "a"],
      ["clusters/edge-3/b", "b"],
    ]);
    assert.deepEqual(filesUnder(files, prefixes), new Map([["clusters/edge-1/a", "a"]]));
    assert.deepEqual(pathsOutside(files.keys(), prefixes), ["clusters/edge-3/b"]);
  });
});

describe("fileChanges", () => {
  it("lists added, changed and removed files, each sorted, and leaves equal files out", () => {
    const current = new Map([
      ["p/same", "1"],
      ["p/edited", "old"],
      ["p/z-gone", "x"],
      ["p/a-gone", "x"],
    ]);
    const desired = new Map([
      ["p/same", "1"],
      ["p/edited", "new"],
      ["p/b-new", "b"],
      ["p/a-new", "a"],
    ]);
    assert.deepEqual(fileChanges(current, desired), {
      added: ["p/a-new", "p/b-new"],
      changed: ["p/edited"],
      removed: ["p/a-gone", "p/z-gone"],
    });
  });
});
