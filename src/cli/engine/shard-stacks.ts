// A sharded fleet's stacks: each shard's stack `<fleet>.<shard>` runs on its
// fleet stack's config file, and keeps no config file of its own.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { PledgeStack } from "../stack/pledge-stack";
import { UpdateError } from "../update-error";

/** The file a stack's config lives in (Pulumi.<stack>.yaml), which its shards run on. */
export function configFileOf(fleet: PledgeStack, projectDir: string): string {
  const file = join(projectDir, `Pulumi.${fleet.name.split("/").pop()}.yaml`);
  if (!existsSync(file)) throw new UpdateError(`stack ${fleet.name} has no config file ${file}: its shards run on it`);
  return file;
}

/**
 * A shard runs on its fleet's config file, yet Pulumi writes the shard stack a
 * file of its own holding only a passphrase salt (on creation, and when the
 * state is exported): nothing reads it, so it is removed and the project keeps
 * one config per fleet.
 */
export function dropSaltOnlyConfig(projectDir: string, stack: string): void {
  const own = join(projectDir, `Pulumi.${stack}.yaml`);
  if (existsSync(own) && /^(encryptionsalt: \S+\s*)?$/.test(readFileSync(own, "utf8"))) rmSync(own, { force: true });
}
