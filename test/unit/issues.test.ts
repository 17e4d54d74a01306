// How problems are printed: every one, once, grouped under a header that says
// who has to act, and "nothing was changed" said once.
import assert from "node:assert/strict";
import { it } from "node:test";
import { formatIssues } from "../../src/issues";

it("groups problems by who has to act, configuration first, and says once that nothing changed", () => {
  const text = formatIssues([
    {
      kind: "promise",
      path: "promise p dependencies on c1",
      message: "chart x failed to render: boom",
      hint: "this is a bug in the promise",
    },
    { path: "pledge:requests[0].spec.size", message: '"huge" is not one of small, medium, large' },
    { kind: "cluster", path: "pledge:clusters[1]", message: "cannot be reached: connection refused" },
    { kind: "config", path: "pledge:clusters[2].name", message: "duplicate cluster name" },
  ]);
  assert.equal(
    text,
    [
      "Pledge configuration has 2 problems; nothing was changed:",
      '  - pledge:requests[0].spec.size: "huge" is not one of small, medium, large',
      "  - pledge:clusters[2].name: duplicate cluster name",
      "Promises have 1 problem (bugs in the promises: tell their authors):",
      "  - promise p dependencies on c1: chart x failed to render: boom (this is a bug in the promise)",
      "1 cluster problem (a cluster cannot be reached):",
      "  - pledge:clusters[1]: cannot be reached: connection refused",
    ].join("\n"),
  );
});

it("a promise bug alone gets its own header", () => {
  assert.match(
    formatIssues([{ kind: "promise", path: "p", message: "m" }]),
    /^Promises have 1 problem \(bugs in the promises: tell their authors\); nothing was changed:\n  - p: m$/,
  );
});
