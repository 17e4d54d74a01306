// The part of a render plan one shard applies: the objects of its clusters.
// The plan is made over the whole fleet first (so every shard renders the
// same thing), then cut. One thing crosses shards: a compound request's copy
// of a part's credentials whose source Secret lives in another shard's stack.
// There it cannot read the source's live data, so it takes the data the plan
// rendered for the source (generated passwords are derived from the stack's
// seed, so both shards hold the same value and a seed rotation reaches both).
// Pure.
import type { Issue } from "../issues";
import { isBuildingBlock } from "./blocks";
import type { Manifest } from "./manifest";
import type { PlannedObject, RenderPlan } from "./plan";

/** A Secret's payload as `data` (base64), whichever of data and stringData the render used. */
export function secretData(source: Manifest): Record<string, string> {
  const data: Record<string, string> = { ...((source.data as Record<string, string> | undefined) ?? {}) };
  for (const [key, value] of Object.entries((source.stringData as Record<string, string> | undefined) ?? {}))
    data[key] = Buffer.from(String(value), "utf8").toString("base64");
  return data;
}

export function planForShard(
  plan: RenderPlan,
  shard: { name: string; clusters: readonly string[] },
): { plan: RenderPlan; issues: Issue[] } {
  const mine = new Set(shard.clusters);
  const byName = new Map(plan.objects.map((o) => [o.resourceName, o]));
  const issues: Issue[] = [];
  const objects = plan.objects
    .filter((o) => mine.has(o.cluster))
    .map((o): PlannedObject => {
      if (!o.secretDataFrom) return o;
      const source = byName.get(o.secretDataFrom);
      if (!source || mine.has(source.cluster)) return o;
      if (isBuildingBlock(source.content)) {
        issues.push({
          kind: "promise",
          path: "pledge:shards",
          message: `${o.resourceName} copies credentials from ${source.resourceName}, which a chart or YAML file renders in another shard`,
          hint: `put clusters ${o.cluster} and ${source.cluster} in one shard, or have the part's promise render its Secret as a manifest`,
        });
        return o;
      }
      const { secretDataFrom: _copied, ...rest } = o;
      return {
        ...rest,
        content: { ...(o.content as Manifest), data: secretData(source.content) },
        dependsOn: o.dependsOn.filter((n) => n !== source.resourceName),
      };
    });
  // Outputs stay whole: every shard's stack reports the fleet's decision, as the fleet stack does.
  return { plan: { objects, outputs: plan.outputs }, issues };
}
