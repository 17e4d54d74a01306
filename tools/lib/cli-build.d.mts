// Types for tools/lib/cli-build.mjs, which the TypeScript tests and benchmarks import.
/** The compiled CLI's entry point, built first when src/ changed since. */
export function cliEntry(root?: string): string;
/** Node arguments that run the compiled CLI. */
export function cliArgs(): string[];
