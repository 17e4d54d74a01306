// The contract between the program and the state-store resource
// (src/pulumi/state-store-commit.ts): everything one state store should hold
// after a run, as plain data. The program builds it; delivery writes it.

/** A file as the program wants it in the store. */
export type DesiredFile =
  | { text: string }
  | {
      /** The Secret's plaintext YAML, carrying the `pledge.dev/secret-digest` annotation: encrypted before it reaches Git. */
      secret: string;
      /** The digest in that annotation (an HMAC of the plaintext), so an unchanged Secret keeps its ciphertext. */
      digest: string;
      /** The age recipient of the cluster that decrypts it (Flux's sops-age key). */
      ageRecipient: string;
    };

export interface StateStoreCommitInputs {
  store: { name: string; url: string; branch: string };
  /** Always passed as a pulumi.secret. */
  credentials?: { username: string; password: string };
  /** Owned path (a directory) -> the cluster its files are for. */
  prefixes: Record<string, { cluster: string; ageRecipient?: string }>;
  /** Full repository path -> desired content; every path lies under an owned prefix. */
  files: Record<string, DesiredFile>;
  /** Prefixes left exactly as they are this run (cluster or store unreachable): not read, not written. */
  held: string[];
  message: string;
}

/** What the resource records after a write (besides the inputs it needs to diff and delete later). */
export interface StateStoreCommitResult {
  /** The branch's head after the write; unset while the branch does not exist. */
  commit?: string;
  /** Repository path -> sha256 of the text written (the ciphertext for a Secret). */
  files: Record<string, string>;
}

export const isSecretFile = (file: DesiredFile): file is Extract<DesiredFile, { secret: string }> => "secret" in file;
