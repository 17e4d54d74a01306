// The update journal: what lets `pledge up` skip the engine's checkpoint after
// every step (PULUMI_SKIP_CHECKPOINTS: the state is written once, at the end)
// and still survive a kill -9. Before it registers anything, the program
// records every object this run will apply; the objects of runs that never
// finished are carried along as `earlier`. A killed run leaves the state as it
// was before it and objects on the clusters the state does not know: the next
// run re-applies the ones it still wants (server-side apply creates or adopts
// them), and `pledge up` then deletes the rest, the journal's earlier objects
// that neither this run nor the state holds. Objects deleted by a killed run
// are found gone by the drift check and created again or dropped.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { isBuildingBlock } from "../promise/blocks";
import type { Manifest } from "../promise/manifest";
import type { RenderPlan } from "../promise/plan";

/** One Kubernetes object by where and what it is (names only: nothing secret). */
export interface ObjectKey {
  cluster: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface UpdateJournal {
  /** Objects of updates that did not finish (killed, or their clusters went away). */
  earlier: ObjectKey[];
  /** Objects of the update running now (or last). */
  current: ObjectKey[];
}

/**
 * One object whatever it was applied as: its API group, not its version (autoscaling/v2beta2 and
 * autoscaling/v2 serve the same object), and a namespaced object the API server put in `default`
 * the same as one that named no namespace.
 */
export const keyOf = (o: ObjectKey) =>
  [
    o.cluster,
    o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "",
    o.kind,
    o.namespace === "default" ? "" : (o.namespace ?? ""),
    o.name,
  ].join("\u0000");

function unique(objects: readonly ObjectKey[]): ObjectKey[] {
  return [...new Map(objects.map((o) => [keyOf(o), o])).values()];
}

export function readJournal(file: string): UpdateJournal | undefined {
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as Partial<UpdateJournal>;
    return { earlier: value.earlier ?? [], current: value.current ?? [] };
  } catch {
    return undefined;
  }
}

/** Written whole or not at all (a rename), so a kill never leaves half a journal. */
export function writeJournal(file: string, journal: UpdateJournal): void {
  mkdirSync(dirname(file), { recursive: true });
  const next = `${file}.${process.pid}.tmp`;
  writeFileSync(next, JSON.stringify(journal));
  renameSync(next, file);
}

/** Every object the plan applies: manifests as planned, charts' and YAML files' objects as rendered. */
export function plannedObjectKeys(plan: RenderPlan, expanded: ReadonlyMap<string, readonly Manifest[]>): ObjectKey[] {
  return plan.objects.flatMap((o) =>
    (isBuildingBlock(o.content) ? (expanded.get(o.resourceName) ?? []) : [o.content]).map((m) => ({
      cluster: o.cluster,
      apiVersion: m.apiVersion,
      kind: m.kind,
      ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}),
      name: m.metadata.name,
    })),
  );
}

/** In the program, before the first resource is registered: this run's objects, and what unfinished runs left. */
export function recordPlannedObjects(file: string, objects: readonly ObjectKey[]): void {
  const last = readJournal(file);
  writeJournal(file, { earlier: unique([...(last?.earlier ?? []), ...(last?.current ?? [])]), current: unique(objects) });
}
