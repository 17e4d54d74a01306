// What placement tells the person running the update, in the engine's own
// output: every move (so preview shows it before it happens) and every request
// that is not fully placed.
import * as pulumi from "@pulumi/pulumi";
import { unplacedWarning, type FleetPlacement } from "../core/outcome";

export function reportPlacement(placement: FleetPlacement, unreachable: ReadonlyMap<string, string> = new Map()): void {
  for (const [cluster, why] of unreachable) {
    pulumi.log.warn(
      `cluster ${cluster} is unreachable (${why}): its objects are left as they are and it takes no new requests until it is back`,
    );
  }
  for (const r of placement.requests) {
    for (const move of r.moves) {
      pulumi.log.warn(`request ${r.key} moves off ${move.from}${move.to ? ` to ${move.to}` : ""}: ${move.reason}`);
    }
  }
  const unplaced = unplacedWarning(placement.requests);
  if (!unplaced) return;
  // A warning, not a failed program: the engine skips every deletion of a failed
  // program, so failing here would stop the rest of the stack from converging.
  // `pledge up` / `pledge placement` turn the `unplaced` output into exit status 2.
  pulumi.log.warn(unplaced);
}
