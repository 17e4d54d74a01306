// spec.requiredPromises, checked for a whole stack: every Promise an imported
// one requires must be offered by the same stack, at exactly the version asked
// for when one is. Kratix gates a Promise platform-wide the same way (it stays
// Unavailable until each required Promise has a PromiseRevision at that
// version: internal/controller/promise_controller.go evaluateRequirement), so
// this is not Pledge's per-cluster `requires`.
import { keyPath, type Issue } from "../issues";
import type { PledgePromise } from "../promise/define";
import type { KratixRequiredPromise } from "./promise-file";

/** What the check needs of each offered promise. */
export interface OfferedVersion {
  name: string;
  version: string;
  /** Kratix requiredPromises of an imported promise; absent for Pledge's own promises. */
  requiredPromises?: readonly KratixRequiredPromise[];
}

/** Kratix writes versions as v1.2.0, Pledge as 1.2.0: the same version. */
export function sameVersion(a: string, b: string): boolean {
  return a.replace(/^v/, "") === b.replace(/^v/, "");
}

/**
 * Problems with the required promises of every offered promise, at
 * `pledge:promises.<name>` (or `pathOf(name)`), in the order of `offered`.
 */
export function requiredPromiseIssues(
  offered: readonly OfferedVersion[],
  pathOf: (name: string) => string = (name) => keyPath("pledge:promises", [name]),
): Issue[] {
  const byName = new Map(offered.map((o) => [o.name, o]));
  return offered.flatMap((o) =>
    (o.requiredPromises ?? []).flatMap((required): Issue[] => {
      const path = pathOf(o.name);
      const at = required.version ? ` at version ${required.version}` : "";
      const found = byName.get(required.name);
      if (!found) {
        return [
          {
            path,
            message: `requires promise ${required.name}${at} (Kratix requiredPromises), which this stack does not offer`,
            hint: `add ${required.name}: {} to pledge:promises`,
          },
        ];
      }
      if (required.version && !sameVersion(required.version, found.version)) {
        return [
          {
            path,
            message: `requires promise ${required.name}${at} (Kratix requiredPromises); this stack offers ${required.name} ${found.version}`,
            hint: `offer ${required.name} ${required.version.replace(/^v/, "")}, or change the version in requiredPromises`,
          },
        ];
      }
      return [];
    }),
  );
}

/**
 * The check over the promises a stack offers: Pledge's own and imported ones
 * alike (an imported promise carries its requirements in `kratix`).
 */
export function kratixRequirementIssues(offered: readonly PledgePromise<unknown>[]): Issue[] {
  return requiredPromiseIssues(
    offered.map((p) => {
      const required = (p as { kratix?: { requiredPromises?: readonly KratixRequiredPromise[] } }).kratix?.requiredPromises;
      return { name: p.name, version: p.version, ...(required ? { requiredPromises: required } : {}) };
    }),
  );
}
