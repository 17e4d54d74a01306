// `pledge status` as a team reads it: per request, where it runs and why, each
// cluster's objects with their readiness, the connection details (outputs) and
// any drift. Pure formatting.
import Table from "cli-table3";
import type { StatusReport } from "../engine/status";

const plain = { head: [] as string[], border: [] as string[] };

export function statusText(report: StatusReport): string {
  const parts: string[] = [];
  for (const r of report.requests) {
    const state = r.placement !== "placed" ? r.placement : r.ready ? "ready" : "not ready";
    const part = r.parent ? `part ${r.parent.role} of ${r.parent.key}: ` : "";
    parts.push(`${part}${r.request} (team ${r.team || "-"}): ${state}\n  placement: ${r.summary}`);
    if (r.clusters.length === 0) continue;
    const table = new Table({
      head: ["cluster", "object", "ready", "detail"],
      style: plain,
      wordWrap: true,
      colWidths: [14, 44, 7, 40],
    });
    for (const c of r.clusters) {
      if (c.delivery)
        table.push([c.cluster, `(through Git: store ${c.delivery.store})`, c.delivery.applied ? "yes" : "no", c.delivery.detail]);
      else if (c.objects.length === 0) table.push([c.cluster, "(no objects in the state)", "no", "run pledge up"]);
      for (const o of c.objects)
        table.push([c.cluster, `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`, o.ready ? "yes" : "no", o.detail]);
    }
    parts.push(table.toString());
    for (const c of r.clusters) {
      const outputs = Object.entries(c.outputs);
      if (outputs.length > 0) parts.push(`  ${c.cluster} outputs: ${outputs.map(([k, v]) => `${k}=${String(v)}`).join(", ")}`);
      if (c.drift.length > 0)
        parts.push(
          `  ${c.cluster} drift (changed outside Pledge; pledge up puts it back): ${c.drift.map((d) => `${d.object} ${d.change}`).join(", ")}`,
        );
    }
  }
  if (report.requests.length === 0) parts.push("no requests");
  if (report.driftUnknown) parts.push(`drift not read: ${report.driftUnknown}`);
  return `${parts.join("\n")}\n`;
}
