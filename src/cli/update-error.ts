// A failure of a pledge command that is the person's to act on: printed once,
// without a stack trace, with the command's exit status.
export class UpdateError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
