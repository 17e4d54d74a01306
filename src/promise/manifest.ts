// A Kubernetes object as a promise renders it: plain data, no Pulumi.
import type { Labels } from "../labels/labels";
import { objectNameProblem } from "./object-names";

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** What a promise sees of the cluster it renders for. */
export interface ClusterView {
  name: string;
  labels: Labels;
}

/** Problems with a rendered manifest (empty when fine): render bugs get caught before anything is applied. */
export function manifestProblems(manifest: Manifest): string[] {
  const problems: string[] = [];
  const apiVersion = typeof manifest.apiVersion === "string" ? manifest.apiVersion : "";
  const kind = typeof manifest.kind === "string" ? manifest.kind : "";
  if (apiVersion === "") problems.push("apiVersion is missing");
  if (kind === "") problems.push("kind is missing");
  const nameProblem = objectNameProblem(apiVersion, kind || "object", manifest.metadata?.name);
  if (nameProblem) problems.push(nameProblem);
  return problems;
}

/** A stable identity of an object within one cluster: Kind/namespace/name. */
export function objectId(manifest: Manifest): string {
  return [manifest.kind, manifest.metadata.namespace, manifest.metadata.name].filter(Boolean).join("/");
}

export function isCustomResourceDefinition(manifest: Manifest): boolean {
  return manifest.kind === "CustomResourceDefinition" && manifest.apiVersion.startsWith("apiextensions.k8s.io/");
}

export function isSecret(manifest: Pick<Manifest, "apiVersion" | "kind">): boolean {
  return manifest.kind === "Secret" && manifest.apiVersion === "v1";
}

export function isNamespace(manifest: Manifest): boolean {
  return manifest.kind === "Namespace" && manifest.apiVersion === "v1";
}

/** The type token @pulumi/kubernetes uses for an apiVersion/kind (core group is written core/v1). */
export function kubernetesTypeToken(manifest: Pick<Manifest, "apiVersion" | "kind">): string {
  const groupVersion = manifest.apiVersion.includes("/") ? manifest.apiVersion : `core/${manifest.apiVersion}`;
  return `kubernetes:${groupVersion}:${manifest.kind}`;
}
