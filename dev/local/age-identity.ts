// A Git-delivered cluster's age identity: SOPS files in the fleet repository
// are encrypted to its recipient, and only that cluster's Flux can read them.
// Made once and kept 0600 in the cluster's directory; never printed.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateX25519Identity, identityToRecipient } from "age-encryption";

export interface AgeIdentity {
  /** `AGE-SECRET-KEY-1...`: goes only into the file and the cluster's sops-age Secret. */
  identity: string;
  /** `age1...`: public, what files are encrypted to. */
  recipient: string;
}

export function ageIdentityFile(clusterDir: string): string {
  return join(clusterDir, "age.agekey");
}

/** The cluster's identity, created on first use. X25519 explicitly: the default may become post-quantum, which sops may not read. */
export async function ensureAgeIdentity(clusterDir: string): Promise<AgeIdentity> {
  const file = ageIdentityFile(clusterDir);
  if (!existsSync(file)) {
    try {
      // wx: never replace an identity files were already encrypted to.
      writeFileSync(file, `${await generateX25519Identity()}\n`, { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  const identity = readFileSync(file, "utf8").trim();
  return { identity, recipient: await identityToRecipient(identity) };
}
