// Stable encryption, as rules: a Secret's file in Git stays byte for byte when
// it is SOPS-encrypted for the cluster's recipient and carries the digest of
// the same plaintext; anything else is encrypted anew.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keepsCiphertext, resolveDesiredFiles, secretDigestOf } from "../../../src/gitops/secret-files";

const recipient = "age1recipient";
const sopsFile = (digest: string, to = recipient, mac: string | null = "ENC[AES256_GCM,data:mac]") =>
  [
    "apiVersion: v1",
    "kind: Secret",
    "metadata:",
    "  name: db",
    "  annotations:",
    `    pledge.dev/secret-digest: ${digest}`,
    "data:",
    "  password: ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]",
    "sops:",
    "  age:",
    `    - recipient: ${to}`,
    "      enc: key",
    ...(mac === null ? [] : [`  mac: ${mac}`]),
    "",
  ].join("\n");

describe("secretDigestOf", () => {
  it("reads the annotation, and nothing from a file without one or that is no YAML", () => {
    assert.equal(secretDigestOf(sopsFile("d1")), "d1");
    assert.equal(secretDigestOf("kind: Secret\nmetadata: {name: x}\n"), undefined);
    assert.equal(secretDigestOf("{{ not yaml"), undefined);
  });
});

describe("keepsCiphertext", () => {
  const table: [string, string | undefined, boolean][] = [
    ["the same digest, encrypted for the recipient", sopsFile("d1"), true],
    ["no file in Git yet", undefined, false],
    ["another digest (the plaintext changed)", sopsFile("d2"), false],
    ["encrypted for another recipient (the cluster's key changed)", sopsFile("d1", "age1other"), false],
    ["SOPS metadata without its MAC (a broken file)", sopsFile("d1", recipient, null), false],
    [
      "the digest but no SOPS metadata (plaintext pushed by hand)",
      "kind: Secret\nmetadata:\n  annotations:\n    pledge.dev/secret-digest: d1\n",
      false,
    ],
  ];
  for (const [what, current, keep] of table)
    it(`${keep ? "keeps" : "re-encrypts"} when ${what}`, () => assert.equal(keepsCiphertext(current, "d1", recipient), keep));
});

describe("resolveDesiredFiles", () => {
  it("passes texts through, keeps unchanged Secrets' ciphertext and lists the rest for encryption", () => {
    const current = new Map([
      ["c/kept.yaml", sopsFile("d1")],
      ["c/changed.yaml", sopsFile("old")],
    ]);
    const resolved = resolveDesiredFiles(
      {
        "c/plain.yaml": { text: "kind: ConfigMap\n" },
        "c/kept.yaml": { secret: "plaintext-1", digest: "d1", ageRecipient: recipient },
        "c/changed.yaml": { secret: "plaintext-2", digest: "d2", ageRecipient: recipient },
        "c/new.yaml": { secret: "plaintext-3", digest: "d3", ageRecipient: recipient },
      },
      current,
    );
    assert.deepEqual(
      resolved.texts,
      new Map([
        ["c/plain.yaml", "kind: ConfigMap\n"],
        ["c/kept.yaml", sopsFile("d1")],
      ]),
    );
    assert.deepEqual(resolved.toEncrypt, [
      { path: "c/changed.yaml", secret: "plaintext-2", ageRecipient: recipient },
      { path: "c/new.yaml", secret: "plaintext-3", ageRecipient: recipient },
    ]);
  });
});
