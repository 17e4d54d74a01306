// The stack's secret seed (pledge:secretSeed), from which promises derive the
// passwords they generate. `pledge up` and `preview` set a random one the
// first time a stack is used, as a Pulumi secret in the stack's config, so a
// platform owner never has to invent one (and it is never in plaintext).
import { randomBytes } from "node:crypto";
import type { Stack } from "@pulumi/pulumi/automation";
import { configKeys } from "../config/load";

/** Sets pledge:secretSeed when the stack has none; says so. Returns whether it was set. */
export async function ensureSecretSeed(stack: Stack, say: (line: string) => void): Promise<boolean> {
  const config = await stack.getAllConfig();
  if (config[configKeys.secretSeed]?.value) return false;
  await stack.setConfig(configKeys.secretSeed, { value: randomBytes(32).toString("base64url"), secret: true });
  say(
    `set ${configKeys.secretSeed} in the config of stack ${stack.name} (a new random Pulumi secret): the passwords promises generate derive from it; keep it with the stack (changing it rotates them all)`,
  );
  return true;
}
