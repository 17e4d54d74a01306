// Values as `pulumi stack export --show-secrets` gives them: a secret is
// {<signature>: <secret sig>, plaintext: <JSON>}. Read by the CLI (status,
// recovery, a rollout's held forms) and by the program, which turns a held
// form's secrets back into Pulumi secrets. Pure.

/** Pulumi's marker for a secret in exported state. */
export const secretSignature = "4dabf18193072939515e22adb298388d";

/** Whether a state value is a secret as a whole. */
export function isSecretValue(value: unknown): boolean {
  return typeof value === "object" && value !== null && secretSignature in value;
}

/** A secret's value as the program gave it (undefined when it was exported without --show-secrets). */
export function secretPlaintext(value: unknown): unknown {
  const plaintext = (value as { plaintext?: unknown }).plaintext;
  return typeof plaintext === "string" ? (JSON.parse(plaintext) as unknown) : undefined;
}

/** A state value with each secret in it, however deep, replaced by wrap(its plaintext). */
export function mapSecrets(value: unknown, wrap: (plain: unknown) => unknown): unknown {
  if (isSecretValue(value)) return wrap(secretPlaintext(value));
  if (Array.isArray(value)) return value.map((v) => mapSecrets(v, wrap));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapSecrets(item, wrap)]));
}
