// A stack's fingerprint: one digest of everything an update would register
// (every planned object with its dependencies, what charts and YAML files
// bring, the clusters and their credentials, the stack outputs) and of the code
// that registers it. The program returns it as a stack output; `pledge up`
// computes it again before the engine starts, and when it matches the last
// update's and the clusters show no drift, there is nothing to do and the
// engine is not run. An HMAC keyed by the stack's secret seed, so the digest of
// Secrets' data and kubeconfigs reveals nothing.
import { createHmac } from "node:crypto";
import { compareText } from "../labels/ordering";

/** JSON with object keys sorted, Maps as sorted entries: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  const seen = (v: unknown): unknown => {
    if (v instanceof Map)
      return [...v.entries()].map(([k, x]) => [k, seen(x)]).sort(([a], [b]) => compareText(String(a), String(b)));
    if (Array.isArray(v)) return v.map(seen);
    if (typeof v === "object" && v !== null)
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, seen((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(seen(value));
}

export function stackFingerprint(seed: string | undefined, parts: Record<string, unknown>): string {
  return createHmac("sha256", seed ?? "pledge-fingerprint")
    .update(canonicalJson(parts))
    .digest("hex");
}
