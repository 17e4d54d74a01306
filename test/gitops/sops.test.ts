// Secrets leave Pledge only as SOPS ciphertext: data and stringData encrypted
// for the cluster's age recipient, metadata readable, the plaintext handed to
// sops through stdin only. Runs the real sops ($PLEDGE_SOPS or PATH).
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it, before } from "node:test";
import { generateIdentity, identityToRecipient } from "age-encryption";
import { encryptSecretManifest } from "../../src/delivery/sops";
import { secretDigestOf } from "../../src/gitops/secret-files";
import { decryptWithIdentity, sopsReady } from "../sops-fixture";

// sops comes with Git delivery's toolset, built in the background of a test run.
before(sopsReady, { timeout: 60 * 60_000 });

const value = "s3cret-plaintext-Zq81";
const manifest = [
  "apiVersion: v1",
  "kind: Secret",
  "metadata:",
  "  name: db",
  "  annotations:",
  "    pledge.dev/secret-digest: d1",
  "data:",
  `  password: ${Buffer.from(value).toString("base64")}`,
  "stringData:",
  `  url: postgres://app:${value}@db`,
  "",
].join("\n");

const scratch = mkdtempSync(join(tmpdir(), "pledge-sops-test-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `work` with PLEDGE_SOPS set to `binary`, restoring it afterwards. */
async function withSops<T>(binary: string, work: () => Promise<T>): Promise<T> {
  const saved = process.env.PLEDGE_SOPS;
  process.env.PLEDGE_SOPS = binary;
  try {
    return await work();
  } finally {
    if (saved === undefined) delete process.env.PLEDGE_SOPS;
    else process.env.PLEDGE_SOPS = saved;
  }
}

describe("encryptSecretManifest", () => {
  it("encrypts data and stringData for the recipient, keeps metadata readable, and decrypts with the identity", async () => {
    const identity = await generateIdentity();
    const encrypted = await encryptSecretManifest(manifest, await identityToRecipient(identity));
    assert.ok(!encrypted.includes(value) && !encrypted.includes(Buffer.from(value).toString("base64")));
    assert.match(encrypted, /password: ENC\[AES256_GCM,/);
    assert.equal(secretDigestOf(encrypted), "d1", "the digest annotation stays readable");
    const decrypted = decryptWithIdentity(encrypted, identity);
    assert.match(decrypted, new RegExp(`url: postgres://app:${value}@db`));
  });

  it("hands the plaintext to sops through stdin, never as an argument or a file", async () => {
    const fake = join(scratch, "fake-sops");
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > "${scratch}/argv"\ncat > "${scratch}/stdin"\necho encrypted\n`);
    chmodSync(fake, 0o755);
    assert.equal(await withSops(fake, () => encryptSecretManifest(manifest, "age1xyz")), "encrypted\n");
    assert.deepEqual(readFileSync(join(scratch, "argv"), "utf8").trim().split("\n"), [
      "--config",
      "/dev/null",
      "encrypt",
      "--age",
      "age1xyz",
      "--encrypted-regex",
      "^(data|stringData)$",
      "--input-type",
      "yaml",
      "--output-type",
      "yaml",
      "--filename-override",
      "secret.yaml",
    ]);
    assert.equal(readFileSync(join(scratch, "stdin"), "utf8"), manifest);
  });

  it("says how to install sops when it is missing", async () => {
    await assert.rejects(
      withSops(join(scratch, "no-such-sops"), () => encryptSecretManifest(manifest, "age1xyz")),
      /sops was not found \(looked for .*no-such-sops\): install sops 3\.9 or later .* or set PLEDGE_SOPS to its path/,
    );
  });

  it("reports a failing sops without the plaintext", async () => {
    const fake = join(scratch, "failing-sops");
    writeFileSync(fake, `#!/bin/sh\ncat >/dev/null\necho "cannot parse: url: postgres://app:${value}@db" >&2\nexit 1\n`);
    chmodSync(fake, 0o755);
    await assert.rejects(
      withSops(fake, () => encryptSecretManifest(manifest, "age1xyz")),
      (err: Error) =>
        /^sops could not encrypt a Secret for age1xyz: cannot parse/.test(err.message) && !err.message.includes(value),
    );
  });
});
