#!/usr/bin/env node
// The `pledge` CLI. In this repository it runs through `node tools/run.mjs
// pledge ...` (npm run pledge), which brings Node 22, the built toolchain and
// the offline engine settings; installed with the package (`npx pledge`), it
// uses the `pulumi` on PATH and the project in the working directory.
import "./compile-cache";
import { Command } from "commander";
import { localCommand } from "./local";
import { stackCommands } from "./stack-commands";
import { UpdateError } from "./update";

async function main(argv: string[]): Promise<void> {
  const program = new Command("pledge").description("Pledge: clusters with labels, Promises, placement you can read");
  program.addCommand(localCommand());
  for (const command of stackCommands()) program.addCommand(command);
  await program.parseAsync(argv);
}

main(process.argv).catch((err: unknown) => {
  // Every problem once, in people's words; a stack trace only for Pledge's own bugs (not UpdateError).
  const message =
    err instanceof UpdateError || !(err instanceof Error) ? String(err instanceof Error ? err.message : err) : err.message;
  process.stderr.write(`pledge: ${message}\n`);
  process.exit(err instanceof UpdateError ? err.exitCode : 1);
});
