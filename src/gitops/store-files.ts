// A Git-delivered cluster's files as text for its state store. Secrets keep
// their plaintext here (the store resource encrypts them to the cluster's age
// key before anything is written) and carry a digest, an HMAC of their content
// keyed by the stack's secret seed: equal digest, same plaintext, so the
// ciphertext already in Git is kept and an unchanged Secret makes no commit.
// The digest reveals nothing without the seed. Pure.
import { createHmac } from "node:crypto";
import { stringify } from "yaml";
import { isSecret, type Manifest } from "../promise/manifest";
import type { ClusterFile } from "./layout";
import { secretDigestAnnotation } from "./secret-files";
import type { DesiredFile } from "./store-inputs";

/** JSON with sorted keys: the same object gives the same digest whatever order its fields were built in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export function manifestText(manifest: Manifest): string {
  return stringify(manifest, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** `files` for the store resource: each cluster file under the cluster's directory. */
export function desiredFiles(
  clusterDir: string,
  files: readonly ClusterFile[],
  options: { ageRecipient: string; digestKey: string },
): Record<string, DesiredFile> {
  const out: Record<string, DesiredFile> = {};
  for (const file of files) {
    const path = `${clusterDir}/${file.path}`;
    if (!isSecret(file.manifest)) {
      out[path] = { text: manifestText(file.manifest) };
      continue;
    }
    const digest = createHmac("sha256", options.digestKey).update(canonical(file.manifest)).digest("hex");
    const annotations = { ...file.manifest.metadata.annotations, [secretDigestAnnotation]: digest };
    const manifest = { ...file.manifest, metadata: { ...file.manifest.metadata, annotations } };
    out[path] = { secret: manifestText(manifest), digest, ageRecipient: options.ageRecipient };
  }
  return out;
}
