// dependenciesFrom: the output of a Promise's promise.configure pipelines,
// given as a directory of YAML (e.g. a marketplace promise's
// internal/configure-pipeline/resources/dependencies, which its image copies to
// /kratix/output). Every file below it, in path order, as Kratix takes every
// file of the output; a file that is not Kubernetes YAML is an error, since
// Pledge applies objects only. The run reads the directory
// (src/run/kratix-files.ts); this file gets what it read.
import type { Issue } from "../issues";
import type { Manifest } from "../promise/manifest";
import { parseYamlObjects } from "../promise/yaml-objects";

/** Why a file or directory could not be read, as the error said it. */
export interface ReadError {
  /** The errno code (ENOENT, EACCES), when there is one. */
  code?: string;
  message: string;
}

/** A file below a dependenciesFrom directory: its path relative to the directory, and its text when it is YAML (the others are not read). */
export interface DependencyFile {
  name: string;
  text?: string;
}

/** A dependenciesFrom directory as the run read it: every file below it in path order, or why there are none. */
export type DependencyDirectory = { files: readonly DependencyFile[] } | { notADirectory: true } | { error: ReadError };

/** Which files below the directory are read as YAML; the others are errors. */
export function isDependencyYaml(name: string): boolean {
  return /\.(ya?ml|json)$/.test(name);
}

/** The objects of every YAML file of the directory; `label` names the directory in messages, `path` is where the option is written. */
export function dependencyObjects(
  directory: DependencyDirectory,
  label: string,
  path: string,
): { objects: Manifest[]; issues: Issue[] } {
  const problem = (message: string, hint?: string): Issue => ({ path, message, ...(hint ? { hint } : {}), kind: "promise" });
  if ("notADirectory" in directory) return { objects: [], issues: [problem(`${label} is not a directory`)] };
  if ("error" in directory) return { objects: [], issues: [problem(`${label} cannot be read: ${directory.error.message}`)] };
  const objects: Manifest[] = [];
  const issues: Issue[] = [];
  for (const { name, text } of directory.files) {
    if (!isDependencyYaml(name)) {
      issues.push(problem(`${label}/${name} is not YAML`, "Pledge applies Kubernetes objects only: move other files out"));
      continue;
    }
    if (text === undefined) throw new Error(`${label}/${name}: the run did not read this YAML file`);
    const parsed = parseYamlObjects(text);
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
  if (directory.files.length === 0) issues.push(problem(`${label} holds no files`));
  return { objects, issues };
}
