// Tables a person reads: where every request landed and why, from the stack's
// outputs. Pure formatting, tested without an engine (printPlacement writes
// the tables and sets the exit status).
import Table from "cli-table3";
import { allVerdicts } from "../../core/outcome";
import type { StackOutputs } from "../../outputs";
import { compareText } from "../../labels/ordering";

const plain = { head: [] as string[], border: [] as string[] };

export function promisesTable(outputs: StackOutputs): string {
  const table = new Table({
    head: ["promise", "dependencies installed on", "why"],
    style: plain,
    wordWrap: true,
    colWidths: [14, 30, 60],
  });
  for (const [name, p] of Object.entries(outputs.promises).sort(([a], [b]) => compareText(a, b))) {
    table.push([name, p.eligible.join(", ") || "(none)", p.summary]);
  }
  return table.toString();
}

export function requestsTable(outputs: StackOutputs): string {
  const table = new Table({
    head: ["request", "status", "clusters", "why"],
    style: plain,
    wordWrap: true,
    colWidths: [26, 10, 22, 48],
  });
  for (const [key, r] of Object.entries(outputs.requests).sort(([a], [b]) => compareText(a, b))) {
    const moves = r.moves.map((m) => `moved off ${m.from}${m.to ? ` to ${m.to}` : ""}: ${m.reason}`);
    table.push([key, r.status, r.clusters.join(", ") || "-", [r.summary, ...moves].join("\n")]);
  }
  return table.toString();
}

/** Every cluster's verdict on one request, with reasons. */
export function explainRequestTable(outputs: StackOutputs, key: string): string {
  const explanation = outputs.explanations.requests[key];
  if (!explanation)
    throw new Error(
      `no request ${JSON.stringify(key)}; known: ${Object.keys(outputs.requests).sort().join(", ") || "none (run pledge up first)"}`,
    );
  const request = outputs.requests[key];
  const family = [
    ...(request?.parent ? [`part ${request.parent.role} of ${request.parent.key}`] : []),
    ...Object.entries(request?.parts ?? {}).map(
      ([role, part]) => `part ${role}: ${part} (${outputs.requests[part]?.summary ?? "not in this stack"})`,
    ),
  ];
  return `${key}: ${request?.summary ?? ""}\n${family.map((line) => `  ${line}\n`).join("")}${verdictTable(allVerdicts(explanation, outputs.clusters))}`;
}

/** Every cluster's verdict on a promise's dependencies, with reasons. */
export function explainPromiseTable(outputs: StackOutputs, name: string): string {
  const explanation = outputs.explanations.promises[name];
  if (!explanation)
    throw new Error(
      `no promise ${JSON.stringify(name)} on this stack; offered: ${Object.keys(outputs.promises).sort().join(", ") || "none"}`,
    );
  return `promise ${name}: ${outputs.promises[name]?.summary ?? ""}\n${verdictTable(explanation.verdicts)}`;
}

function verdictTable(verdicts: readonly { cluster: string; verdict: string; reasons: readonly string[] }[]): string {
  const table = new Table({ head: ["cluster", "verdict", "reasons"], style: plain, wordWrap: true, colWidths: [16, 10, 70] });
  for (const v of verdicts) table.push([v.cluster, v.verdict, v.reasons.join("\n") || "-"]);
  return table.toString();
}

/** Both tables on stdout; exit status 2 when something is unplaced: the rest deployed, but a team is waiting. */
export function printPlacement(outputs: StackOutputs): void {
  process.stdout.write(`\nPromises\n${promisesTable(outputs)}\n\nRequests\n${requestsTable(outputs)}\n`);
  if (outputs.unplaced.length > 0) {
    process.stdout.write(
      `\n${outputs.unplaced.length} request(s) not fully placed: ${outputs.unplaced.join(", ")}; see \`pledge explain <request>\`\n`,
    );
    process.exitCode = 2;
  }
}
