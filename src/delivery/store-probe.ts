// Whether a state store answers, and the head of its branch, asked before an
// update (as an API server is probed): a store that is down makes its clusters
// unreachable for the run, and their directories are held as they are.
import * as git from "isomorphic-git";
import http from "isomorphic-git/http/node";

export interface StoreLocation {
  name: string;
  url: string;
  branch: string;
  credentials?: { username: string; password: string };
}

export type StoreProbe = { ok: true; head: string | undefined } | { ok: false; reason: string };

function reasonOf(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string }; data?: { statusCode?: number }; message?: string };
  const code = String(e.cause?.code ?? e.code ?? "");
  if (/ECONNREFUSED/.test(code)) return "connection refused";
  if (/ENOTFOUND|EAI_AGAIN/.test(code)) return "its address does not resolve";
  if (e.data?.statusCode === 401 || /401/.test(e.message ?? "")) return "credentials refused (401)";
  if (e.data?.statusCode === 403 || /403/.test(e.message ?? "")) return "credentials not allowed (403)";
  return (e.message ?? String(err)).split("\n")[0]!;
}

/** Lists the store's refs (one small request); never writes, never clones. */
export async function probeStore(store: StoreLocation, timeoutMs = 5_000): Promise<StoreProbe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<StoreProbe>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: "timed out" }), timeoutMs);
  });
  const ask = git
    .listServerRefs({
      http,
      url: store.url,
      prefix: `refs/heads/${store.branch}`,
      onAuth: () => store.credentials ?? {},
      onAuthFailure: () => ({ cancel: true }),
    })
    .then(
      (refs): StoreProbe => ({ ok: true, head: refs.find((r) => r.ref === `refs/heads/${store.branch}`)?.oid }),
      (err: unknown): StoreProbe => ({ ok: false, reason: reasonOf(err) }),
    );
  try {
    return await Promise.race([ask, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
