// Small builders so placement tests state only what matters to the rule they check.
import type {
  ClusterFacts,
  ClusterVerdict,
  FleetFacts,
  FleetPlacement,
  PreviousPlacement,
  PromiseFacts,
  PromisePlacement,
  RequestFacts,
  RequestPlacement,
} from "../../../src/core/placement";
import { placeFleet } from "../../../src/core/placement";
import { verdictFor } from "../../../src/core/outcome";
import type { Labels } from "../../../src/labels/labels";

export function cluster(name: string, labels: Labels = {}, more: Partial<ClusterFacts> = {}): ClusterFacts {
  return { name, labels, taints: [], ...more };
}

export function promise(name: string, more: Partial<PromiseFacts> = {}): PromiseFacts {
  return { name, selectors: [], tolerations: [], requires: [], defaults: { count: 1 }, ...more };
}

export function request(promiseName: string, name: string, more: Partial<RequestFacts> = {}): RequestFacts {
  return { promise: promiseName, name, ...more };
}

/** placeFleet with empty defaults; `previous` as a plain object of key -> clusters. */
export function place(
  input: Partial<Omit<FleetFacts, "previous">> & { previous?: Record<string, string[]> | PreviousPlacement },
): FleetPlacement {
  const previous = input.previous instanceof Map ? input.previous : new Map(Object.entries(input.previous ?? {}));
  return placeFleet({
    clusters: input.clusters ?? [],
    promises: input.promises ?? [],
    requests: input.requests ?? [],
    previous,
    ...(input.previousEligible ? { previousEligible: input.previousEligible } : {}),
  });
}

/** Each promise's eligible clusters of a result, in the shape placeFleet takes back as `previousEligible`. */
export function previousEligibleOf(result: FleetPlacement): Map<string, string[]> {
  return new Map(result.promises.map((placement) => [placement.promise, placement.eligible]));
}

/** The placements of a result, in the shape placeFleet takes back as `previous`. */
export function previousOf(result: FleetPlacement): PreviousPlacement {
  return new Map(result.requests.map((placement) => [placement.key, placement.clusters]));
}

export function requestIn(result: FleetPlacement, key: string): RequestPlacement {
  const found = result.requests.find((placement) => placement.key === key);
  if (!found) throw new Error(`no request ${key} in the result`);
  return found;
}

export function promiseIn(result: FleetPlacement, name: string): PromisePlacement {
  const found = result.promises.find((placement) => placement.promise === name);
  if (!found) throw new Error(`no promise ${name} in the result`);
  return found;
}

export function verdictOn(placement: { verdicts: ClusterVerdict[] } | RequestPlacement, clusterName: string): ClusterVerdict {
  const found =
    "rejected" in placement
      ? verdictFor(placement, clusterName)
      : placement.verdicts.find((verdict) => verdict.cluster === clusterName);
  if (!found) throw new Error(`no verdict for cluster ${clusterName}`);
  return found;
}
