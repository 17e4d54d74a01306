// What an update may not delete by accident. Compared with what the last
// update left, a change is stopped before anything is registered when it would
// remove a cluster that runs Pledge's objects, delete or move a request of a
// stateful promise (its data would go), or take away more than
// pledge:deletions.maxShare of the platform's request placements, unless the
// platform owner confirmed exactly that (`pledge up --allow-delete <what>`, or
// pledge:deletions.allow). Pure.
import type { FleetPlacement } from "../core/outcome";
import type { Issue } from "../issues";
import type { PreviousState } from "../outputs";
import type { StackModel } from "./stack-model";

/** What a confirmation names: cluster:<name>, request:<promise>/<name>, many (the share), all. */
export type DeletionToken = string;

function confirmHint(token: DeletionToken): string {
  return `if that is what you want: pledge up --allow-delete ${token} (or add ${token} to pledge:deletions.allow for one update)`;
}

function list(items: readonly string[]): string {
  return items.length <= 5 ? items.join(", ") : `${items.slice(0, 5).join(", ")} and ${items.length - 5} more`;
}

/** Every deletion of this update that needs confirmation and has none, as issues of kind "deletion". */
export function guardDeletions(previous: PreviousState, model: StackModel, placement: FleetPlacement): Issue[] {
  const allowed = new Set(model.deletions.allow);
  if (allowed.has("all")) return [];
  const issues: Issue[] = [];
  // `also`: confirmations that cover this one too (a compound request's covers its parts).
  const guard = (token: DeletionToken, path: string, message: string, also: readonly DeletionToken[] = []) => {
    if (!allowed.has(token) && !also.some((t) => allowed.has(t)))
      issues.push({ kind: "deletion", path, message, hint: confirmHint(also[also.length - 1] ?? token) });
  };
  const ancestors = (key: string, seen = new Set<string>([key])): DeletionToken[] => {
    const parent = previous.parents.get(key);
    // A loop can only come from hand-edited outputs: stop at it.
    if (!parent || seen.has(parent)) return [];
    return [`request:${parent}`, ...ancestors(parent, seen.add(parent))];
  };
  const clusters = new Set(model.clusters.map((c) => c.name));
  const now = new Map(placement.requests.map((r) => [r.key, r]));
  const stateful = new Set(model.promises.filter((p) => p.promise.stateful).map((p) => p.promise.name));

  // A removed cluster takes every object Pledge put on it: requests and promise dependencies.
  for (const cluster of previous.clusters) {
    if (clusters.has(cluster)) continue;
    const requests = [...previous.placement].filter(([, on]) => on.includes(cluster)).map(([key]) => key);
    const dependencies = [...previous.eligible].filter(([, on]) => on.includes(cluster)).map(([promise]) => promise);
    if (requests.length === 0 && dependencies.length === 0) continue;
    const what = [
      requests.length > 0 ? `requests ${list(requests)}` : "",
      dependencies.length > 0 ? `the dependencies of ${list(dependencies)}` : "",
    ].filter(Boolean);
    guard(
      `cluster:${cluster}`,
      `cluster ${cluster}`,
      `is no longer in pledge:clusters: this update would delete ${what.join(" and ")} on it`,
    );
  }

  // A stateful request loses its data when it is deleted or leaves a cluster.
  for (const [key, before] of previous.placement) {
    const promise = key.slice(0, key.indexOf("/"));
    if (!stateful.has(promise) || before.length === 0) continue;
    const placed = now.get(key);
    if (!placed) {
      const parent = previous.parents.get(key);
      guard(
        `request:${key}`,
        `request ${key}`,
        `is no longer asked for${parent ? ` (a part of ${parent})` : ""}: this update would delete it from ${list(before)}, and ${promise} holds data`,
        ancestors(key),
      );
      continue;
    }
    // Leaving a removed cluster whose removal was confirmed is part of that confirmation (its message named the request).
    const left = before.filter((c) => !placed.clusters.includes(c) && !(!clusters.has(c) && allowed.has(`cluster:${c}`)));
    if (left.length === 0) continue;
    const moves = placed.moves
      .filter((m) => left.includes(m.from))
      .map((m) => (m.to ? `off ${m.from} to ${m.to} (${m.reason})` : `off ${m.from} (${m.reason})`));
    guard(
      `request:${key}`,
      `request ${key}`,
      `would move ${moves.length > 0 ? moves.join("; ") : `off ${list(left)}`}: its data stays behind and is deleted, and ${promise} holds data`,
      ancestors(key),
    );
  }

  // Many placements at once: a bad edit (a selector typo, a dropped label) rather than a plan.
  const total = [...previous.placement.values()].reduce((n, on) => n + on.length, 0);
  // What the owner confirmed by name (a request, its compound parent, a removed cluster) is no accident.
  const confirmed = (key: string, cluster: string) =>
    [`request:${key}`, ...ancestors(key), `cluster:${cluster}`].some((t) => allowed.has(t));
  const removed = [...previous.placement].flatMap(([key, on]) =>
    on.filter((c) => !(now.get(key)?.clusters ?? []).includes(c) && !confirmed(key, c)).map((c) => `${key}@${c}`),
  );
  if (removed.length >= 2 && removed.length > model.deletions.maxShare * total) {
    guard(
      "many",
      "pledge:deletions.maxShare",
      `this update would remove ${removed.length} of ${total} request placements (${list(removed)}), more than ${Math.round(model.deletions.maxShare * 100)}% at once`,
    );
  }
  return issues;
}
