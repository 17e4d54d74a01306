// The `pledge` command line: every command, and how a failure is printed.
import { Command } from "commander";
import { localCommand } from "./commands/local";
import { stackCommands } from "./stack-commands";
import { cordonCommands } from "./commands/cordon";
import { UpdateError } from "./update-error";
import { describeEngineFailure, isEngineFailure } from "./views/engine-failure";

export async function runCli(argv: string[]): Promise<void> {
  const program = new Command("pledge").description("Pledge: clusters with labels, Promises, placement you can read");
  program.addCommand(localCommand());
  for (const command of stackCommands()) program.addCommand(command);
  for (const command of cordonCommands()) program.addCommand(command);
  try {
    await program.parseAsync(argv);
  } catch (err: unknown) {
    // Every problem once, in people's words; a stack trace only for Pledge's own bugs (not UpdateError).
    // A failed pulumi run that reached here unexplained is still said in words, never as its command line.
    const message = isEngineFailure(err)
      ? describeEngineFailure(err)
      : err instanceof UpdateError || !(err instanceof Error)
        ? String(err instanceof Error ? err.message : err)
        : err.message;
    process.stderr.write(`pledge: ${message}\n`);
    process.exit(err instanceof UpdateError ? err.exitCode : 1);
  }
}
