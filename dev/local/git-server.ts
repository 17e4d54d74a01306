// A Git server on loopback for the local fleet's Git-delivered clusters: Git's
// own smart-HTTP backend (`git http-backend`, shipped with git) behind Node's
// HTTP server, so nothing is downloaded. Two users with Basic auth: a writer
// (Pledge pushes) and a reader (Flux pulls; a push as the reader is refused).
// Run as a daemon by dev/local/git-server-main.ts, tracked by pid.
import { spawn, spawnSync } from "node:child_process";
import { timingSafeEqual } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";

export interface GitUser {
  name: string;
  password: string;
  /** May push (git-receive-pack); readers only fetch. */
  canPush: boolean;
}

export interface GitServerOptions {
  /** Directory holding bare repositories (`<name>.git`). */
  root: string;
  users: readonly GitUser[];
}

function gitExecPath(): string {
  const result = spawnSync("git", ["--exec-path"], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git --exec-path failed: ${result.stderr}`);
  return result.stdout.trim();
}

const equal = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function authenticatedUser(req: IncomingMessage, users: readonly GitUser[]): GitUser | undefined {
  const header = req.headers.authorization ?? "";
  if (!header.startsWith("Basic ")) return undefined;
  const decoded = Buffer.from(header.slice("Basic ".length), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const [name, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return users.find((u) => u.name === name && equal(u.password, password));
}

/** A push: the receive-pack advertisement or the pack itself. */
function isPush(url: URL): boolean {
  return url.pathname.endsWith("/git-receive-pack") || url.searchParams.get("service") === "git-receive-pack";
}

/** Creates a bare repository with `main` as its default branch, once. */
export function ensureBareRepository(root: string, name: string): string {
  const dir = join(root, `${name}.git`);
  if (!existsSync(dir)) {
    const result = spawnSync("git", ["init", "--quiet", "--bare", "--initial-branch=main", dir], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`git init --bare ${dir} failed: ${result.stderr}`);
  }
  return dir;
}

function respondWithCgi(res: ServerResponse, output: Buffer): void {
  // CGI: headers, a blank line, the body. git http-backend ends header lines with \r\n.
  let split = output.indexOf("\r\n\r\n");
  let gap = 4;
  if (split < 0) {
    split = output.indexOf("\n\n");
    gap = 2;
  }
  const head = output.subarray(0, Math.max(split, 0)).toString("utf8");
  let status = 200;
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]) || 500;
    else res.setHeader(name, value);
  }
  res.writeHead(status);
  res.end(split < 0 ? output : output.subarray(split + gap));
}

function handle(req: IncomingMessage, res: ServerResponse, options: GitServerOptions, execPath: string): void {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const user = authenticatedUser(req, options.users);
  if (!user) {
    res.writeHead(401, { "WWW-Authenticate": 'Basic realm="pledge-git"' }).end("authentication required\n");
    return;
  }
  if (isPush(url) && !user.canPush) {
    res.writeHead(403).end(`${user.name} may not push\n`);
    return;
  }
  const child = spawn(join(execPath, "git-http-backend"), [], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: options.root,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? "GET",
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      ...(req.headers["content-encoding"] ? { HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"]) } : {}),
      ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
      // Set only for writers: git http-backend enables receive-pack for an authenticated user.
      ...(user.canPush ? { REMOTE_USER: user.name } : {}),
      REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (d: Buffer) => out.push(d));
  child.stderr.on("data", (d: Buffer) => err.push(d));
  req.pipe(child.stdin);
  child.on("close", (code) => {
    if (code !== 0 && out.length === 0) {
      res.writeHead(500).end(`git http-backend failed: ${Buffer.concat(err).toString("utf8")}\n`);
      return;
    }
    respondWithCgi(res, Buffer.concat(out));
  });
}

/** Starts serving on 127.0.0.1:port (0: any free port); resolves once listening. */
export function startGitServer(options: GitServerOptions, port: number): Promise<Server> {
  const execPath = gitExecPath();
  const server = createServer((req, res) => handle(req, res, options, execPath));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
