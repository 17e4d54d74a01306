// The stack's secret seed (pledge:secretSeed), from which promises derive the
// passwords they generate. `pledge up` sets a random one the first time a
// stack is updated, as a Pulumi secret in the stack's config (so it is never
// in plaintext), and says to keep the stack file. In CI it refuses instead: a
// seed set on a runner is lost with it, and every run would rotate every
// password. A preview never writes config: without a seed it previews with a
// throw-away one, for that run only.
import { randomBytes } from "node:crypto";
import type { PledgeStack } from "../stack/pledge-stack";
import { configKeys } from "../../config/keys";
import { UpdateError } from "../update-error";

const newSeed = () => randomBytes(32).toString("base64url");

/** A preview's throw-away seed, one per stack per CLI run (a sharded preview's shards share their fleet stack's). */
const previewSeeds = new Map<string, string>();

export function previewSecretSeed(stackName: string): string {
  let seed = previewSeeds.get(stackName);
  if (!seed) previewSeeds.set(stackName, (seed = newSeed()));
  return seed;
}

/** Makes sure this run has a seed; returns whether one was written to the stack's config. */
export async function ensureSecretSeed(
  stack: PledgeStack,
  kind: "up" | "preview",
  say: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const config = await stack.config();
  if (config[configKeys.secretSeed]?.value) return false;
  if (kind === "preview") return false; // it previews with previewSecretSeed, handed to the program for that run
  if (env.CI && env.CI !== "false") {
    throw new UpdateError(
      `${configKeys.secretSeed} is not set for stack ${stack.name}, and a seed made on a CI runner would be lost with it (every update would change every generated password): set it once, pulumi config set --secret ${configKeys.secretSeed} "$(openssl rand -base64 32)" -s ${stack.name}, and commit Pulumi.${stack.name}.yaml`,
    );
  }
  await stack.setConfig(configKeys.secretSeed, { value: newSeed(), secret: true });
  say(
    `set ${configKeys.secretSeed} in the config of stack ${stack.name} (a new random Pulumi secret, encrypted in Pulumi.${stack.name}.yaml): the passwords promises generate derive from it; commit the stack file (changing the seed rotates them all)`,
  );
  return true;
}
