// The program formats stack traces plainly (the Pulumi SDK formats one per
// resource and per output; mapping them through ts-node's source maps was a
// sixth of a large program's CPU), unless PLEDGE_SOURCE_MAPPED_STACKS=true.
import assert from "node:assert/strict";
import { afterEach, it } from "node:test";
import { plainStackTraces } from "../../../src/pulumi/stack-traces";

const original = Error.prepareStackTrace;
afterEach(() => {
  Error.prepareStackTrace = original;
});

/** What a source-map loader does: every trace goes through its formatter. */
function installMapper(): void {
  Error.prepareStackTrace = (error, frames) => `MAPPED ${String(error)} (${frames.length} frames)`;
}

it("traces are formatted by V8 itself, not by a loader's mapper", () => {
  installMapper();
  plainStackTraces({});
  const stack = new Error("boom").stack ?? "";
  assert.doesNotMatch(stack, /MAPPED/);
  assert.match(stack, /^Error: boom\n\s+at /);
});

it("PLEDGE_SOURCE_MAPPED_STACKS=true keeps the loader's mapping", () => {
  installMapper();
  plainStackTraces({ PLEDGE_SOURCE_MAPPED_STACKS: "true" });
  assert.match(new Error("boom").stack ?? "", /^MAPPED Error: boom/);
});
