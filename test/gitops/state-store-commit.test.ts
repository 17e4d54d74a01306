// A Git state store written by the real engine through the StateStoreCommit
// dynamic resource: the preview says which files would change in Git (also
// after a hand edit there), an update is one commit or none, Secrets reach Git
// only as SOPS ciphertext and keep it while unchanged, a lost push race is
// redone, and a store that is gone fails the update by name.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { generateIdentity, identityToRecipient } from "age-encryption";
import type { DesiredFile } from "../../src/gitops/store-inputs";
import { StateStoreCommit } from "../../src/pulumi/state-store-commit";
import { decryptWithIdentity, sopsReady } from "../sops-fixture";
import { backendText, repoRoot } from "../e2e/harness";
import { commitsOf, filesOf, pushByHand, raceNextPushes, startGitFixture, writer, type GitFixture } from "../git-fixture";

// sops comes with Git delivery's toolset, built in the background of a test run.
before(sopsReady, { timeout: 60 * 60_000 });

const password = "hunter2-plaintext-9Qx";
const secretYaml = (value: string, digest: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: team-a\n  annotations:\n    pledge.dev/secret-digest: ${digest}\nstringData:\n  password: ${value}\n`;
const configMap = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  value: "${value}"\n`;

let fixture: GitFixture;
let bare: string;
let url: string;
let identity: string;
let recipient: string;
let stack: Stack;
let workDir: string;
let backendDir: string;
let files: Record<string, DesiredFile> = {};

const program = async () => {
  const commit = new StateStoreCommit("fleet", {
    store: { name: "fleet", url, branch: "main" },
    credentials: pulumi.secret({ username: writer.name, password: writer.password }),
    prefixes: { "clusters/edge-1": { cluster: "edge-1", ageRecipient: recipient } },
    files: pulumi.secret(files),
    held: [],
    message: "pledge up",
  });
  return { commit: commit.commit };
};

/** The preview's step for the resource: its op and the files its detailed diff names. */
async function previewOfStore(): Promise<{ op?: string; files: string[]; changes: Record<string, number> }> {
  const events: EngineEvent[] = [];
  const result = await stack.preview({ onEvent: (e) => events.push(e), diff: true });
  const step = events.map((e) => e.resourcePreEvent?.metadata).find((m) => m?.type.endsWith("StateStoreCommit"));
  return { op: step?.op, files: Object.keys(step?.detailedDiff ?? {}).sort(), changes: result.changeSummary };
}

const decrypt = (text: string) => decryptWithIdentity(text, identity);

before(async () => {
  fixture = await startGitFixture();
  ({ bare, url } = fixture.store("fleet"));
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
  // The engine starts the dynamic provider host here; it finds @pulumi/pulumi through node_modules.
  workDir = mkdtempSync(join(tmpdir(), "pledge-store-e2e-"));
  symlinkSync(join(repoRoot, "node_modules"), join(workDir, "node_modules"));
  writeFileSync(join(workDir, "package.json"), JSON.stringify({ name: "pledge-store-e2e", private: true }));
  backendDir = mkdtempSync(join(tmpdir(), "pledge-backend-"));
  stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "test", projectName: "store-e2e", program },
    { workDir, envVars: { PULUMI_BACKEND_URL: `file://${backendDir}`, PULUMI_CONFIG_PASSPHRASE: "e2e" } },
  );
});

after(async () => {
  await fixture.close();
  rmSync(workDir, { recursive: true, force: true });
  rmSync(backendDir, { recursive: true, force: true });
});

