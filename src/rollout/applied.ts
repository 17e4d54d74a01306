// What each cluster has applied, object by object: a digest of the form Pledge
// planned for it, grouped by who owns it (a team's environment, a promise's
// dependencies, a request). Every update records it in the stack's outputs
// (`applied`), so the next one can say exactly what a change would create,
// update or delete on each cluster before anything runs (src/rollout/changes.ts).
// Pure.
import { createHmac } from "node:crypto";
import { canonicalJson } from "../promise/fingerprint";
import type { AppliedDigests } from "../outputs";
import type { ObjectOwner, PlannedObject } from "../promise/plan";

export { appliedDigestsOf, type AppliedDigests } from "../outputs";

/** An owner as one string: team:<team>, promise:<promise> (its dependencies), request:<promise>/<name>. */
export function ownerKeyOf(owner: ObjectOwner): string {
  switch (owner.kind) {
    case "team":
      return `team:${owner.team}`;
    case "dependency":
      return `promise:${owner.promise}`;
    case "request":
      return `request:${owner.promise}/${owner.request}`;
  }
}

/** The owner an owner key stands for (the inverse of ownerKeyOf). */
export function ownerOfKey(key: string): ObjectOwner {
  const [kind, rest] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
  if (kind === "team") return { kind: "team", team: rest };
  if (kind === "promise") return { kind: "dependency", promise: rest };
  const slash = rest.indexOf("/");
  return { kind: "request", promise: rest.slice(0, slash), request: rest.slice(slash + 1) };
}

/**
 * The digests of every planned object, by cluster and owner. `extra` adds what
 * the planned form alone does not say (a local chart's files, a YAML source's
 * objects). An HMAC keyed by the stack's seed: a Secret's digest says nothing of its data.
 */
export function plannedDigests(
  objects: readonly PlannedObject[],
  extra: (o: PlannedObject) => unknown,
  seed: string | undefined,
): AppliedDigests {
  const digests: AppliedDigests = {};
  for (const o of objects) {
    const digest = createHmac("sha256", seed ?? "pledge-applied")
      .update(canonicalJson({ content: o.content, extra: extra(o), copies: o.secretDataFrom ?? null }))
      .digest("hex")
      .slice(0, 20);
    const owners = (digests[o.cluster] ??= {});
    (owners[ownerKeyOf(o.owner)] ??= {})[o.resourceName] = digest;
  }
  return digests;
}
