// Asking a state store whether it answers, before an update (a real Git
// server on loopback): its branch's head when it does, and otherwise a reason
// naming the store and what to fix, never its password.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { probeStore } from "../../../src/delivery/store-probe";
import { pushByHand, startGitFixture, writer, type GitFixture } from "../../git-fixture";

let fixture: GitFixture;
before(async () => (fixture = await startGitFixture()));
after(async () => fixture.close());

const access = (name: string, password = writer.password) => {
  const { url } = fixture.store(name);
  return { name, url, branch: "main", credentials: { username: writer.name, password } };
};

it("answers with the branch's head, and with none for an empty repository", async () => {
  const { bare } = fixture.store("probed");
  const head = pushByHand(bare, { "a.yaml": "a: 1\n" });
  assert.deepEqual(await probeStore(access("probed")), { ok: true, head });
  assert.deepEqual(await probeStore(access("empty")), { ok: true, head: undefined });
});

it("names the store and the credentials to fix when they are refused, without the password", async () => {
  const probe = await probeStore(access("refused", "wrong-password-123"));
  assert.equal(probe.ok, false);
  assert.match(
    !probe.ok ? probe.reason : "",
    /state store refused \(http:\/\/127\.0\.0\.1:\d+\/refused\.git\) rejected the username and password \(HTTP 401\).*credentials/,
  );
  assert.doesNotMatch(!probe.ok ? probe.reason : "", /wrong-password-123/);
});

it("says a store that does not answer cannot be reached", async () => {
  const probe = await probeStore({ name: "away", url: "http://127.0.0.1:9/away.git", branch: "main" });
  assert.equal(probe.ok, false);
  assert.match(
    !probe.ok ? probe.reason : "",
    /state store away \(http:\/\/127\.0\.0\.1:9\/away\.git\) cannot be reached: ECONNREFUSED/,
  );
});
