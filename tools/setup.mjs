#!/usr/bin/env node
// `npm run setup`: builds or reuses everything Pledge needs. Idempotent.
// `--later gitops`: leave Git delivery's toolset (Flux, sops) to whoever needs it
// first; CI uses it so that `npm test` builds it in the background of the
// suites that do not need it (tools/run.mjs) instead of before all of them.
import { setup } from "./lib/setup.mjs";
import { SetupError } from "./lib/log.mjs";

const args = process.argv.slice(2);
const later = args[0] === "--later" ? args[1] : undefined;
if (args.length > 0 && later !== "gitops") {
  process.stderr.write(`pledge setup: unknown arguments ${args.join(" ")}; the only one is --later gitops\n`);
  process.exit(2);
}

try {
  await setup({ gitops: later === "gitops" ? "skip" : "wait" });
} catch (err) {
  process.stderr.write(`pledge setup failed: ${err instanceof SetupError ? err.message : err.stack}\n`);
  process.exit(1);
}
