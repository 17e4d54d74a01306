#!/usr/bin/env node
// `npm run setup`: builds or reuses everything Pledge needs. Idempotent.
import { setup } from "./lib/setup.mjs";
import { SetupError } from "./lib/log.mjs";

try {
  await setup();
} catch (err) {
  process.stderr.write(`pledge setup failed: ${err instanceof SetupError ? err.message : err.stack}\n`);
  process.exit(1);
}
