// The contract between the program and the state-store resource
// (src/pulumi/state-store-commit.ts): what one store should hold after an update.
// Pure types.

/** A file as it should be in Git; a Secret is handed over in plaintext (a Pulumi secret) and encrypted on write. */
export type DesiredFile = { text: string } | { secret: string; digest: string; ageRecipient: string };

export interface StateStoreCommitInputs {
  store: { name: string; url: string; branch: string };
  /** Always passed as a Pulumi secret. */
  credentials?: { username: string; password: string };
  /** Every directory this resource owns -> its cluster. */
  prefixes: Record<string, { cluster: string; ageRecipient?: string }>;
  /** Full repository path -> desired content. */
  files: Record<string, DesiredFile>;
  /** Directories to leave exactly as they are this run (the cluster's store was unreachable): not read, not written. */
  held: string[];
  message: string;
}
