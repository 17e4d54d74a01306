// The fleet's Git server (dev/local/fleet-git.ts) as the fleet runs it: a
// daemon tracked by pid, users generated once into 0600 files, the writer
// pushing and the reader only fetching; and the cluster paths Flux needs
// seeded in one commit, only when missing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import git from "isomorphic-git";
import http from "isomorphic-git/http/node";
import {
  bareRepositoryDir,
  ensureClusterPaths,
  ensureFleetGitServer,
  gitUrl,
  isGitServerRunning,
  newFleetGitRecord,
  readerCredentials,
  stopFleetGitServer,
  usersFile,
  writerPasswordFile,
  type FleetGitRecord,
} from "../../../../dev/local/fleet-git";
import { FleetRepoClone } from "../../../../dev/local/fleet-repo";

const commits = (record: FleetGitRecord) =>
  spawnSync("git", ["-C", bareRepositoryDir(record), "rev-list", "--count", "main"], { encoding: "utf8" }).stdout.trim();
const files = (record: FleetGitRecord) =>
  spawnSync("git", ["-C", bareRepositoryDir(record), "ls-tree", "-r", "--name-only", "main"], { encoding: "utf8" })
    .stdout.trim()
    .split("\n");

describe("the fleet's Git server", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-fleet-git-test-"));
  let record: FleetGitRecord;

  before(async () => {
    record = await newFleetGitRecord(dir);
    await ensureFleetGitServer(record, () => {});
  });

  after(async () => {
    await stopFleetGitServer(record);
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs as a daemon whose command line names its directory, with its users in 0600 files", () => {
    assert.ok(isGitServerRunning(record));
    assert.ok(readFileSync(`/proc/${record.pid}/cmdline`, "utf8").includes(record.dir));
    assert.equal(statSync(usersFile(record)).mode & 0o777, 0o600);
    assert.equal(statSync(writerPasswordFile(record)).mode & 0o777, 0o600);
  });

  it("seeds dependencies/ and resources/ of each cluster path in one commit, and nothing when they exist", () => {
    ensureClusterPaths(record, ["clusters/local-1", "clusters/local-2"]);
    assert.equal(commits(record), "1");
    ensureClusterPaths(record, ["clusters/local-1", "clusters/local-2"]);
    assert.equal(commits(record), "1", "no second commit");
    ensureClusterPaths(record, ["clusters/local-1", "clusters/local-3"]);
    assert.equal(commits(record), "2");
    assert.deepEqual(files(record), [
      "clusters/local-1/dependencies/.keep",
      "clusters/local-1/resources/.keep",
      "clusters/local-2/dependencies/.keep",
      "clusters/local-2/resources/.keep",
      "clusters/local-3/dependencies/.keep",
      "clusters/local-3/resources/.keep",
    ]);
  });

  it("lets the writer push and the reader fetch, but not push", async () => {
    const access = {
      url: gitUrl(record),
      branch: "main",
      writer: { username: "pledge", passwordFile: writerPasswordFile(record) },
    };
    const writer = await FleetRepoClone.clone(access, join(dir, "writer-clone"));
    writer.write("clusters/local-1/resources/a.yaml", "kind: ConfigMap\n");
    const commit = await writer.commitAndPush("a file");
    assert.equal(
      spawnSync("git", ["-C", bareRepositoryDir(record), "rev-parse", "main"], { encoding: "utf8" }).stdout.trim(),
      commit,
    );

    const reader = readerCredentials(record);
    const readerDir = join(dir, "reader-clone");
    const onAuth = () => reader;
    await git.clone({ fs, http, dir: readerDir, url: gitUrl(record), ref: "main", singleBranch: true, onAuth });
    assert.equal(readFileSync(join(readerDir, "clusters/local-1/resources/a.yaml"), "utf8"), "kind: ConfigMap\n");
    fs.writeFileSync(join(readerDir, "b.yaml"), "x: 1\n");
    await git.add({ fs, dir: readerDir, filepath: "b.yaml" });
    await git.commit({ fs, dir: readerDir, message: "b", author: { name: "r", email: "r@x.invalid" } });
    await assert.rejects(git.push({ fs, http, dir: readerDir, remote: "origin", ref: "main", onAuth }), /403/);
  });

  it("stops by pid", async () => {
    const pid = record.pid;
    await stopFleetGitServer(record);
    assert.equal(isGitServerRunning({ ...record, pid }), false);
  });
});