describe("StateStoreCommit under the engine", { timeout: 600_000 }, () => {
  it("the first up writes every file in one commit, the Secret as SOPS ciphertext that decrypts", async () => {
    pushByHand(bare, { "README.md": "not Pledge's\n" });
    files = {
      "clusters/edge-1/resources/app.yaml": { text: configMap("v1") },
      "clusters/edge-1/resources/extra.yaml": { text: configMap("extra") },
      "clusters/edge-1/resources/db-secret.yaml": { secret: secretYaml(password, "d1"), digest: "d1", ageRecipient: recipient },
    };
    await stack.up();
    assert.equal(commitsOf(bare).length, 2);
    const inGit = filesOf(bare);
    assert.equal(inGit.get("clusters/edge-1/resources/app.yaml"), configMap("v1"));
    const secret = inGit.get("clusters/edge-1/resources/db-secret.yaml")!;
    assert.match(secret, /ENC\[AES256_GCM/);
    assert.ok(!secret.includes(password));
    assert.match(decrypt(secret), new RegExp(`password: ${password}`));
  });

  it("an up with the same inputs commits nothing, and the preview reports no changes", async () => {
    const secretBefore = filesOf(bare).get("clusters/edge-1/resources/db-secret.yaml");
    const preview = await previewOfStore();
    assert.equal(preview.op, "same");
    await stack.up();
    assert.equal(commitsOf(bare).length, 2);
    assert.equal(filesOf(bare).get("clusters/edge-1/resources/db-secret.yaml"), secretBefore, "the Secret keeps its ciphertext");
  });

  it("changing one file shows exactly that file in the preview and makes one commit", async () => {
    files = { ...files, "clusters/edge-1/resources/app.yaml": { text: configMap("v2") } };
    const preview = await previewOfStore();
    assert.deepEqual([preview.op, preview.files], ["update", ['files["clusters/edge-1/resources/app.yaml"]']]);
    await stack.up();
    assert.equal(commitsOf(bare).length, 3);
    assert.equal(filesOf(bare).get("clusters/edge-1/resources/app.yaml"), configMap("v2"));
  });

  it("removing a file deletes it in Git", async () => {
    const { ["clusters/edge-1/resources/extra.yaml"]: _gone, ...rest } = files;
    files = rest;
    await stack.up();
    assert.equal(filesOf(bare).has("clusters/edge-1/resources/extra.yaml"), false);
  });

  it("a hand-pushed edit to an owned file is drift: the preview shows it and up reverts it, leaving other files be", async () => {
    pushByHand(bare, { "clusters/edge-1/resources/app.yaml": configMap("by hand"), "apps/other.yaml": "someone else's\n" });
    const preview = await previewOfStore();
    assert.deepEqual([preview.op, preview.files], ["update", ['files["clusters/edge-1/resources/app.yaml"]']]);
    await stack.up();
    const inGit = filesOf(bare);
    assert.equal(inGit.get("clusters/edge-1/resources/app.yaml"), configMap("v2"));
    assert.equal(inGit.get("apps/other.yaml"), "someone else's\n");
    assert.equal(inGit.get("README.md"), "not Pledge's\n");
  });

  it("a push that loses a race between the diff and the update is redone on the new head", async () => {
    raceNextPushes(fixture, bare, 1, () => ({ "apps/racer.yaml": "raced\n" }));
    files = { ...files, "clusters/edge-1/resources/app.yaml": { text: configMap("v3") } };
    await stack.up();
    const inGit = filesOf(bare);
    assert.equal(inGit.get("clusters/edge-1/resources/app.yaml"), configMap("v3"));
    assert.equal(inGit.get("apps/racer.yaml"), "raced\n");
  });

  it("neither the Git history nor the state holds the Secret's plaintext, its base64 or the store's password", async () => {
    const clone = mkdtempSync(join(tmpdir(), "pledge-clone-"));
    try {
      execFileSync("git", ["clone", "--quiet", bare, clone]);
      const history = execFileSync("git", ["-C", clone, "log", "-p", "--all"], { encoding: "utf8" });
      const state = backendText(backendDir);
      for (const leak of [password, Buffer.from(password).toString("base64"), writer.password]) {
        assert.ok(!history.includes(leak), `${leak} is in Git's history`);
        assert.ok(!state.includes(leak), `${leak} is in the state`);
      }
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it("destroy removes everything under the owned prefix in one commit", async () => {
    const before = commitsOf(bare).length;
    await stack.destroy();
    assert.equal(commitsOf(bare).length, before + 1);
    assert.deepEqual([...filesOf(bare).keys()].sort(), ["README.md", "apps/other.yaml", "apps/racer.yaml"]);
  });

  it("with the Git server gone, up fails naming the store", async () => {
    await fixture.close();
    await assert.rejects(stack.up(), /state store fleet \(http:\/\/127\.0\.0\.1:\d+\/fleet\.git\) cannot be reached/);
  });
});
