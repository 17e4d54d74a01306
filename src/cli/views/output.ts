// Where the CLI writes: tables and JSON to stdout (what a script reads),
// messages to stderr, and with --verbose the engine's own output to stderr.

/** One message line on stderr. */
export const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** A machine-readable answer on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** With --verbose, everything the engine prints, its own error output included. */
export const engineText = {
  onOutput: (out: string) => process.stderr.write(out),
  onError: (err: string) => process.stderr.write(err),
};
