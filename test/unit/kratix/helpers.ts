// Kratix Promise documents for the import tests: a minimal valid Promise, and
// the same with one thing changed, written out as the YAML a file would hold.
import { join } from "node:path";
import { stringify } from "yaml";
import type { Issue } from "../../../src/issues";
import {
  buildKratixPromise,
  type ImportKratixOptions,
  type KratixImport,
  type KratixPromise,
  type KratixSpec,
} from "../../../src/kratix/import";
import { parseKratixPromise } from "../../../src/kratix/promise-file";
import type { Manifest } from "../../../src/promise/manifest";

export const fixtures = join(__dirname, "..", "..", "e2e", "fixtures", "kratix", "promises");

export const where = "promises/kratix/cache.yaml";

export const crd = (spec: Record<string, unknown> = { type: "object", properties: { size: { type: "string" } } }) => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "caches.example.dev" },
  spec: {
    group: "example.dev",
    names: { kind: "Cache", plural: "caches", singular: "cache" },
    scope: "Namespaced",
    versions: [
      { name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec } } } },
    ],
  },
});

/** The same CRD with another root schema (openAPIV3Schema) for its one version: with a spec property or without. */
export const crdWithRoot = (openAPIV3Schema: Record<string, unknown>) => {
  const base = crd();
  const version = { name: "v1", served: true, storage: true, schema: { openAPIV3Schema } };
  return { ...base, spec: { ...base.spec, versions: [version] } };
};

export const pipeline = (name: string, ...images: string[]) => ({
  apiVersion: "platform.kratix.io/v1alpha1",
  kind: "Pipeline",
  metadata: { name },
  spec: { containers: images.map((image, i) => ({ name: `step-${i}`, image })) },
});

/** A Promise document: metadata name `cache`, version v1.0.0, and `spec`. */
export function promiseYaml(spec: Record<string, unknown> = {}, root: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: "platform.kratix.io/v1alpha1",
    kind: "Promise",
    metadata: { name: "cache", labels: { "kratix.io/promise-version": "v1.0.0" } },
    spec,
    ...root,
  });
}

/** The lines a user reads, as formatIssue prints them. */
export function lines(issues: readonly Issue[]): string[] {
  return issues.map((i) => `${i.path}: ${i.message}${i.hint ? ` (${i.hint})` : ""}`);
}

/** A Promise text imported as a file would be (without reading anything). */
export function importText<Spec = KratixSpec>(
  text: string,
  options: ImportKratixOptions<Spec> = {},
  dependencyObjects: Manifest[] = [],
): KratixImport<Spec> {
  const parsed = parseKratixPromise(text, where);
  return parsed.ok ? buildKratixPromise(parsed.promise, where, options, dependencyObjects) : parsed;
}

/** The imported promise, failing the test with the problems when there are any. */
export function imported<Spec = KratixSpec>(text: string, options: ImportKratixOptions<Spec> = {}): KratixPromise<Spec> {
  const result = importText(text, options);
  if (!result.ok) throw new Error(`expected an import, got:\n${lines(result.issues).join("\n")}`);
  return result.promise;
}
