// Provider processes a killed update left: found by their records, recognised by start time, stopped by pid.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  judgeRecord,
  parseProviderRecord,
  processStart,
  stopLeftoverProviders,
} from "../../../src/cli/engine/leftover-providers";

describe("judging a provider record", () => {
  const record = { pid: 10, start: "500", engine: 9, engineStart: "400" };
  const running = (table: Record<number, string>) => (pid: number) => table[pid];

  it("a provider whose engine still runs is in use", () => {
    assert.equal(judgeRecord(record, running({ 10: "500", 9: "400" })), "in use");
  });
  it("a provider whose engine is gone is left over", () => {
    assert.equal(judgeRecord(record, running({ 10: "500" })), "left over");
  });
  it("a provider whose engine's pid now belongs to another process is left over", () => {
    assert.equal(judgeRecord(record, running({ 10: "500", 9: "999" })), "left over");
  });
  it("a pid now used by another process is not the provider: the record is dropped", () => {
    assert.equal(judgeRecord(record, running({ 10: "777" })), "gone");
    assert.equal(judgeRecord(record, running({})), "gone");
  });
  it("reads the launcher's line and refuses anything else", () => {
    assert.deepEqual(parseProviderRecord("12 34 56 78\n"), { pid: 12, start: "34", engine: 56, engineStart: "78" });
    assert.equal(parseProviderRecord("12 34"), undefined);
    assert.equal(parseProviderRecord("x 34 56 78"), undefined);
  });
});

describe("stopping left-over providers", () => {
  it("stops a recorded process whose engine is gone, keeps one whose engine runs, drops stale records", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pledge-providers-"));
    const orphan = spawn("sleep", ["300"], { stdio: "ignore" });
    const kept = spawn("sleep", ["300"], { stdio: "ignore" });
    try {
      const start = (pid: number) => processStart(pid)!;
      // The orphan's "engine" is a pid with a start time no process has; the kept one's engine is this test.
      writeFileSync(join(dir, String(orphan.pid)), `${orphan.pid} ${start(orphan.pid!)} ${process.pid} 1\n`);
      writeFileSync(join(dir, String(kept.pid)), `${kept.pid} ${start(kept.pid!)} ${process.pid} ${start(process.pid)}\n`);
      writeFileSync(join(dir, "999999"), `999999 1 ${process.pid} ${start(process.pid)}\n`);
      const exited = new Promise((resolve) => orphan.on("exit", resolve));
      assert.deepEqual(await stopLeftoverProviders(dir, 2_000), [orphan.pid]);
      await exited;
      assert.equal(processStart(kept.pid!), start(kept.pid!), "the provider in use still runs");
      assert.deepEqual(readdirSync(dir).sort(), [String(kept.pid)]);
    } finally {
      orphan.kill("SIGKILL");
      kept.kill("SIGKILL");
    }
  });

  it("does nothing without a records directory", async () => {
    assert.deepEqual(await stopLeftoverProviders(undefined), []);
    assert.deepEqual(await stopLeftoverProviders(join(tmpdir(), "pledge-no-such-dir")), []);
  });
});
