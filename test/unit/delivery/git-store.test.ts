// A state store as Flux reads it: after a write, each owned prefix holds
// exactly the desired files, in one commit, and nothing else in the repository
// moved. Against a real Git smart-HTTP server and the git CLI.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { after, before, describe, it } from "node:test";
import { readStoreFiles, writeStoreFiles, type GitStoreAccess } from "../../../src/delivery/git-store";
import { StoreAuthenticationError, StoreUnreachableError } from "../../../src/delivery/store-errors";
import {
  commitsOf,
  filesOf,
  pushByHand,
  raceNextPushes,
  reader,
  startGitFixture,
  writer,
  type GitFixture,
} from "../../git-fixture";

const author = { name: "pledge", email: "pledge@example.com" };
const write = (prefixes: string[], files: Record<string, string>, message = "render") => ({
  prefixes,
  files: new Map(Object.entries(files)),
  message,
  author,
});
const leftoverDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith("pledge-store-"));

let fixture: GitFixture;
before(async () => {
  fixture = await startGitFixture();
});
after(async () => fixture.close());

describe("readStoreFiles", () => {
  it("reads an empty repository, and a branch not made yet, as no head and no files", async () => {
    const store = fixture.store("empty");
    assert.deepEqual(await readStoreFiles(store, ["clusters/a"]), { head: undefined, files: new Map() });
    pushByHand(store.bare, { "README.md": "hi\n" });
    assert.deepEqual(await readStoreFiles({ ...store, branch: "flux" }, ["clusters/a"]), { head: undefined, files: new Map() });
  });

  it("returns the files under the prefixes only, by path from the repository root", async () => {
    const store = fixture.store("read");
    const head = pushByHand(store.bare, {
      "clusters/a/resources/x.yaml": "x\n",
      "clusters/a/dependencies/deep/y.yaml": "y\n",
      "clusters/ab/z.yaml": "not under clusters/a\n",
      "README.md": "outside\n",
    });
    const read = await readStoreFiles(store, ["clusters/a"]);
    assert.equal(read.head, head);
    assert.deepEqual(
      read.files,
      new Map([
        ["clusters/a/dependencies/deep/y.yaml", "y\n"],
        ["clusters/a/resources/x.yaml", "x\n"],
      ]),
    );
  });
});

describe("writeStoreFiles", () => {
  it("creates the branch on an empty repository with one commit holding the files", async () => {
    const store = fixture.store("first");
    const result = await writeStoreFiles(
      store,
      write(["clusters/a"], { "clusters/a/x.yaml": "x\n", "clusters/a/sub/y.yaml": "y\n" }),
    );
    assert.deepEqual(commitsOf(store.bare), [result.commit]);
    assert.deepEqual(result, {
      commit: result.commit,
      committed: true,
      added: ["clusters/a/sub/y.yaml", "clusters/a/x.yaml"],
      changed: [],
      removed: [],
    });
    assert.deepEqual(
      filesOf(store.bare),
      new Map([
        ["clusters/a/sub/y.yaml", "y\n"],
        ["clusters/a/x.yaml", "x\n"],
      ]),
    );
  });

  it("commits nothing when the store already holds the files", async () => {
    const store = fixture.store("same");
    const first = await writeStoreFiles(store, write(["clusters/a"], { "clusters/a/x.yaml": "x\n" }));
    const second = await writeStoreFiles(store, write(["clusters/a"], { "clusters/a/x.yaml": "x\n" }));
    assert.deepEqual(second, { commit: first.commit, committed: false, added: [], changed: [], removed: [] });
    assert.equal(commitsOf(store.bare).length, 1);
  });

  it("adds, changes and removes under every owned prefix in one commit, and touches nothing outside them", async () => {
    const store = fixture.store("owned");
    pushByHand(store.bare, {
      "clusters/a/old.yaml": "old\n",
      "clusters/a/keep.yaml": "v1\n",
      "clusters/b/gone.yaml": "gone\n",
      "clusters/ab/other.yaml": "someone else's\n",
      "README.md": "hand-written\n",
    });
    const result = await writeStoreFiles(
      store,
      write(["clusters/a", "clusters/b/"], { "clusters/a/keep.yaml": "v2\n", "clusters/a/new.yaml": "new\n" }, "two clusters"),
    );
    assert.deepEqual(
      [result.added, result.changed, result.removed],
      [["clusters/a/new.yaml"], ["clusters/a/keep.yaml"], ["clusters/a/old.yaml", "clusters/b/gone.yaml"]],
    );
    assert.equal(commitsOf(store.bare).length, 2, "one commit for the whole write");
    assert.deepEqual(
      filesOf(store.bare),
      new Map([
        ["README.md", "hand-written\n"],
        ["clusters/a/keep.yaml", "v2\n"],
        ["clusters/a/new.yaml", "new\n"],
        ["clusters/ab/other.yaml", "someone else's\n"],
      ]),
    );
  });

  it("refuses a desired file outside the owned prefixes", async () => {
    const store = fixture.store("stray");
    await assert.rejects(
      writeStoreFiles(store, write(["clusters/a"], { "clusters/ab/x.yaml": "x\n" })),
      /state store stray: clusters\/ab\/x.yaml lie outside the owned paths clusters\/a/,
    );
  });

  it("redoes a write on the new head when someone else pushed first, keeping their commit", async () => {
    const store = fixture.store("race");
    await writeStoreFiles(store, write(["clusters/a"], { "clusters/a/x.yaml": "x\n" }));
    raceNextPushes(fixture, store.bare, 1, () => ({ "clusters/b/theirs.yaml": "theirs\n", "clusters/a/x.yaml": "hand edit\n" }));
    const result = await writeStoreFiles(store, write(["clusters/a"], { "clusters/a/x.yaml": "x2\n" }));
    assert.equal(result.committed, true);
    assert.equal(commitsOf(store.bare)[0], result.commit);
    assert.equal(commitsOf(store.bare).length, 3, "the first write, their push, the redone write");
    assert.deepEqual(
      filesOf(store.bare),
      new Map([
        ["clusters/a/x.yaml", "x2\n"],
        ["clusters/b/theirs.yaml", "theirs\n"],
      ]),
    );
  });

  it("gives up with a clear error after 5 lost races", async () => {
    const store = fixture.store("busy");
    let n = 0;
    raceNextPushes(fixture, store.bare, 5, () => ({ [`elsewhere/${n++}.yaml`]: "busy\n" }));
    await assert.rejects(
      writeStoreFiles(store, write(["clusters/a"], { "clusters/a/x.yaml": "x\n" })),
      /state store busy \(http:\/\/127\.0\.0\.1:\d+\/busy\.git\): the push to main was rejected 5 times because the branch kept moving/,
    );
    assert.equal(filesOf(store.bare).has("clusters/a/x.yaml"), false);
  });
});

