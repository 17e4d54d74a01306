// dependenciesFrom: the output of a Promise's promise.configure pipelines,
// given as a directory of YAML (e.g. a marketplace promise's
// internal/configure-pipeline/resources/dependencies, which its image copies to
// /kratix/output). Every file below it, in path order, as Kratix takes every
// file of the output; a file that is not Kubernetes YAML is an error, since
// Pledge applies objects only.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Issue } from "../issues";
import type { Manifest } from "../promise/manifest";
import { parseYamlObjects } from "../promise/yaml-objects";

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => statSync(join(dir, name)).isFile())
    .sort();
}

/** The objects of every YAML file below `dir`; `label` names the directory in messages. */
export function readDependencyFiles(dir: string, label: string, path: string): { objects: Manifest[]; issues: Issue[] } {
  const problem = (message: string, hint?: string): Issue => ({ path, message, ...(hint ? { hint } : {}), kind: "promise" });
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) return { objects: [], issues: [problem(`${label} is not a directory`)] };
    files = filesBelow(dir);
  } catch (err) {
    return { objects: [], issues: [problem(`${label} cannot be read: ${(err as Error).message}`)] };
  }
  const objects: Manifest[] = [];
  const issues: Issue[] = [];
  for (const file of files) {
    const name = relative(dir, join(dir, file));
    if (!/\.(ya?ml|json)$/.test(file)) {
      issues.push(problem(`${label}/${name} is not YAML`, "Pledge applies Kubernetes objects only: move other files out"));
      continue;
    }
    const parsed = parseYamlObjects(readFileSync(join(dir, file), "utf8"));
    issues.push(...parsed.problems.map((p) => problem(`${label}/${name}: ${p}`)));
    for (const object of parsed.objects) {
      if (object.kind === "Promise" && object.apiVersion.startsWith("platform.kratix.io/")) {
        issues.push(
          problem(
            `${label}/${name} holds Promise ${object.metadata.name}: a compound promise, which Pledge cannot import`,
            "import the inner Promise on its own and offer both",
          ),
        );
      } else objects.push(object);
    }
  }
  if (files.length === 0) issues.push(problem(`${label} holds no files`));
  return { objects, issues };
}
