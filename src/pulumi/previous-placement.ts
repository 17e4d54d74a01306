// Where each request was placed last time, for stickiness across runs and
// restarts. Durable source: this stack's own last `placements` output, read
// through a StackReference to itself (empty on the first run).
import * as pulumi from "@pulumi/pulumi";
import type { PreviousPlacement } from "../core/facts";
import { placementsOutputName, previousPlacementOf } from "../outputs";

export async function readPreviousPlacement(): Promise<PreviousPlacement> {
  const self = new pulumi.StackReference("pledge-previous-placement", {
    name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
  });
  const details = await self.getOutputDetails(placementsOutputName);
  return previousPlacementOf(details.value ?? details.secretValue);
}
