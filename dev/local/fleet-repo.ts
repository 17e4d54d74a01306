// A working copy of the fleet's Git repository for tests and benchmarks,
// pushing as the writer (isomorphic-git, credentials passed in memory: the
// password is in no command line, URL or log line).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as fs from "node:fs";
import { dirname, join } from "node:path";
import git from "isomorphic-git";
import http from "isomorphic-git/http/node";

export interface FleetRepoAccess {
  url: string;
  branch: string;
  writer: { username: string; passwordFile: string };
}

const author = { name: "pledge tests", email: "tests@pledge.invalid" };

export class FleetRepoClone {
  private constructor(
    readonly dir: string,
    private readonly access: FleetRepoAccess,
  ) {}

  private get auth() {
    const password = readFileSync(this.access.writer.passwordFile, "utf8").trim();
    return { http, onAuth: () => ({ username: this.access.writer.username, password }) };
  }

  /** Clones the branch into dir (shallow: only its tip matters). */
  static async clone(access: FleetRepoAccess, dir: string): Promise<FleetRepoClone> {
    const clone = new FleetRepoClone(dir, access);
    await git.clone({ fs, dir, url: access.url, ref: access.branch, singleBranch: true, depth: 1, ...clone.auth });
    return clone;
  }

  write(path: string, content: string): void {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), content);
  }

  remove(path: string): void {
    rmSync(join(this.dir, path));
  }

  /** Stages every change (new, changed and removed files), commits and pushes; returns the commit. */
  async commitAndPush(message: string): Promise<string> {
    const status = await git.statusMatrix({ fs, dir: this.dir });
    for (const [file, head, workdir, stage] of status) {
      if (head === 1 && workdir === 1 && stage === 1) continue; // unchanged
      if (workdir === 0) await git.remove({ fs, dir: this.dir, filepath: file });
      else await git.add({ fs, dir: this.dir, filepath: file });
    }
    const commit = await git.commit({ fs, dir: this.dir, message, author });
    const pushed = await git.push({ fs, dir: this.dir, remote: "origin", ref: this.access.branch, ...this.auth });
    if (!pushed.ok) throw new Error(`push of ${commit} refused: ${JSON.stringify(pushed.refs)}`);
    return commit;
  }
}
