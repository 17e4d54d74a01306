// Stable encryption: SOPS output differs on every run for the same input, so a
// Secret re-encrypted each run would make a commit each run. The program
// stamps each Secret with `pledge.dev/secret-digest` (an HMAC of its
// plaintext); SOPS leaves metadata in the clear (only data and stringData are
// encrypted), so the file in Git says which plaintext it holds. Same digest,
// same recipient: the file in Git is kept byte for byte.
import { parse } from "yaml";
import { type DesiredFile, isSecretFile } from "./store-inputs";

export const secretDigestAnnotation = "pledge.dev/secret-digest";

interface SopsFileShape {
  metadata?: { annotations?: Record<string, unknown> };
  sops?: { mac?: unknown; age?: { recipient?: unknown }[] };
}

function parsed(text: string): SopsFileShape | undefined {
  try {
    const value: unknown = parse(text);
    return value !== null && typeof value === "object" ? (value as SopsFileShape) : undefined;
  } catch {
    return undefined; // a hand-edited file that is no YAML is simply not a keepable Secret
  }
}

/** The `pledge.dev/secret-digest` annotation of a manifest, if it has one. */
export function secretDigestOf(text: string): string | undefined {
  const digest = parsed(text)?.metadata?.annotations?.[secretDigestAnnotation];
  return typeof digest === "string" ? digest : undefined;
}

/**
 * Whether the file in Git can stay: it is SOPS-encrypted (a plaintext Secret
 * pushed by hand must be replaced), for this recipient (a cluster whose key
 * changed must get a file it can decrypt), of the same plaintext (digest).
 */
export function keepsCiphertext(current: string | undefined, digest: string, ageRecipient: string): boolean {
  if (current === undefined) return false;
  const file = parsed(current);
  const recipients = (file?.sops?.age ?? []).map((entry) => entry.recipient);
  return (
    file?.metadata?.annotations?.[secretDigestAnnotation] === digest &&
    typeof file.sops?.mac === "string" &&
    recipients.includes(ageRecipient)
  );
}

export interface ResolvedFiles {
  /** Final texts: plain files, and Secrets whose ciphertext in Git stays. */
  texts: Map<string, string>;
  /** Secrets to encrypt anew before writing. */
  toEncrypt: { path: string; secret: string; ageRecipient: string }[];
}

/** Splits the desired files into final texts and Secrets that need encrypting, given what Git holds now. */
export function resolveDesiredFiles(desired: Record<string, DesiredFile>, current: ReadonlyMap<string, string>): ResolvedFiles {
  const texts = new Map<string, string>();
  const toEncrypt: ResolvedFiles["toEncrypt"] = [];
  for (const [path, file] of Object.entries(desired)) {
    if (!isSecretFile(file)) texts.set(path, file.text);
    else if (keepsCiphertext(current.get(path), file.digest, file.ageRecipient)) texts.set(path, current.get(path)!);
    else toEncrypt.push({ path, secret: file.secret, ageRecipient: file.ageRecipient });
  }
  return { texts, toEncrypt };
}
