// What the last update left, for stickiness across runs and restarts and for
// the deletion guard. Durable source: this stack's own last outputs, read
// through a StackReference to itself (empty on the first run); a shard's stack
// reads its fleet stack's, where the placement is decided.
import * as pulumi from "@pulumi/pulumi";
import { previousStateOf, type PreviousState } from "../outputs";

export async function readPreviousState(
  stack: string = pulumi.getStack(),
  /** A shard reads two stacks (its fleet's placement, its own outputs): each reference needs a name of its own. */
  resourceName = "pledge-previous-placement",
): Promise<PreviousState> {
  const self = new pulumi.StackReference(resourceName, {
    name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${stack}`,
  });
  const read = async (name: string) => {
    const details = await self.getOutputDetails(name);
    return details.value ?? details.secretValue;
  };
  const [placements, clusters, promises, requests, keptNamespaces, applied, rollout] = await Promise.all(
    ["placements", "clusters", "promises", "requests", "keptNamespaces", "applied", "rollout"].map(read),
  );
  return previousStateOf({ placements, clusters, promises, requests, keptNamespaces, applied, rollout });
}
