// YAML documents as manifests, and how messages name the block they came
// from: pure, so the importer, the render plan and the shell share them. The
// reading of files and URLs is src/run/sources.ts.
import { parseAllDocuments } from "yaml";
import type { Manifest } from "./manifest";
import { manifestProblems } from "./manifest";
import type { PlannedObject } from "./plan";

/** Where a block sits, as messages name it: `promise postgres dependencies on local-1`. */
export function blockOwnerPath(o: PlannedObject): string {
  return o.owner.kind === "request"
    ? `request ${o.owner.promise}/${o.owner.request} on ${o.cluster}`
    : `promise ${o.owner.kind === "dependency" ? o.owner.promise : "?"} dependencies on ${o.cluster}`;
}

/** The documents of a YAML text as manifests; `kind: List` expands to its items. */
export function parseYamlObjects(text: string): { objects: Manifest[]; problems: string[] } {
  const objects: Manifest[] = [];
  const problems: string[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) {
      problems.push(`document ${i + 1} is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
      return;
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return;
    const items =
      typeof value === "object" &&
      (value as Manifest).kind?.endsWith?.("List") &&
      Array.isArray((value as { items?: unknown }).items)
        ? (value as { items: unknown[] }).items
        : [value];
    for (const item of items) {
      const manifest = item as Manifest;
      const bad =
        typeof item === "object" && item !== null && !Array.isArray(item) ? manifestProblems(manifest) : ["is not an object"];
      if (bad.length > 0) problems.push(`document ${i + 1}${manifest?.kind ? ` (${manifest.kind})` : ""}: ${bad.join("; ")}`);
      else objects.push(manifest);
    }
  });
  return { objects, problems };
}
