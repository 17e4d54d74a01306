// What placement answers: plain JSON-serialisable data, published as a stack
// output and printed by the CLI, so every field is for a person to read.

export interface ClusterVerdict {
  cluster: string;
  /** kept: placed here before and still fits; spare: fits but the count is already met. */
  verdict: "chosen" | "kept" | "rejected" | "spare";
  reasons: string[];
}

/** A previous placement that had to go, and where its replacement went (if one was found). */
export interface Move {
  from: string;
  to?: string;
  reason: string;
}

export interface PromisePlacement {
  promise: string;
  /** Clusters that get the promise's dependencies, sorted. */
  eligible: string[];
  verdicts: ClusterVerdict[];
  summary: string;
}

export interface RequestPlacement {
  promise: string;
  name: string;
  key: string;
  /** In placement order: kept clusters first (previous order), then new ones. */
  clusters: string[];
  status: "placed" | "partial" | "unplaced";
  wanted: number;
  moves: Move[];
  /**
   * Verdicts judged for this request alone, in name order: chosen and kept
   * clusters, fitting clusters that capacity or spread blocked, and spare ones
   * that carry a note. Use allVerdicts() for every cluster's verdict.
   */
  verdicts: ClusterVerdict[];
  /** Clusters that can never take a request of this shape (promise, selector, pins), in name order; shared between requests of the same shape. */
  rejected: readonly ClusterVerdict[];
  /** How many other clusters fit but were not needed ("spare"). */
  spare: number;
  summary: string;
}

export interface FleetPlacement {
  promises: PromisePlacement[];
  requests: RequestPlacement[];
}

/** The spare verdict of a cluster that fits but was not needed. */
export function spareVerdict(cluster: string, wanted: number, notes: readonly string[] = []): ClusterVerdict {
  return {
    cluster,
    verdict: "spare",
    reasons: [`fits, but the request already has its ${wanted} cluster${wanted === 1 ? "" : "s"}`, ...notes],
  };
}

/** One cluster's verdict on a request: judged, rejected for its shape, or else spare. */
export function verdictFor(
  placement: Pick<RequestPlacement, "verdicts" | "rejected" | "wanted">,
  cluster: string,
): ClusterVerdict {
  return (
    placement.verdicts.find((v) => v.cluster === cluster) ??
    placement.rejected.find((v) => v.cluster === cluster) ??
    spareVerdict(cluster, placement.wanted)
  );
}

/** Every cluster's verdict on a request, in name order (the fleet's cluster names are needed to list the spare ones). */
export function allVerdicts(
  placement: Pick<RequestPlacement, "verdicts" | "rejected" | "wanted">,
  clusters: readonly string[],
): ClusterVerdict[] {
  const listed = new Map<string, ClusterVerdict>();
  for (const v of placement.rejected) listed.set(v.cluster, v);
  for (const v of placement.verdicts) listed.set(v.cluster, v);
  const names = [...new Set([...clusters, ...listed.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => listed.get(name) ?? spareVerdict(name, placement.wanted));
}

/** The warning for requests that are not (fully) placed, as `pledge up` and `pledge check` print it; undefined when all are. */
export function unplacedWarning(requests: readonly Pick<RequestPlacement, "key" | "status" | "summary">[]): string | undefined {
  const unplaced = requests.filter((r) => r.status !== "placed");
  if (unplaced.length === 0) return undefined;
  return `${unplaced.length} request${unplaced.length === 1 ? " is" : "s are"} not fully placed:\n${unplaced.map((r) => `  ${r.key}: ${r.summary}`).join("\n")}`;
}
