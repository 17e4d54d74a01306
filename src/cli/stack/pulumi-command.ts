// The pulumi CLI the Automation API runs. Finding it means running `pulumi
// version` (a third of a second), which the Automation API otherwise does
// again for every stack it opens; here it runs once per CLI run, started by
// the entry point before the rest of the CLI loads, so the two overlap.
import { PulumiCommand } from "@pulumi/pulumi/automation";

let found: Promise<PulumiCommand> | undefined;

export function pulumiCommand(): Promise<PulumiCommand> {
  return (found ??= PulumiCommand.get().catch((err: unknown) => {
    found = undefined; // asked again by the command that needs it, which reports the failure
    throw err;
  }));
}

/** Starts the search now; a command that needs no pulumi (pledge local) never sees its failure. */
export function startPulumiCommand(): void {
  pulumiCommand().catch(() => undefined);
}
