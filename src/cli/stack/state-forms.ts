// A staged rollout's view of the exported state: each held object's last
// applied form (its resource, and a chart's or YAML file's objects under it),
// and the Kubernetes objects a wave's change put on a cluster, for its gate.
// Pure.
import type { StateForm } from "../../rollout/held";
import { nameOfUrn, objectIdentity, openSecrets, type AppliedObject, type StateResource } from "./state-objects";

interface Indexed {
  byName: Map<string, StateResource>;
  children: Map<string, StateResource[]>;
}

/** The state indexed by resource name and by parent. Providers and the stack's own resources are left out. */
export function indexState(resources: readonly (StateResource & { custom?: boolean })[]): Indexed {
  const byName = new Map<string, StateResource>();
  const children = new Map<string, StateResource[]>();
  for (const r of resources) {
    if (r.type.startsWith("pulumi:")) continue;
    byName.set(nameOfUrn(r.urn), r);
    if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  }
  return { byName, children };
}

/** A resource's form as the state holds it, its inputs' secrets opened (the handoff and the output holding it are secret). */
function formOf(r: StateResource & { custom?: boolean }, state: Indexed): StateForm {
  return {
    type: r.type,
    name: nameOfUrn(r.urn),
    custom: r.custom ?? !r.type.startsWith("pledge:"),
    inputs: (openSecrets(r.inputs ?? {}) ?? {}) as Record<string, unknown>,
    children: (state.children.get(r.urn) ?? []).map((c) => formOf(c, state)),
  };
}

/** The state form of the object (or chart, or YAML file) registered under `name`; undefined when the state has none. */
export function stateFormOf(state: Indexed, name: string): StateForm | undefined {
  const r = state.byName.get(name);
  return r ? formOf(r, state) : undefined;
}

/** The Kubernetes objects registered under these names (a chart's objects included), as `pledge status` reads them. */
export function objectsUnder(state: Indexed, names: readonly string[]): AppliedObject[] {
  const out: AppliedObject[] = [];
  const visit = (r: StateResource, owner: string) => {
    const identity = objectIdentity(r);
    if (identity) out.push({ ...identity, owner: { kind: "dependency", promise: owner } });
    for (const child of state.children.get(r.urn) ?? []) visit(child, owner);
  };
  for (const name of names) {
    const r = state.byName.get(name);
    if (r) visit(r, name);
  }
  return out;
}
