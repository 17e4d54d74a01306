// The Pulumi SDK formats a stack trace for every resource it registers (the
// resource's source position, with Error.stackTraceLimit = Infinity) and for
// every output promise (kept for its leak report). Under Pulumi's TypeScript
// loader, ts-node's source-map-support maps each frame of each of those traces
// back to TypeScript, reading the SDK's own .js.map files on the way: in a
// profile of a 100-request program that mapping was about a sixth of the
// program's CPU. Nothing Pledge registers needs a source position (a file
// backend shows none), so the program formats traces plainly unless
// PLEDGE_SOURCE_MAPPED_STACKS=true asks for TypeScript lines (to debug a
// promise's render, say). Line numbers stay close: ts-node keeps the lines.
export const sourceMappedStacksEnv = "PLEDGE_SOURCE_MAPPED_STACKS";

export function plainStackTraces(env: NodeJS.ProcessEnv = process.env): void {
  if (env[sourceMappedStacksEnv] === "true") return;
  // Deleting the hook gives V8's own formatting back.
  delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
}
