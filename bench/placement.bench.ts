// Placement with explanations at scale: `node --import tsx bench/placement.bench.ts [requests] [clusters] [runs]`.
// Prints the median, min and max wall time of placeFleet over several runs, for a
// fresh placement and for a sticky re-placement (previous = the first result).
import { performance } from "node:perf_hooks";
import { placeFleet } from "../src/core/placement";
import { syntheticFleet } from "./synthetic-fleet";

const requests = Number(process.argv[2] ?? 10_000);
const clusters = Number(process.argv[3] ?? 1_000);
const runs = Number(process.argv[4] ?? 7);
let mark = performance.now();
const fleet = syntheticFleet(clusters, 20, requests);
console.log(`fleet synthesised in ${((performance.now() - mark) / 1000).toFixed(1)} s`);

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms (min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}, ${runs} runs)`;
}

const fresh: number[] = [];
const sticky: number[] = [];
mark = performance.now();
let result = placeFleet({ ...fleet, previous: new Map() });
// Printed at once: at 100k x 10k one placement takes minutes.
console.log(`first (warm-up) placement ${((performance.now() - mark) / 1000).toFixed(1)} s`);
for (let i = 0; i < runs; i++) {
  let start = performance.now();
  result = placeFleet({ ...fleet, previous: new Map() });
  fresh.push(performance.now() - start);
  const previous = new Map(result.requests.map((r) => [r.key, r.clusters]));
  start = performance.now();
  placeFleet({ ...fleet, previous });
  sticky.push(performance.now() - start);
}
const placed = result.requests.filter((r) => r.status === "placed").length;
const verdicts = result.requests.reduce((n, r) => n + r.verdicts.length, 0);
console.log(`placement: ${requests} requests x ${clusters} clusters x 20 promises; ${placed} placed, ${verdicts} verdicts`);
console.log(`  fresh  : ${stats(fresh)}`);
console.log(`  sticky : ${stats(sticky)}`);
console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
