// A failed engine run in a person's words: never the Automation API's "Command failed with exit code N: pulumi ..." line.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CommandError } from "@pulumi/pulumi/automation";
import { describeEngineFailure, isEngineFailure } from "../../../src/cli/views/engine-failure";

/** A CommandError as the Automation API makes it when execa rejects a failed pulumi run. */
function commandError(args: string, stderr: string, stdout: string): Error {
  const execaMessage = `Command failed with exit code 1: pulumi ${args}\n${stderr}\n${stdout}`;
  const result = {
    stdout: "",
    stderr: execaMessage,
    code: -2,
    err: new Error(execaMessage),
    toString() {
      return `code: ${this.code}\n stdout: ${this.stdout}\n stderr: ${this.stderr}\n err?: ${this.err}\n`;
    },
  };
  return new CommandError(result as never);
}

describe("describing an engine failure", () => {
  it("says what the engine was doing and its error lines, once each, without the command line", () => {
    const err = commandError(
      "refresh --skip-preview --yes --exclude **::local-2 --exclude-dependents --non-interactive",
      "",
      "Refreshing (test):\n    error: could not read local-2/Namespace/web: connection refused\n    error: could not read local-2/Namespace/web: connection refused\nerror: refresh failed\n",
    );
    assert.equal(isEngineFailure(err), true);
    const message = describeEngineFailure(err);
    assert.equal(
      message,
      "reading the objects back from the clusters (refresh) failed: could not read local-2/Namespace/web: connection refused\n(run again with --verbose to see the engine's own output)",
    );
    assert.doesNotMatch(message, /Command failed with exit code/);
  });

  it("falls back to the end of what the engine printed when it gave no error line", () => {
    const message = describeEngineFailure(commandError("up --yes", "panic: something broke\ngoroutine 1", ""));
    assert.match(message, /^the update failed: panic: something broke\ngoroutine 1\n/);
  });

  it("a pulumi run killed by a signal is said the same way", () => {
    const killed = new Error(
      "code: -2\n stdout: \n stderr: Command was killed with SIGKILL (Forced termination): pulumi up --yes --exclude **::c2\n err?: x",
    );
    assert.equal(isEngineFailure(killed), true);
    assert.doesNotMatch(describeEngineFailure(killed), /pulumi up --yes/);
    assert.match(describeEngineFailure(killed), /^the update failed/);
  });

  it("is not fooled by other errors", () => {
    assert.equal(isEngineFailure(new Error("ENOENT")), false);
  });
});
