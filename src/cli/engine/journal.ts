// The stack's update journal (src/pulumi/update-journal.ts): where it lives,
// and the sweep after a fast update: objects that an earlier, unfinished
// update applied and that neither this update nor the state holds are deleted
// from their clusters, so a kill -9 leaves nothing behind.
// What cannot be deleted now (its cluster does not answer) stays in the
// journal for the next update.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { objectClient } from "../clusters/kube-client";
import type { PledgeStack } from "../stack/pledge-stack";
import { locksOf } from "./locks";
import { keyOf, readJournal, writeJournal, type ObjectKey, type UpdateJournal } from "../../pulumi/update-journal";
import { objectIdentity, providerKubeconfigs, type StateResource } from "../stack/state-objects";

/** The journal of a stack on a file backend; other backends keep a checkpoint per step (Pulumi Cloud journals on its own). */
export function journalFile(backendDir: string, project: string, stack: string): string {
  return join(backendDir, ".pulumi", "pledge", "journals", project, `${stack}.json`);
}

/**
 * Where this stack's update journal lives, when its updates may skip the
 * checkpoint after every step: a file backend (Pulumi Cloud batches its own
 * writes). Undefined: every step is checkpointed.
 */
export async function journalOf(stack: PledgeStack): Promise<string | undefined> {
  const found = await locksOf(stack);
  return found ? journalFile(found.backend, found.project, stack.name) : undefined;
}

/** The journal's leftovers: earlier objects this update did not plan and the state does not hold. */
export function leftovers(
  journal: { earlier: readonly ObjectKey[]; current: readonly ObjectKey[] },
  resources: readonly StateResource[],
): ObjectKey[] {
  const held = new Set([
    ...journal.current.map(keyOf),
    ...resources.flatMap((r) => {
      const id = objectIdentity(r);
      return id ? [keyOf(id)] : [];
    }),
  ]);
  return journal.earlier.filter((o) => !held.has(keyOf(o)));
}

const status = (err: unknown) =>
  Number((err as { code?: unknown; statusCode?: unknown }).code ?? (err as { statusCode?: unknown }).statusCode);

/** Deletes the leftovers of unfinished updates; `resources` is the state after this update. */
export async function sweepJournal(
  file: string,
  resources: () => Promise<readonly StateResource[]>,
  say: (line: string) => void,
): Promise<void> {
  const read = readText(file);
  const journal = readJournal(file);
  // Another update may have started since this one ended (the engine's lock is gone): its journal is its own.
  const settle = (next: UpdateJournal | undefined) => {
    if (readText(file) !== read) return;
    if (next) writeJournal(file, next);
    else rmSync(file, { force: true });
  };
  if (!journal || journal.earlier.length === 0) return settle(undefined);
  const state = await resources();
  const found = leftovers(journal, state);
  const kubeconfigs = providerKubeconfigs(state);
  const kept: ObjectKey[] = [];
  const removed: string[] = [];
  const failed: string[] = [];
  const gone = new Set<string>();
  // Namespaces last: deleting one takes its contents with it.
  const ordered = [...found].sort((a, b) => Number(a.kind === "Namespace") - Number(b.kind === "Namespace"));
  for (const o of ordered) {
    const access = kubeconfigs.get(o.cluster);
    if (!access) {
      // The cluster has left the fleet: nothing here can reach it any more.
      gone.add(o.cluster);
      continue;
    }
    const client = objectClient(access.kubeconfig, access.context);
    try {
      await client.delete({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, namespace: o.namespace } });
      removed.push(`${o.cluster}: ${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`);
    } catch (err) {
      if (status(err) === 404) continue;
      kept.push(o);
      failed.push(`${o.cluster}: ${o.kind} ${o.name}: ${(err as Error).message?.split("\n")[0] ?? String(err)}`);
    }
  }
  if (removed.length > 0)
    say(
      `removed ${removed.length} object(s) an interrupted update had applied and this one no longer wants: ${removed.join(", ")}`,
    );
  for (const cluster of gone)
    say(
      `warning: cluster ${cluster} left the fleet after an interrupted update: objects it may have applied there are not removed (check its namespaces by hand)`,
    );
  if (kept.length > 0)
    say(
      `warning: ${kept.length} object(s) an interrupted update left could not be removed yet (the next pledge up tries again): ${failed.join("; ")}`,
    );
  settle(kept.length > 0 ? { earlier: kept, current: [] } : undefined);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
