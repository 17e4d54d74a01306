// The local Git server as a daemon: `node --import tsx git-server-main.ts <dir> <port>`.
// <dir>/users.json (0600, written by the fleet) holds the users; <dir>/repos the bare repositories.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startGitServer, type GitUser } from "./git-server";

const [dir, port] = process.argv.slice(2);
if (!dir || !port) {
  process.stderr.write("usage: git-server-main.ts <dir> <port>\n");
  process.exit(2);
}
const users = JSON.parse(readFileSync(join(dir, "users.json"), "utf8")) as GitUser[];
startGitServer({ root: join(dir, "repos"), users }, Number(port)).then(
  () => process.stderr.write(`serving ${join(dir, "repos")} on http://127.0.0.1:${port}\n`),
  (err: unknown) => {
    process.stderr.write(`git server: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
