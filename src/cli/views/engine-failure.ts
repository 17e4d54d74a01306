// An engine run that failed, in a person's words. The Automation API reports a
// failed `pulumi` command as "Command failed with exit code 1: pulumi refresh
// --skip-preview --yes --exclude ... code: 1 stdout: ... stderr: ...": the
// command line is noise to the person, the engine's own `error:` lines are
// what failed. Pure.

/** What the engine was doing, by the pulumi subcommand the Automation API ran. */
const doing: Record<string, string> = {
  up: "the update",
  preview: "the preview",
  refresh: "reading the objects back from the clusters (refresh)",
  destroy: "the destroy",
  stack: "reading the stack",
  config: "reading the stack's config",
  cancel: "cancelling the update",
};

/** Whether an error is the Automation API's report of a failed pulumi command. */
export function isEngineFailure(err: unknown): boolean {
  return err instanceof Error && /Command (?:failed with exit code -?\d+|was killed with \S+[^:]*): pulumi /.test(err.message);
}

/**
 * The failure as one message: what the engine was doing, then its `error:`
 * lines (each once), or the end of what it printed when it gave none. The
 * Automation API's message is `code: .. stdout: .. stderr: Command failed with
 * exit code 1: pulumi <command line>\n<stderr>\n<stdout> err?: <the same again>`.
 */
export function describeEngineFailure(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const subcommand = /Command (?:failed with exit code -?\d+|was killed with \S+[^:]*): pulumi (\S+)/.exec(text)?.[1] ?? "";
  const printed = text
    .split(/\n\s*err\?: /)[0]!
    .split("\n")
    .map((line) => line.replace(/^\s*(?:code: -?\d+|stdout:|stderr:)\s*/, ""))
    .filter((line) => line.trim() !== "" && !/Command (?:failed with exit code|was killed with)/.test(line));
  const errors = [
    ...new Set(
      printed
        .map((line) => /^\s*error: (.+)$/.exec(line)?.[1]?.trim())
        .filter((line): line is string => !!line && !/^(update|preview|refresh|destroy) failed$/.test(line)),
    ),
  ];
  const what = errors.length > 0 ? errors : printed.slice(-5).map((line) => line.trim());
  const head = `${doing[subcommand] ?? "the engine"} failed`;
  return `${head}${what.length > 0 ? `: ${what.join("\n")}` : ""}\n(run again with --verbose to see the engine's own output)`;
}

/** An engine failure with no diagnostics of its own in the event stream (the CLI itself failed to start, say), in a person's words. */
export function failureText(err: unknown): string {
  if (isEngineFailure(err)) return describeEngineFailure(err);
  return (err instanceof Error ? err.message : String(err)).trim().split("\n").slice(-5).join("\n");
}
