// After a fast update: objects that an earlier, unfinished update applied and
// that neither this update nor the state holds are deleted from their
// clusters, so a kill -9 leaves nothing behind (src/pulumi/update-journal.ts).
// What cannot be deleted now (its cluster does not answer) stays in the
// journal for the next update.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import { keyOf, readJournal, writeJournal, type ObjectKey } from "../pulumi/update-journal";
import { objectIdentity, providerKubeconfigs, type StateResource } from "./state-objects";

/** The journal of a stack on a file backend; other backends keep a checkpoint per step (Pulumi Cloud journals on its own). */
export function journalFile(backendDir: string, project: string, stack: string): string {
  return join(backendDir, ".pulumi", "pledge", "journals", project, `${stack}.json`);
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
  const journal = readJournal(file);
  if (!journal || journal.earlier.length === 0) return rmSync(file, { force: true });
  const state = await resources();
  const found = leftovers(journal, state);
  const kubeconfigs = providerKubeconfigs(state);
  const kept: ObjectKey[] = [];
  const removed: string[] = [];
  // Namespaces last: deleting one takes its contents with it.
  const ordered = [...found].sort((a, b) => Number(a.kind === "Namespace") - Number(b.kind === "Namespace"));
  for (const o of ordered) {
    const access = kubeconfigs.get(o.cluster);
    if (!access) {
      kept.push(o);
      continue;
    }
    const config = new KubeConfig();
    config.loadFromString(access.kubeconfig);
    if (access.context) config.setCurrentContext(access.context);
    const client = KubernetesObjectApi.makeApiClient(config);
    try {
      await client.delete({ apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, namespace: o.namespace } });
      removed.push(`${o.cluster}: ${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`);
    } catch (err) {
      if (status(err) !== 404) kept.push(o);
    }
  }
  if (removed.length > 0)
    say(
      `removed ${removed.length} object(s) an interrupted update had applied and this one no longer wants: ${removed.join(", ")}`,
    );
  if (kept.length > 0) {
    say(
      `${kept.length} object(s) left by an interrupted update could not be removed yet (cluster not answering): the next pledge up tries again`,
    );
    writeJournal(file, { earlier: kept, current: [] });
  } else rmSync(file, { force: true });
}
