// Compound promises, expanded before placement: each request of a compound
// promise asks for its parts (other promises' requests), recursively; each
// part becomes a request of its own, named from its parent and its role so the
// name is the same on every run, with the parent's team, and is then placed by
// the same engine as any request. A promise that is its own part, directly or
// not, is a cycle and an error naming it. Pure.
import { dnsLabelProblem, type TeamEntry } from "../config/parse";
import type { Issue } from "../issues";
import { andSelectors, validateSelector } from "../labels/selectors";
import type { PartRequest, RequestView } from "./define";
import type { OfferedPromise, RequestModel } from "./model-types";

const roleProblem = (role: string) =>
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(role) ? undefined : "must be lowercase letters, digits and '-'";

/** The request as a promise's compose and render see it, without a password source (compose must not need one). */
export function composeView(request: RequestModel): RequestView<unknown> {
  return {
    promise: request.promise,
    name: request.name,
    team: request.team,
    namespace: request.namespace,
    spec: request.spec,
    password: () => {
      throw new Error("compose cannot use passwords: a part's render can");
    },
  };
}

/**
 * The requests with every compound request's parts added after it (depth
 * first, roles in name order). Problems go to `issues`; a part with a problem
 * is left out.
 */
export function expandParts(
  requests: readonly RequestModel[],
  offered: readonly OfferedPromise[],
  teams: readonly TeamEntry[] | undefined,
  issues: Issue[],
): RequestModel[] {
  const byName = new Map(offered.map((o) => [o.promise.name, o]));
  const keys = new Set(requests.map((r) => `${r.promise}/${r.name}`));
  const out: RequestModel[] = [];

  const expand = (request: RequestModel, chain: readonly string[]): void => {
    out.push(request);
    const offer = byName.get(request.promise);
    if (!offer) return;
    const key = `${request.promise}/${request.name}`;
    // A spec that failed its schema was reported already; compose would only fail on it again.
    if (!offer.promise.parseSpec(request.spec, key).ok) return;
    let parts: Record<string, PartRequest | undefined>;
    try {
      parts = offer.promise.compose(composeView(request));
    } catch (err) {
      issues.push({
        kind: "promise",
        path: `${request.configPath} (${key})`,
        message: `compose failed: ${err instanceof Error ? err.message : String(err)}`,
        hint: "this is a bug in the promise",
      });
      return;
    }
    for (const role of Object.keys(parts).sort()) {
      const part = parts[role];
      if (part === undefined) continue;
      const where = `${request.configPath} (${key}, part ${role})`;
      const problem = roleProblem(role);
      if (problem) {
        issues.push({
          kind: "promise",
          path: where,
          message: `part name ${JSON.stringify(role)} ${problem}`,
          hint: "this is a bug in the promise",
        });
        continue;
      }
      if (chain.includes(part.promise)) {
        issues.push({
          path: where,
          message: `compound promises form a cycle: ${[...chain, part.promise].join(" → ")}`,
          hint: "a promise cannot be a part of itself, directly or through others; tell the promises' authors",
        });
        continue;
      }
      const partOffer = byName.get(part.promise);
      if (!partOffer) {
        issues.push({
          path: where,
          message: `needs promise ${part.promise}, which this stack does not offer`,
          hint: `add ${part.promise} to pledge:promises`,
        });
        continue;
      }
      const name = `${request.promise}-${request.name}-${role}`;
      const nameProblem = dnsLabelProblem(name);
      if (nameProblem) {
        issues.push({ path: where, message: `its request name: ${nameProblem}`, hint: "shorten the request's name" });
        continue;
      }
      const partKey = `${part.promise}/${name}`;
      if (keys.has(partKey)) {
        issues.push({ path: where, message: `its request ${partKey} is also asked for elsewhere`, hint: "rename one of them" });
        continue;
      }
      keys.add(partKey);
      const spec = partOffer.promise.parseSpec(part.spec, `${where}.spec`);
      if (!spec.ok) {
        issues.push(
          ...spec.issues.map((i) => ({
            ...i,
            kind: "promise" as const,
            hint: i.hint ?? "this is a bug in the compound promise",
          })),
        );
        continue;
      }
      const withParent = part.placement === "with-parent";
      const own = part.placement === "with-parent" ? {} : part.placement;
      const selectorProblems = own.selector ? validateSelector(own.selector) : [];
      if (selectorProblems.length > 0) {
        issues.push(...selectorProblems.map((problem) => ({ path: `${where}.selector`, message: problem })));
        continue;
      }
      // A part stays within its team's clusters, like any request of the team.
      const teamClusters = teams?.find((t) => t.name === request.team)?.clusters;
      const selector = withParent ? undefined : andSelectors(own.selector, teamClusters);
      const sub: RequestModel = {
        promise: part.promise,
        name,
        team: request.team,
        namespace: request.namespace,
        spec: spec.spec,
        // Messages about a part name its root request in the config, and the part by its key.
        configPath: request.configPath,
        ...(selector ? { selector } : {}),
        ...(own.count !== undefined ? { count: own.count } : {}),
        ...(own.spreadBy !== undefined ? { spreadBy: own.spreadBy } : {}),
        parent: { key, role, withParent },
      };
      expand(sub, [...chain, part.promise]);
    }
  };

  for (const request of requests) expand(request, [request.promise]);
  return out;
}
