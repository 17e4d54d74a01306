// The promises a platform's catalogue offers, as a table. Pure formatting.
import Table from "cli-table3";
import { compareText } from "../../labels/ordering";
import type { PledgePromise } from "../../promise/define";

export function catalogueTable(catalogue: readonly PledgePromise<any>[]): string {
  const table = new Table({
    head: ["promise", "version", "description"],
    style: { head: [], border: [] },
    wordWrap: true,
    colWidths: [16, 10, 70],
  });
  for (const p of [...catalogue].sort((a, b) => compareText(a.name, b.name))) table.push([p.name, p.version, p.description]);
  return table.toString();
}
