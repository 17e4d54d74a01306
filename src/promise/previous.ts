// Where each request was placed last time, for stickiness across runs and
// restarts. Durable source: this stack's own last `placements` output, read
// through a StackReference to itself (empty on the first run).
import * as pulumi from "@pulumi/pulumi";
import type { PreviousPlacement } from "../core/facts";

export const placementsOutput = "placements";

export function parsePlacements(value: unknown): PreviousPlacement {
  const out = new Map<string, string[]>();
  if (typeof value !== "object" || value === null) return out;
  for (const [key, clusters] of Object.entries(value)) {
    if (Array.isArray(clusters) && clusters.every((c) => typeof c === "string")) out.set(key, clusters);
  }
  return out;
}

export async function readPreviousPlacement(): Promise<PreviousPlacement> {
  const self = new pulumi.StackReference("pledge-previous-placement", {
    name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`,
  });
  const details = await self.getOutputDetails(placementsOutput);
  return parsePlacements(details.value ?? details.secretValue);
}
