// Passwords a promise generates for a request (a database's, a cache's):
// derived from the stack's secret seed (pledge:secretSeed, a Pulumi secret)
// and the request, so every run gives the same one without storing it, and
// changing the seed rotates them all. They only ever go into Secrets, whose
// data Pledge keeps as Pulumi secrets. Pure.
import { createHmac } from "node:crypto";

/** How to get a secret seed, for every message that needs one. */
export const secretSeedHint =
  'pledge up sets one on first use; or: pulumi config set --secret pledge:secretSeed "$(openssl rand -base64 32)"';

export class SecretSeedMissing extends Error {
  readonly hint = secretSeedHint;
  constructor() {
    super("is not set, and a promise generates a password");
  }
}

/** 32 characters of letters and digits, the same for the same seed, request and purpose. */
export function derivePassword(seed: string | undefined, requestKey: string, purpose: string): string {
  if (!seed) throw new SecretSeedMissing();
  return createHmac("sha256", seed)
    .update(`${requestKey}\u0000${purpose}`)
    .digest("base64url")
    .replace(/[-_]/g, "x")
    .slice(0, 32);
}
