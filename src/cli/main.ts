#!/usr/bin/env node
// The `pledge` CLI. In this repository it runs through `node tools/run.mjs
// pledge ...` (npm run pledge), which brings Node 22, the built toolchain and
// the offline engine settings; installed with the package (`npx pledge`), it
// uses the `pulumi` on PATH and the project in the working directory.
//
// The order here is the start-up: Node's compile cache first, then the
// Automation API and `pulumi version` started in the background, then the
// rest of the CLI loaded (about half a second) while it runs. So the commands are required below, not imported:
// imports would all load before any statement of this file runs.
import "./compile-cache";
import { startPulumiCommand } from "./stack/pulumi-command";

startPulumiCommand();
const { runCli } = require("./commands") as typeof import("./commands");
runCli(process.argv).catch((err: unknown) => {
  // A failure before a command ran (runCli prints the commands' own): a Pledge bug, with its trace.
  process.stderr.write(`pledge: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
