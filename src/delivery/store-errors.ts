// What a person can act on when a state store fails: which store, where, and
// what to fix. Credentials never reach a message: they are not in the URL
// (isomorphic-git gets them through onAuth), and any user:password a URL was
// given anyway is cut out before it is printed.

/** Where a store is, for messages: its URL without any user information. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, "//");
  }
}

interface StoreName {
  name: string;
  url: string;
}

/** The store could not be reached at all (connection refused, unknown host, timeout): its files stay as they are. */
export class StoreUnreachableError extends Error {
  override readonly name = "StoreUnreachableError";
  constructor(
    readonly store: string,
    readonly url: string,
    reason: string,
  ) {
    super(`state store ${store} (${displayUrl(url)}) cannot be reached: ${reason}`);
  }
}

/** The store answered 401 or 403: the credentials are missing, wrong, or may not push. */
export class StoreAuthenticationError extends Error {
  override readonly name = "StoreAuthenticationError";
  constructor(
    readonly store: string,
    readonly url: string,
    status: number,
    hadCredentials: boolean,
  ) {
    const what =
      status === 403
        ? "refused access for these credentials (HTTP 403): they may read but not push, or not read this repository"
        : hadCredentials
          ? "rejected the username and password (HTTP 401)"
          : "requires credentials and none were given (HTTP 401)";
    super(
      `state store ${store} (${displayUrl(url)}) ${what}; fix pledge:stateStores[name=${store}].credentials ` +
        "(a username and password or token that may push to its branch)",
    );
  }
}

const unreachableCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
]);

/** isomorphic-git's and Node's errors as errors about this store; anything else is left as it is. */
export function storeError(store: StoreName & { username?: string }, err: unknown): unknown {
  const e = err as { code?: string; message?: string; data?: { statusCode?: number; statusMessage?: string } };
  if (e?.code === "HttpError" && (e.data?.statusCode === 401 || e.data?.statusCode === 403))
    return new StoreAuthenticationError(store.name, store.url, e.data.statusCode, store.username !== undefined);
  if (e?.code === "HttpError")
    return new Error(
      `state store ${store.name} (${displayUrl(store.url)}) answered HTTP ${e.data?.statusCode} ${e.data?.statusMessage ?? ""}`.trim(),
    );
  if ((e?.code && unreachableCodes.has(e.code)) || e?.message === "Request timed out")
    return new StoreUnreachableError(store.name, store.url, e.code ?? "no answer within 15 s");
  return err;
}
