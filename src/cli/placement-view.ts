// Tables a person reads: where every request landed and why, from the stack's
// outputs. Pure formatting, tested without an engine.
import Table from "cli-table3";
import { allVerdicts, type RequestPlacement } from "../core/outcome";

export interface RequestOutput {
  status: "placed" | "partial" | "unplaced";
  clusters: string[];
  wanted: number;
  summary: string;
  moves: { from: string; to?: string; reason: string }[];
}

export interface VerdictOutput {
  cluster: string;
  verdict: string;
  reasons: string[];
}

/** A request's explanation as the stack output keeps it: see allVerdicts in src/core/outcome.ts. */
export interface ExplanationOutput {
  verdicts: VerdictOutput[];
  rejected: VerdictOutput[];
  spare: number;
  wanted: number;
}

export interface PlacementOutputs {
  requests?: Record<string, RequestOutput>;
  promises?: Record<string, { eligible: string[]; summary: string }>;
  explanations?: Record<string, ExplanationOutput>;
  clusters?: string[];
  unplaced?: string[];
}

const plain = { head: [] as string[], border: [] as string[] };

export function promisesTable(outputs: PlacementOutputs): string {
  const table = new Table({ head: ["promise", "dependencies installed on", "why"], style: plain, wordWrap: true, colWidths: [14, 30, 60] });
  for (const [name, p] of Object.entries(outputs.promises ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    table.push([name, p.eligible.join(", ") || "(none)", p.summary]);
  }
  return table.toString();
}

export function requestsTable(outputs: PlacementOutputs): string {
  const table = new Table({ head: ["request", "status", "clusters", "why"], style: plain, wordWrap: true, colWidths: [26, 10, 22, 48] });
  for (const [key, r] of Object.entries(outputs.requests ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const moves = r.moves.map((m) => `moved off ${m.from}${m.to ? ` to ${m.to}` : ""}: ${m.reason}`);
    table.push([key, r.status, r.clusters.join(", ") || "-", [r.summary, ...moves].join("\n")]);
  }
  return table.toString();
}

/** Every cluster's verdict on one request (or `promise <name>`), with reasons. */
export function explainTable(outputs: PlacementOutputs, key: string): string {
  const explanation = outputs.explanations?.[key];
  if (!explanation) {
    const known = Object.keys(outputs.explanations ?? {}).sort();
    throw new Error(`no placement for ${JSON.stringify(key)}; known: ${known.join(", ") || "none (run pledge up first)"}`);
  }
  const verdicts = key.startsWith("promise ")
    ? explanation.verdicts
    : allVerdicts(explanation as Pick<RequestPlacement, "verdicts" | "rejected" | "wanted">, outputs.clusters ?? []);
  const table = new Table({ head: ["cluster", "verdict", "reasons"], style: plain, wordWrap: true, colWidths: [16, 10, 70] });
  for (const v of verdicts) table.push([v.cluster, v.verdict, v.reasons.join("\n") || "-"]);
  const summary = key.startsWith("promise ") ? outputs.promises?.[key.slice(8)]?.summary : outputs.requests?.[key]?.summary;
  return `${key}: ${summary ?? ""}\n${table.toString()}`;
}
