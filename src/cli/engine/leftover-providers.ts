// Provider processes a killed update left behind. The engine starts each
// provider plugin in a process group of its own, so a kill -9 of an update
// leaves them running (for as long as nobody stops them). The provider's
// launcher that Pledge's setup installs records each one when it starts, by
// pid, start time and the engine that started it ($PLEDGE_PROVIDER_PIDS, see
// tools/lib/setup.mjs); `pledge up` stops the ones whose engine is gone. A
// process is only ever found by its record and recognised by its start time,
// never by name, so a pid the system gave to another process is left alone.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

/** The environment variable naming the directory of provider records. */
export const providerRecordsEnv = "PLEDGE_PROVIDER_PIDS";

/** One record: `<pid> <start time> <engine pid> <engine start time>` (start times in clock ticks since boot). */
export interface ProviderRecord {
  pid: number;
  start: string;
  engine: number;
  engineStart: string;
}

export function parseProviderRecord(text: string): ProviderRecord | undefined {
  const [pid, start, engine, engineStart] = text.trim().split(/\s+/);
  if (!pid || !start || !engine || !engineStart || !/^\d+$/.test(pid) || !/^\d+$/.test(engine)) return undefined;
  return { pid: Number(pid), start, engine: Number(engine), engineStart };
}

/** What to do with a record: the process is gone (drop the record), its engine still runs it (keep), or it is left over (stop it). */
export type RecordVerdict = "gone" | "in use" | "left over";

/** Pure: `startOf(pid)` is the running process's start time, undefined when no process has that pid. */
export function judgeRecord(record: ProviderRecord, startOf: (pid: number) => string | undefined): RecordVerdict {
  if (startOf(record.pid) !== record.start) return "gone";
  return startOf(record.engine) === record.engineStart ? "in use" : "left over";
}

/**
 * A running process's start time from /proc/<pid>/stat (field 22, after the
 * command name in parentheses); undefined when there is none, or only a
 * zombie waiting for a parent that does not reap it (it runs no more).
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] === "Z" || fields[0] === "X" ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops the provider processes whose update is gone (SIGTERM, then SIGKILL
 * after `graceMs`), drops the records of processes that ended, and returns
 * the pids it stopped. Without a records directory (a Pulumi that Pledge's
 * setup did not install), there is nothing to do.
 */
export async function stopLeftoverProviders(dir = process.env[providerRecordsEnv], graceMs = 5_000): Promise<number[]> {
  if (!dir) return [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const leftOver: ProviderRecord[] = [];
  for (const name of names) {
    let record: ProviderRecord | undefined;
    try {
      record = parseProviderRecord(readFileSync(join(dir, name), "utf8"));
    } catch {
      continue; // dropped by a sweep running beside this one
    }
    const verdict = record ? judgeRecord(record, processStart) : "gone";
    if (verdict === "gone") rmSync(join(dir, name), { force: true });
    else if (verdict === "left over") leftOver.push(record!);
  }
  const alive = (r: ProviderRecord) => processStart(r.pid) === r.start;
  const signal = (r: ProviderRecord, sig: NodeJS.Signals) => {
    try {
      if (alive(r)) process.kill(r.pid, sig);
    } catch {
      // ended between the check and the signal
    }
  };
  for (const r of leftOver) signal(r, "SIGTERM");
  for (const deadline = Date.now() + graceMs; leftOver.some(alive) && Date.now() < deadline;) await sleep(100);
  for (const r of leftOver) signal(r, "SIGKILL");
  for (const deadline = Date.now() + graceMs; leftOver.some(alive) && Date.now() < deadline;) await sleep(50);
  for (const r of leftOver) if (!alive(r)) rmSync(join(dir, String(r.pid)), { force: true });
  return leftOver.filter((r) => !alive(r)).map((r) => r.pid);
}
