// Secrets reach Git only as SOPS ciphertext: the `sops` binary encrypts a
// Secret manifest's data and stringData for a cluster's age recipient (Flux's
// kustomize-controller decrypts it there). The plaintext goes through stdin
// only, never a file; no npm package can encrypt SOPS files.
//
// `sops encrypt` reading stdin (sops 3.9+), not `sops --encrypt /dev/stdin`:
// Node gives a child a socket as stdin, and opening /dev/stdin on a socket
// fails (ENXIO). `--config /dev/null`: a .sops.yaml above the working
// directory whose creation rules do not match would refuse the file.
import { spawn } from "node:child_process";

const encryptTimeoutMs = 60_000;

/** The sops to run: $PLEDGE_SOPS, else `sops` from PATH. */
export function sopsBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.PLEDGE_SOPS || "sops";
}

const installHint =
  "install sops 3.9 or later (https://github.com/getsops/sops/releases, or `go install github.com/getsops/sops/v3/cmd/sops@v3.13.2`) " +
  "and put it on PATH, or set PLEDGE_SOPS to its path";

/** sops may quote the input when it cannot parse it: no line of the plaintext leaves in a message. */
function withoutPlaintext(message: string, plaintext: string): string {
  let redacted = message;
  for (const piece of plaintext.split(/\r?\n|:\s/).map((p) => p.trim()))
    if (piece.length >= 4) redacted = redacted.replaceAll(piece, "[redacted]");
  return redacted.trim();
}

/** The manifest with its data and stringData encrypted for `ageRecipient`, as SOPS YAML; metadata stays readable. */
export function encryptSecretManifest(yamlText: string, ageRecipient: string): Promise<string> {
  const binary = sopsBinary();
  const args = ["--config", "/dev/null", "encrypt", "--age", ageRecipient, "--encrypted-regex", "^(data|stringData)$"];
  args.push("--input-type", "yaml", "--output-type", "yaml", "--filename-override", "secret.yaml");
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["pipe", "pipe", "pipe"] });
    // Our own timer, not spawn's `timeout`: that one outlives a sops that never started and holds the process for a minute.
    const timer = setTimeout(() => child.kill("SIGKILL"), encryptTimeoutMs).unref();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === "ENOENT" ? new Error(`sops was not found (looked for ${binary}): ${installHint}`) : e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(Buffer.concat(out).toString("utf8"));
      const why = withoutPlaintext(Buffer.concat(err).toString("utf8"), yamlText) || `killed by ${signal}`;
      reject(new Error(`sops could not encrypt a Secret for ${ageRecipient}: ${why}`));
    });
    // A sops that exits early (bad arguments) closes stdin: its own message says why, not EPIPE.
    child.stdin.on("error", () => undefined);
    child.stdin.end(yamlText);
  });
}
