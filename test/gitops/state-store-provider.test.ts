// The state-store provider's rules, without the engine: its diff compares the
// desired files with Git as it is now (drift included, per file), unchanged
// Secrets keep their ciphertext, held prefixes are neither read nor written,
// a prefix given up is emptied, and delete empties what it owns.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { generateIdentity, identityToRecipient } from "age-encryption";
import { check, diff, remove, write, type StateStoreCommitState } from "../../src/delivery/state-store-provider";
import { StoreUnreachableError } from "../../src/delivery/store-errors";
import type { StateStoreCommitInputs } from "../../src/gitops/store-inputs";
import { commitsOf, filesOf, pushByHand, startGitFixture, writer, type GitFixture } from "../git-fixture";
import { decryptWithIdentity, sopsReady } from "../sops-fixture";

// sops comes with Git delivery's toolset, built in the background of a test run.
before(sopsReady, { timeout: 60 * 60_000 });

const secretYaml = (value: string, digest: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  annotations:\n    pledge.dev/secret-digest: ${digest}\nstringData:\n  password: ${value}\n`;

let fixture: GitFixture;
let identity: string;
let recipient: string;
before(async () => {
  fixture = await startGitFixture();
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
});
after(async () => fixture.close());

function inputsFor(name: string, files: StateStoreCommitInputs["files"], more: Partial<StateStoreCommitInputs> = {}) {
  const { bare, url } = fixture.store(name);
  const inputs: StateStoreCommitInputs = {
    store: { name, url, branch: "main" },
    credentials: { username: writer.name, password: writer.password },
    prefixes: { "clusters/a": { cluster: "a", ageRecipient: recipient }, "clusters/b": { cluster: "b" } },
    files,
    held: [],
    message: "pledge up",
    ...more,
  };
  return { bare, inputs };
}

const kinds = async (olds: StateStoreCommitState, news: StateStoreCommitInputs) => {
  const result = await diff(olds, news);
  return { changes: result.changes, files: Object.fromEntries(Object.entries(result.detailedDiff).map(([k, v]) => [k, v.kind])) };
};

describe("state-store provider", () => {
  it("diffs against Git as it is now: one entry per file, a hand edit included, nothing when Git matches", async () => {
    const { bare, inputs } = inputsFor("diff", { "clusters/a/x.yaml": { text: "x\n" }, "clusters/b/y.yaml": { text: "y\n" } });
    const state = await write(inputs);
    assert.deepEqual(await kinds(state, inputs), { changes: false, files: {} });
    pushByHand(bare, { "clusters/a/x.yaml": "edited\n", "clusters/b/extra.yaml": "added by hand\n", "other/z.yaml": "z\n" });
    const next = { ...inputs, files: { ...inputs.files, "clusters/a/new.yaml": { text: "new\n" } } };
    assert.deepEqual(await kinds(state, next), {
      changes: true,
      files: {
        'files["clusters/a/new.yaml"]': "add",
        'files["clusters/a/x.yaml"]': "update",
        'files["clusters/b/extra.yaml"]': "delete",
      },
    });
  });

  it("records the sha256 of each text written and the head", async () => {
    const { bare, inputs } = inputsFor("records", { "clusters/a/x.yaml": { text: "x\n" } });
    const state = await write(inputs);
    assert.equal(state.commit, commitsOf(bare)[0]);
    assert.deepEqual(state.files, { "clusters/a/x.yaml": createHash("sha256").update("x\n").digest("hex") });
  });

  it("encrypts a Secret, keeps its ciphertext while its digest stays, and encrypts anew when it changes", async () => {
    const secret = (value: string, digest: string) => ({ secret: secretYaml(value, digest), digest, ageRecipient: recipient });
    const { bare, inputs } = inputsFor("secrets", { "clusters/a/db.yaml": secret("first-value", "d1") });
    const state = await write(inputs);
    const first = filesOf(bare).get("clusters/a/db.yaml")!;
    assert.match(decryptWithIdentity(first, identity), /password: first-value/);
    assert.deepEqual(await kinds(state, inputs), { changes: false, files: {} });
    await write(inputs, state);
    assert.equal(commitsOf(bare).length, 1, "an unchanged Secret makes no commit");
    const changed = { ...inputs, files: { "clusters/a/db.yaml": secret("second-value", "d2") } };
    assert.deepEqual(await kinds(state, changed), { changes: true, files: { 'files["clusters/a/db.yaml"]': "update" } });
    await write(changed, state);
    assert.match(decryptWithIdentity(filesOf(bare).get("clusters/a/db.yaml")!, identity), /password: second-value/);
  });

  it("leaves held prefixes exactly as they are and keeps their records", async () => {
    const { bare, inputs } = inputsFor("held", { "clusters/a/x.yaml": { text: "x\n" }, "clusters/b/y.yaml": { text: "y\n" } });
    const state = await write(inputs);
    pushByHand(bare, { "clusters/b/y.yaml": "edited while b is unreachable\n" });
    const held = { ...inputs, held: ["clusters/b"], files: { "clusters/a/x.yaml": { text: "x2\n" } } };
    assert.deepEqual(await kinds(state, held), { changes: true, files: { 'files["clusters/a/x.yaml"]': "update" } });
    const next = await write(held, state);
    assert.equal(filesOf(bare).get("clusters/b/y.yaml"), "edited while b is unreachable\n");
    assert.equal(next.files["clusters/b/y.yaml"], state.files["clusters/b/y.yaml"]);
  });

  it("empties a prefix the inputs gave up, and delete empties every owned prefix, leaving other files", async () => {
    const { bare, inputs } = inputsFor("gone", { "clusters/a/x.yaml": { text: "x\n" }, "clusters/b/y.yaml": { text: "y\n" } });
    pushByHand(bare, { "README.md": "keep\n" });
    const state = await write(inputs);
    const onlyA = {
      ...inputs,
      prefixes: { "clusters/a": inputs.prefixes["clusters/a"]! },
      files: { "clusters/a/x.yaml": { text: "x\n" } },
    };
    assert.deepEqual(await kinds(state, onlyA), { changes: true, files: { 'files["clusters/b/y.yaml"]': "delete" } });
    const next = await write(onlyA, state);
    assert.deepEqual([...filesOf(bare).keys()], ["README.md", "clusters/a/x.yaml"]);
    await remove(next);
    assert.deepEqual([...filesOf(bare).keys()], ["README.md"]);
  });

  it("refuses a desired file that no owned prefix covers", () => {
    const { inputs } = inputsFor("check", { "clusters/a/x.yaml": { text: "x\n" }, "clusters/c/y.yaml": { text: "y\n" } });
    assert.deepEqual(check(inputs), [
      {
        property: 'files["clusters/c/y.yaml"]',
        reason: "clusters/c/y.yaml lies under none of the store's owned paths (clusters/a, clusters/b)",
      },
    ]);
  });

  it("reports a possible change, without reading Git, while the files are not known yet (a preview)", async () => {
    const { inputs } = inputsFor("unknown", { "clusters/a/x.yaml": { text: "x\n" } });
    const state = await write(inputs);
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the engine's placeholder for a value not known yet
    const news = { ...inputs, files: unknown as unknown as StateStoreCommitInputs["files"] };
    assert.deepEqual(await kinds(state, news), { changes: true, files: {} });
    assert.deepEqual(check(news), []);
  });

  it("does not ask the store at all when every directory is held (the store was found unreachable)", async () => {
    const { inputs } = inputsFor("all-held", { "clusters/a/x.yaml": { text: "x\n" } });
    const state = await write(inputs);
    // An address nothing answers: any read or write would fail.
    const away = {
      ...inputs,
      store: { ...inputs.store, url: "http://127.0.0.1:9/away.git" },
      held: ["clusters/a", "clusters/b"],
    };
    const olds = { ...state, store: away.store };
    assert.deepEqual(await kinds(olds, { ...away, files: {} }), { changes: false, files: {} });
    const kept = await write({ ...away, files: {} }, olds);
    assert.equal(kept.commit, state.commit);
    assert.deepEqual(kept.files, state.files, "the held directories' records stay");
  });

  it("fails the diff with the store's name when the store cannot be reached", async () => {
    const { inputs } = inputsFor("away", {});
    const state = await write(inputs);
    const away = { ...inputs, store: { ...inputs.store, url: "http://127.0.0.1:9/away.git" } };
    await assert.rejects(diff({ ...state, store: away.store }, away), StoreUnreachableError);
  });
});
