// What placement tells the person running the update, in the engine's own
// output: every move (so preview shows it before it happens) and every request
// that is not fully placed.
import * as pulumi from "@pulumi/pulumi";
import { unplacedWarning, type FleetPlacement } from "../core/outcome";
import type { RequestModel } from "../promise/model-types";

export function reportPlacement(
  placement: FleetPlacement,
  unreachable: ReadonlyMap<string, string> = new Map(),
  requests: readonly RequestModel[] = [],
): void {
  const parents = new Map<string, { key: string; role: string }>();
  for (const r of requests) if (r.parent) parents.set(`${r.promise}/${r.name}`, r.parent);
  for (const [cluster, why] of unreachable) {
    pulumi.log.warn(
      `cluster ${cluster} is unreachable (${why}): its objects are left as they are and it takes no new requests until it is back`,
    );
  }
  for (const r of placement.requests) {
    for (const move of r.moves) {
      const parent = parents.get(r.key);
      // A compound request is re-wired to its moving part in the same update (a new address and credentials copy).
      const rewired = parent && move.to ? `; ${parent.key} is re-wired to its ${parent.role} on ${move.to} in this update` : "";
      pulumi.log.warn(`request ${r.key} moves off ${move.from}${move.to ? ` to ${move.to}` : ""}: ${move.reason}${rewired}`);
    }
  }
  const unplaced = unplacedWarning(placement.requests);
  if (!unplaced) return;
  // A warning, not a failed program: the engine skips every deletion of a failed
  // program, so failing here would stop the rest of the stack from converging.
  // `pledge up` / `pledge placement` turn the `unplaced` output into exit status 2.
  pulumi.log.warn(unplaced);
}
