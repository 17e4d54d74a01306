// Whether a state store answers, and the head of its branch, asked before an
// update (as an API server is probed): a store that is down makes its clusters
// unreachable for the run, and their directories are held as they are.
import * as git from "isomorphic-git";
import http from "isomorphic-git/http/node";
import { storeError, StoreUnreachableError } from "./store-errors";

export interface StoreLocation {
  name: string;
  url: string;
  branch: string;
  credentials?: { username: string; password: string };
}

/** `reason` says which store, where and what to fix (src/delivery/store-errors.ts). */
export type StoreProbe = { ok: true; head: string | undefined } | { ok: false; reason: string };

/** Lists the store's refs (one small request); never writes, never clones. */
export async function probeStore(store: StoreLocation, timeoutMs = 5_000): Promise<StoreProbe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<StoreProbe>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, reason: new StoreUnreachableError(store.name, store.url, "timed out").message }),
      timeoutMs,
    );
  });
  const ask = git
    .listServerRefs({
      http,
      url: store.url,
      prefix: `refs/heads/${store.branch}`,
      onAuth: () => store.credentials ?? {},
    })
    .then(
      (refs): StoreProbe => ({ ok: true, head: refs.find((r) => r.ref === `refs/heads/${store.branch}`)?.oid }),
      (err: unknown): StoreProbe => {
        const known = storeError({ ...store, ...(store.credentials ? { username: store.credentials.username } : {}) }, err);
        return { ok: false, reason: known instanceof Error ? known.message : String(known) };
      },
    );
  try {
    return await Promise.race([ask, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
