// A state store's changes as a person reads them: the store resource's
// detailed diff names each file it would add, change or remove
// (`files["clusters/edge-1/resources/shop/web/site/deployment-shop-site.yaml"]`),
// and its inputs say which cluster owns which directory. Each file becomes a
// change on its cluster, owned by what its path says (the layout of
// src/gitops/layout.ts), so a Git-delivered cluster's changes are counted and
// listed like any other cluster's.
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { ObjectOwner } from "../stack/state-objects";

export interface FileChange {
  cluster: string;
  op: "create" | "update" | "delete";
  /** The file's path inside the cluster's directory. */
  name: string;
  owner?: ObjectOwner;
}

const fileKey = /^files\["(.+)"\]$/;

function opOf(kind: string): FileChange["op"] | undefined {
  if (kind.startsWith("add")) return "create";
  if (kind.startsWith("delete")) return "delete";
  if (kind.startsWith("update")) return "update";
  return undefined;
}

/** resources/<team>/<promise>/<request>/... is a request's; dependencies/<promise>/... a promise's. */
function ownerOfPath(path: string): ObjectOwner | undefined {
  const parts = path.split("/");
  if (parts[0] === "resources" && parts.length >= 5 && parts[2] !== "environment")
    return { kind: "request", request: `${parts[2]}/${parts[3]}` };
  if (parts[0] === "resources" && parts[2] === "environment") return { kind: "team", team: parts[1]! };
  if (parts[0] === "dependencies" && parts.length >= 3) return { kind: "dependency", promise: parts[1]! };
  return undefined;
}

/** The file changes of one engine event (a store resource's step), or none. */
export function fileChangesOf(event: EngineEvent): FileChange[] {
  const pre = event.resourcePreEvent?.metadata;
  if (!pre?.detailedDiff) return [];
  const inputs = (pre.new?.inputs ?? pre.old?.inputs) as { prefixes?: Record<string, { cluster?: string }> } | undefined;
  const prefixes = Object.entries(inputs?.prefixes ?? {}).filter(([, p]) => typeof p?.cluster === "string");
  if (prefixes.length === 0) return [];
  const changes: FileChange[] = [];
  for (const [key, diff] of Object.entries(pre.detailedDiff)) {
    const path = fileKey.exec(key)?.[1];
    // The engine's events name it diffKind (apitype.PropertyDiff).
    const op = opOf(String((diff as { diffKind?: unknown }).diffKind ?? ""));
    if (!path || !op) continue;
    const owning = prefixes.find(([prefix]) => path.startsWith(`${prefix}/`));
    if (!owning) continue;
    const name = path.slice(owning[0].length + 1);
    const owner = ownerOfPath(name);
    changes.push({ cluster: owning[1].cluster!, op, name, ...(owner ? { owner } : {}) });
  }
  return changes;
}
