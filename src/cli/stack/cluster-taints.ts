// One cluster's taints edited in a stack's config file (Pulumi.<stack>.yaml),
// the file's layout, comments and form kept: what `pledge cordon` and
// `pledge uncordon` write. Pure.
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from "yaml";
import type { Taint } from "../../labels/taints";
import { UpdateError } from "../update-error";

const clustersKey = "pledge:clusters";

/** A cluster's taints with the cordon added (unchanged when it is there already). Pure. */
export function withCordon(taints: readonly Taint[], key: string): Taint[] {
  return taints.some((t) => t.key === key && t.effect === "NoSchedule")
    ? [...taints]
    : [...taints, { key, effect: "NoSchedule" }];
}

/** A cluster's taints without the cordon of that key. Pure. */
export function withoutCordon(taints: readonly Taint[], key: string): Taint[] {
  return taints.filter((t) => !(t.key === key && t.effect === "NoSchedule"));
}

type Edit = (taints: readonly Taint[]) => readonly Taint[];

/**
 * Applies `edit` to one cluster's taints in a stack config file's text and
 * returns the new text and the taints before and after. The clusters may be
 * written as YAML (as a person writes them) or as one JSON string (as
 * `pulumi config set` writes them); either keeps its form.
 */
export function editClusterTaints(
  text: string,
  cluster: string,
  edit: Edit,
): { text: string; before: readonly Taint[]; after: readonly Taint[] } {
  const document = parseDocument(text);
  const config = document.get("config");
  const node = isMap(config) ? config.get(clustersKey, true) : undefined;
  if (node === undefined) throw new UpdateError(`${clustersKey} is not in this stack's config file: add the cluster there first`);
  if (isScalar(node) && typeof node.value === "string") {
    const clusters = JSON.parse(node.value) as { name?: unknown; taints?: Taint[] }[];
    const found = clusters.find((c) => c.name === cluster);
    if (!found)
      throw unknownCluster(
        cluster,
        clusters.map((c) => String(c.name)),
      );
    const before = found.taints ?? [];
    const after = edit(before);
    found.taints = [...after];
    node.value = JSON.stringify(clusters);
    return { text: document.toString({ flowCollectionPadding: false }), before, after };
  }
  if (!isSeq(node)) throw new UpdateError(`${clustersKey} in this stack's config file is not a list of clusters`);
  const entry = (node as YAMLSeq).items.find((item) => isMap(item) && item.get("name") === cluster) as YAMLMap | undefined;
  if (!entry)
    throw unknownCluster(
      cluster,
      (node as YAMLSeq).items.map((item) => String(isMap(item) ? item.get("name") : item)),
    );
  const before = ((entry.toJSON() as { taints?: Taint[] }).taints ?? []).map((t) => ({ ...t }));
  const after = edit(before);
  if (after.length === 0) entry.delete("taints");
  else entry.set("taints", flowSeq(document, after));
  return { text: document.toString({ flowCollectionPadding: false }), before, after };
}

/** Taints written as the dev stack writes them: one `{key: ..., effect: ...}` per line. */
function flowSeq(document: Document, taints: readonly Taint[]): YAMLSeq {
  const seq = document.createNode(taints) as YAMLSeq;
  for (const item of seq.items) if (isMap(item)) item.flow = true;
  return seq;
}

function unknownCluster(cluster: string, known: readonly string[]): UpdateError {
  return new UpdateError(`there is no cluster ${cluster} in ${clustersKey}; the stack's clusters are ${known.join(", ")}`);
}
