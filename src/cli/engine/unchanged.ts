// Whether an update would change nothing, decided before the engine starts:
// the program's decision for this run (src/run/decide.ts, the same function
// the program runs, made by src/cli/engine/stack-decision.ts) has the fingerprint the last update recorded.
// With no drift on the clusters, nothing pending and no leftovers to remove,
// `pledge up` then does not run the engine at all: for a large stack that is
// most of a no-change update (registering and diffing every object).
import type { RunResult } from "../../run/decide";
import type { StateStoreEntry } from "../../config/state-stores";
import { probeStore } from "../../delivery/store-probe";
import { isGitDelivered } from "../../gitops/deliveries";
import type { GitopsOutput } from "../../outputs";
import { nameOfUrn, type StateResource } from "../stack/state-objects";
import type { PledgeStack } from "../stack/pledge-stack";
import { outputValues } from "../stack/stack-outputs";

/** True when this run of `stack`'s program would register exactly what its last update did. */
export async function unchangedSinceLastUpdate(
  stack: PledgeStack,
  run: {
    /** The program's decision for this run (src/cli/engine/stack-decision.ts). */
    decide: () => Promise<RunResult | undefined>;
    /** False when an update journal already says the last update finished (it is kept when one did not). */
    checkHistory: boolean;
    /** The state now: every object the decision plans must be in it (a refresh may have dropped one). */
    resources: readonly StateResource[];
  },
): Promise<boolean> {
  const last = (await outputValues(stack)).fingerprint;
  if (typeof last !== "string") return false;
  if (run.checkHistory) {
    // A failed update records its outputs too, with objects that never made it: only a successful one counts.
    const history = await stack.history(10).catch(() => []);
    if (history.find((h) => h.kind === "update")?.result !== "succeeded") return false;
  }
  const result = await run.decide();
  if (!result?.ok || result.decision.fingerprint !== last) return false;
  const inState = new Set(run.resources.map((r) => nameOfUrn(r.urn)));
  // A Git-delivered cluster's objects are files in its store, not resources: its store must still be at the commit the last update left.
  const throughGit = new Set(result.decision.model.clusters.filter(isGitDelivered).map((c) => c.name));
  if (!result.decision.plan.objects.every((o) => throughGit.has(o.cluster) || inState.has(o.resourceName))) return false;
  return throughGit.size === 0 || (await storesUntouched(result.decision.model.stateStores, (await outputValues(stack)).gitops));
}

/** True when every store's branch is still at the commit the last update recorded (nobody pushed since: no drift in Git). */
async function storesUntouched(stores: readonly StateStoreEntry[], recorded: unknown): Promise<boolean> {
  if (!recorded || typeof recorded !== "object") return false;
  const commits = new Map<string, string | undefined>();
  for (const g of Object.values(recorded as Record<string, GitopsOutput>)) commits.set(g.store, g.commit);
  const heads = await Promise.all(
    stores.filter((s) => commits.has(s.name)).map(async (s) => ({ store: s.name, probe: await probeStore(s) })),
  );
  return (
    heads.length === commits.size &&
    heads.every((h) => h.probe.ok && h.probe.head !== undefined && h.probe.head === commits.get(h.store))
  );
}
