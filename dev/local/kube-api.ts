// A minimal Kubernetes API client over HTTPS with bearer tokens: enough for the
// fleet's readiness checks and for tests that verify objects through the API
// servers themselves rather than through Pulumi outputs.
import { request } from "node:https";
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface KubeConnection {
  server: string;
  caPem: string;
  token: string;
}

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
}

export function kubeRequest<T = any>(
  conn: KubeConnection,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
): Promise<KubeResponse<T>> {
  const url = new URL(path, conn.server);
  const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        // A connection per request: Node keeps idle sockets alive, and an API server that closed one during a
        // long update answers its reuse with ECONNRESET ("socket hang up").
        agent: false,
        ca: conn.caPem,
        headers: {
          Authorization: `Bearer ${conn.token}`,
          Accept: "application/json",
          ...(payload === undefined ? {} : { "Content-Type": contentType, "Content-Length": Buffer.byteLength(payload) }),
        },
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // readyz and friends answer in plain text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Reads server, CA and token of the current context of a kubeconfig file. */
export function connectionFromKubeconfig(file: string): KubeConnection {
  const config = parse(readFileSync(file, "utf8"));
  const context = config.contexts.find((c: any) => c.name === config["current-context"])?.context;
  const cluster = config.clusters.find((c: any) => c.name === context?.cluster)?.cluster;
  const user = config.users.find((u: any) => u.name === context?.user)?.user;
  if (!cluster || !user?.token) throw new Error(`${file}: current context has no cluster or token`);
  return {
    server: cluster.server,
    caPem: Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8"),
    token: user.token,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Thrown by a check to stop waiting at once (the process being waited for has exited). */
export class FatalWaitError extends Error {}

/** Polls until check returns a value (not undefined) or the deadline passes; a FatalWaitError ends it at once. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      if (err instanceof FatalWaitError) throw err;
      lastError = err;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}${lastError ? ` (last error: ${lastError})` : ""}`,
  );
}