describe("store faults", () => {
  const noPassword = (err: unknown) => {
    const text = `${(err as Error).message}\n${(err as Error).stack}`;
    assert.ok(!text.includes(writer.password) && !text.includes(reader.password), "a password appears in the error");
  };

  it("a server that refuses connections is a StoreUnreachableError naming the store and its URL", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const store: GitStoreAccess = {
      name: "edge",
      url: `http://127.0.0.1:${port}/fleet.git`,
      branch: "main",
      username: writer.name,
      password: writer.password,
    };
    for (const attempt of [() => readStoreFiles(store, ["a"]), () => writeStoreFiles(store, write(["a"], { "a/x": "x" }))])
      await assert.rejects(attempt(), (err) => {
        assert.ok(err instanceof StoreUnreachableError);
        assert.equal(err.message, `state store edge (http://127.0.0.1:${port}/fleet.git) cannot be reached: ECONNREFUSED`);
        noPassword(err);
        return true;
      });
  });

  it("an unknown host is a StoreUnreachableError", async () => {
    const store: GitStoreAccess = { name: "edge", url: "http://no-such-host.invalid/fleet.git", branch: "main" };
    await assert.rejects(
      readStoreFiles(store, ["a"]),
      (err) => err instanceof StoreUnreachableError && /no-such-host\.invalid/.test(err.message),
    );
  });

  it("wrong, missing or read-only credentials say which credentials to fix, never the password", async () => {
    const store = fixture.store("auth");
    const cases: [Partial<GitStoreAccess>, RegExp][] = [
      [
        { password: "wrong" },
        /state store auth \(http:.*\/auth\.git\) rejected the username and password \(HTTP 401\); fix pledge:stateStores\[name=auth\]\.credentials/,
      ],
      [
        { username: undefined, password: undefined },
        /requires credentials and none were given \(HTTP 401\); fix pledge:stateStores\[name=auth\]\.credentials/,
      ],
      [
        { username: reader.name, password: reader.password },
        /refused access for these credentials \(HTTP 403\): they may read but not push/,
      ],
    ];
    for (const [change, message] of cases)
      await assert.rejects(writeStoreFiles({ ...store, ...change }, write(["a"], { "a/x": "x" })), (err) => {
        assert.ok(err instanceof StoreAuthenticationError, String(err));
        assert.match(err.message, message);
        noPassword(err);
        return true;
      });
  });

  it("leaves no temporary repository behind, after success or failure", async () => {
    const before = leftoverDirs();
    const store = fixture.store("tidy");
    await writeStoreFiles(store, write(["a"], { "a/x": "x" }));
    await readStoreFiles(store, ["a"]);
    await assert.rejects(writeStoreFiles({ ...store, password: "wrong" }, write(["a"], { "a/x": "y" })));
    assert.deepEqual(leftoverDirs(), before);
  });
});
