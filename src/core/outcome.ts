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
  verdicts: ClusterVerdict[];
  summary: string;
}

export interface FleetPlacement {
  promises: PromisePlacement[];
  requests: RequestPlacement[];
}
