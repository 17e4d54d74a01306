// What a staged rollout keeps as it was on the clusters its change has not
// reached: each held object's last applied form, exactly as the state holds
// it (a chart's or YAML file's objects included, under a component of the same
// type and name, so every URN stays the same and the engine sees no change).
// The program registers these instead of the planned forms. Pure.
import type { AppliedDigests } from "./applied";

/** One resource as the state holds it: its type, name, inputs (secrets marked as exported) and children. */
export interface StateForm {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  children: StateForm[];
}

/** An object a rollout holds: its owner, and its last applied digest and form (none: it did not exist, so it is not created). */
export interface HeldObject {
  owner: string;
  digest?: string;
  form?: StateForm;
}

/** cluster -> resource name -> what it keeps. */
export type HeldObjects = Record<string, Record<string, HeldObject>>;

/** The digests the update records as applied: the planned ones, but a held object's own. */
export function appliedWith(wanted: AppliedDigests, held: HeldObjects): AppliedDigests {
  const out: AppliedDigests = structuredClone(wanted);
  for (const [cluster, objects] of Object.entries(held)) {
    for (const [name, h] of Object.entries(objects)) {
      const owners = (out[cluster] ??= {});
      for (const names of Object.values(owners)) delete names[name];
      if (h.digest !== undefined) (owners[h.owner] ??= {})[name] = h.digest;
    }
    for (const [owner, names] of Object.entries(out[cluster] ?? {}))
      if (Object.keys(names).length === 0) delete out[cluster]![owner];
    if (Object.keys(out[cluster] ?? {}).length === 0) delete out[cluster];
  }
  return out;
}
