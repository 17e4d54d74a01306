// What an update run does before the engine: the stack's config checked (a
// bad one stops everything, not even a refresh touches the state), the
// password seed set, locks cleared or waited for, providers a killed update
// left stopped, and the clusters probed. A shard's run was checked, seeded and
// probed with its fleet stack: it only clears its own locks and providers.
import { formatIssues } from "../../issues";
import type { PledgeStack } from "../stack/pledge-stack";
import { UpdateError } from "../update-error";
import { checkStackConfig } from "./check-config";
import { stopLeftoverProviders } from "./leftover-providers";
import { resolveLocks } from "./locks";
import { ensureSecretSeed } from "./secret-seed";
import type { UpdateOptions } from "./update-options";

export interface Preflight {
  /** Whether Pledge provisions a cluster of the fleet (then every step is checkpointed and the engine always runs). */
  provisioned: boolean;
  /** The clusters that do not answer, with why: the run leaves their objects alone. */
  unreachable: Map<string, string>;
}

export async function preflight(
  stack: PledgeStack,
  kind: "up" | "preview",
  projectDir: string,
  options: UpdateOptions,
  probe: () => Promise<Map<string, string>>,
): Promise<Preflight> {
  const shard = options.shard;
  let provisioned = shard?.provisioned ?? false;
  if (!shard) {
    // A bad config stops here: nothing runs, not even the refresh, so the state is untouched.
    const checked = await checkStackConfig(stack, projectDir, options.allowDelete);
    if (checked.issues.length > 0) throw new UpdateError(formatIssues(checked.issues));
    provisioned = checked.provisioned ?? false;
    if (checked.shards && !options.decisionOnly)
      throw new UpdateError(
        `stack ${stack.name} is split into shards (pledge:shards: ${checked.shards.map((s) => s.name).join(", ")}): ` +
          `run pledge ${kind} --all, or --shard <name> for some of them`,
      );
    await ensureSecretSeed(stack, kind, options.say);
  }
  await resolveLocks(stack, options);
  const stopped = await stopLeftoverProviders();
  if (stopped.length > 0)
    options.say(
      `stopped ${stopped.length} provider process${stopped.length === 1 ? "" : "es"} that a killed update left running (pid ${stopped.join(", ")})`,
    );
  const unreachable = shard ? new Map(shard.unreachable) : await probe();
  if (!shard) {
    for (const [cluster, why] of unreachable) {
      options.say(
        `cluster ${cluster} is unreachable (${why}): its objects are left as they are; everything else is ${kind === "up" ? "updated" : "previewed"}`,
      );
    }
  }
  return { provisioned, unreachable };
}
