// The `pledge` command line: every command (one file each in commands/), and
// how a failure is printed.
import { Command } from "commander";
import { bootstrapCommand } from "./commands/bootstrap";
import { checkCommand } from "./commands/check";
import { cordonCommands } from "./commands/cordon";
import { explainCommand } from "./commands/explain";
import { placementCommand } from "./commands/placement";
import { previewCommand } from "./commands/preview";
import { rolloutCommand } from "./commands/rollout";
import { promisesCommand } from "./commands/promises";
import { schemaCommand } from "./commands/schema";
import { statusCommand } from "./commands/status";
import { unlockCommand } from "./commands/unlock";
import { upCommand } from "./commands/up";
import { UpdateError } from "./update-error";
import { describeEngineFailure, isEngineFailure } from "./views/engine-failure";

/** Every command, in the order `pledge --help` lists them. */
export function pledgeCommands(): Command[] {
  return [
    upCommand(),
    previewCommand(),
    unlockCommand(),
    placementCommand(),
    explainCommand(),
    statusCommand(),
    promisesCommand(),
    schemaCommand(),
    checkCommand(),
    ...cordonCommands(),
    bootstrapCommand(),
    rolloutCommand(),
  ];
}

export async function runCli(argv: string[]): Promise<void> {
  const program = new Command("pledge").description("Pledge: clusters with labels, Promises, placement you can read");
  for (const command of pledgeCommands()) program.addCommand(command);
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
