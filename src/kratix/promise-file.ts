// A Kratix Promise file (platform.kratix.io/v1alpha1 Promise) read into plain
// data, with every problem Kratix or `kubectl apply` would refuse it for that
// matters to an import: unknown fields (kubectl validates strictly), pipelines
// Kratix decodes strictly (api/v1alpha1/pipeline_types.go
// PipelinesFromUnstructured), selectors with matchLabels only. Pure: the caller reads the file.
import { parseAllDocuments } from "yaml";
import { keyPath, type Issue, type KeyPath } from "../issues";
import { validateLabelKey, validateLabelValue } from "../labels/labels";
import { manifestProblems, type Manifest } from "../promise/manifest";
import type { CrdSchema } from "../crd-schema/schema";
import { isPlainObject } from "../crd-schema/schema";
import { storageSpecSchema, type SpecField } from "../crd-schema/storage-schema";

/** The label Kratix reads a Promise's version from (api/v1alpha1/work_types.go PromiseVersionLabel). */
export const promiseVersionLabel = "kratix.io/promise-version";

/** spec.requiredPromises[]: a Promise that must be available (at this version, when given) before this one serves requests. */
export interface KratixRequiredPromise {
  name: string;
  /** Exact version, as the required Promise's kratix.io/promise-version label spells it; absent: any version. */
  version?: string;
}

export interface KratixContainer {
  name: string;
  image: string;
  /** Plain `value` variables only (what a person needs to see what the image is told). */
  env: Record<string, string>;
}

export interface KratixPipeline {
  /** Where it is in the file: `spec.workflows.resource.configure[0]`. */
  path: string;
  workflow: "promise" | "resource";
  action: "configure" | "delete";
  name: string;
  containers: KratixContainer[];
  /** The pipeline asks for a service account or permissions on the platform cluster. */
  rbac: boolean;
}

/** spec.api: the CRD of the Promise's requests, reduced to what Pledge checks requests with. */
export interface KratixApi {
  group: string;
  /** The storage version, which Kratix serves requests at. */
  version: string;
  kind: string;
  /** The storage version's spec schema. */
  schema: CrdSchema;
  /** The schema lists spec as required. */
  specRequired: boolean;
  /** Whether the CRD declares a spec, or keeps any spec, or has none. */
  specField: SpecField;
}

export interface KratixPromiseFile {
  /** metadata.name */
  name: string;
  /** The kratix.io/promise-version label as written, e.g. v1.0.0-beta.5. */
  version?: string;
  api?: KratixApi;
  dependencies: Manifest[];
  /** matchLabels of each spec.destinationSelectors entry, in order. */
  destinationSelectors: Record<string, string>[];
  requiredPromises: KratixRequiredPromise[];
  pipelines: KratixPipeline[];
  /** Keys set under spec.workflows.config (Kratix's Job namespace and re-run interval). */
  workflowConfig: string[];
}

export type KratixPromiseParse = { ok: true; promise: KratixPromiseFile } | { ok: false; issues: Issue[] };

const known = {
  root: ["apiVersion", "kind", "metadata", "spec", "status"],
  spec: ["api", "dependencies", "destinationSelectors", "requiredPromises", "workflows"],
  workflows: ["config", "promise", "resource"],
  triggers: ["configure", "delete"],
  config: ["pipelineNamespace", "reconciliationInterval"],
  selector: ["matchLabels"],
  requiredPromise: ["name", "version"],
  pipeline: ["apiVersion", "kind", "metadata", "spec"],
  pipelineSpec: [
    "containers",
    "imagePullSecrets",
    "jobOptions",
    "nodeSelector",
    "rbac",
    "restartPolicy",
    "tolerations",
    "volumes",
  ],
  container: [
    ...["name", "image", "args", "command", "env", "envFrom", "volumeMounts"],
    ...["imagePullPolicy", "securityContext", "resources"],
  ],
  rbac: ["serviceAccount", "permissions"],
};

/** Reads problems relative to the file: `promises/kratix/redis.yaml: spec.api...`. */
class Reader {
  readonly issues: Issue[] = [];
  constructor(private readonly where: string) {}

  at(path: KeyPath): string {
    return path.length === 0 ? this.where : `${this.where}: ${keyPath("", path)}`;
  }

  problem(path: KeyPath, message: string, hint?: string): void {
    this.issues.push({ path: this.at(path), message, ...(hint ? { hint } : {}), kind: "promise" });
  }

  /** Fields this object may not have, as kubectl's strict validation refuses them. */
  unknownFields(value: Record<string, unknown>, path: KeyPath, allowed: readonly string[], hint?: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.problem([...path, key], "is not a known field", hint ?? `known: ${allowed.join(", ")}`);
    }
  }

  object(value: unknown, path: KeyPath): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (isPlainObject(value)) return value;
    this.problem(path, `must be an object, got ${describe(value)}`);
    return undefined;
  }

  list(value: unknown, path: KeyPath): unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.problem(path, `must be a list, got ${describe(value)}`);
    return [];
  }

  string(value: unknown, path: KeyPath, required: boolean): string | undefined {
    if (typeof value === "string" && value !== "") return value;
    if (value === undefined || value === null || value === "") {
      if (required) this.problem(path, "is required (string)");
      return undefined;
    }
    this.problem(path, `must be a string, got ${describe(value)}`);
    return undefined;
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (isPlainObject(value)) return "an object";
  return JSON.stringify(value);
}

function readApi(r: Reader, api: unknown): KratixApi | undefined {
  // Kratix treats an absent, null or empty api as "no API" (promise_types.go DoesNotContainAPI).
  if (api === undefined || api === null || (isPlainObject(api) && Object.keys(api).length === 0)) return undefined;
  // Kratix unmarshals spec.api into an apiextensions.k8s.io/v1 CRD whatever its apiVersion says
  // (api/v1alpha1/promise_types.go GetAPI), and installs it as one.
  const asV1 = isPlainObject(api) ? { ...api, apiVersion: "apiextensions.k8s.io/v1" } : api;
  const storage = storageSpecSchema(asV1, r.at(["spec", "api"]));
  if (!storage.ok) {
    r.issues.push(...storage.issues.map((issue) => ({ ...issue, kind: "promise" as const })));
    return undefined;
  }
  const spec = (api as { spec: Record<string, unknown> }).spec;
  const group = r.string(spec.group, ["spec", "api", "spec", "group"], true);
  const names = r.object(spec.names, ["spec", "api", "spec", "names"]);
  const kind = r.string(names?.kind, ["spec", "api", "spec", "names", "kind"], true);
  if (group === undefined || kind === undefined) return undefined;
  const { version, schema, specRequired, specField } = storage;
  return { group, version, kind, schema, specRequired, specField };
}

function readDependencies(r: Reader, value: unknown): Manifest[] {
  const out: Manifest[] = [];
  r.list(value, ["spec", "dependencies"]).forEach((item, i) => {
    const path = ["spec", "dependencies", i];
    if (!isPlainObject(item)) return r.problem(path, `must be a Kubernetes object, got ${describe(item)}`);
    const manifest = item as Manifest;
    const problems = manifestProblems(manifest);
    if (problems.length > 0) return r.problem(path, problems.join("; "));
    if (manifest.kind === "Promise" && manifest.apiVersion.startsWith("platform.kratix.io/")) {
      return r.problem(
        path,
        `is Promise ${manifest.metadata.name}: a compound promise, which Pledge cannot import`,
        "import the inner Promise on its own and offer both",
      );
    }
    out.push(manifest);
  });
  return out;
}

function readSelectors(r: Reader, value: unknown): Record<string, string>[] {
  return r.list(value, ["spec", "destinationSelectors"]).flatMap((item, i) => {
    const path = ["spec", "destinationSelectors", i];
    const entry = r.object(item, path);
    if (!entry) return [];
    r.unknownFields(entry, path, known.selector, "Kratix selects destinations by matchLabels only");
    const labels = r.object(entry.matchLabels, [...path, "matchLabels"]) ?? {};
    const matchLabels: Record<string, string> = {};
    for (const [key, v] of Object.entries(labels)) {
      const at = [...path, "matchLabels", key];
      if (typeof v !== "string") {
        r.problem(at, `must be a string, got ${describe(v)}`);
        continue;
      }
      const problem = validateLabelKey(key) ?? validateLabelValue(v);
      if (problem) r.problem(at, problem);
      else matchLabels[key] = v;
    }
    return [matchLabels];
  });
}

function readRequiredPromises(r: Reader, value: unknown): KratixRequiredPromise[] {
  return r.list(value, ["spec", "requiredPromises"]).flatMap((item, i) => {
    const path = ["spec", "requiredPromises", i];
    const entry = r.object(item, path);
    if (!entry) return [];
    r.unknownFields(entry, path, known.requiredPromise);
    const name = r.string(entry.name, [...path, "name"], true);
    const version = r.string(entry.version, [...path, "version"], false);
    return name === undefined ? [] : [{ name, ...(version !== undefined ? { version } : {}) }];
  });
}

function readContainer(r: Reader, item: unknown, path: KeyPath): KratixContainer | undefined {
  const container = r.object(item, path);
  if (!container) return undefined;
  r.unknownFields(container, path, known.container);
  const name = r.string(container.name, [...path, "name"], true);
  const image = r.string(container.image, [...path, "image"], true);
  const env: Record<string, string> = {};
  for (const variable of r.list(container.env, [...path, "env"])) {
    if (isPlainObject(variable) && typeof variable.name === "string" && typeof variable.value === "string")
      env[variable.name] = variable.value;
  }
  return name !== undefined && image !== undefined ? { name, image, env } : undefined;
}

function readPipeline(
  r: Reader,
  item: unknown,
  workflow: KratixPipeline["workflow"],
  action: KratixPipeline["action"],
  i: number,
): KratixPipeline | undefined {
  const path = ["spec", "workflows", workflow, action, i];
  const pipeline = r.object(item, path);
  if (!pipeline) return undefined;
  if (pipeline.apiVersion !== "platform.kratix.io/v1alpha1" || pipeline.kind !== "Pipeline") {
    const got = `${String(pipeline.apiVersion)} ${String(pipeline.kind)}`;
    r.problem(path, `is ${got}; Kratix runs only platform.kratix.io/v1alpha1 Pipeline objects here`);
    return undefined;
  }
  r.unknownFields(pipeline, path, known.pipeline);
  const metadata = r.object(pipeline.metadata, [...path, "metadata"]);
  const name = r.string(metadata?.name, [...path, "metadata", "name"], true);
  const spec = r.object(pipeline.spec, [...path, "spec"]) ?? {};
  r.unknownFields(spec, [...path, "spec"], known.pipelineSpec);
  const containers = r
    .list(spec.containers, [...path, "spec", "containers"])
    .map((c, j) => readContainer(r, c, [...path, "spec", "containers", j]))
    .filter((c): c is KratixContainer => c !== undefined);
  const rbac = r.object(spec.rbac, [...path, "spec", "rbac"]);
  if (rbac) r.unknownFields(rbac, [...path, "spec", "rbac"], known.rbac);
  if (name === undefined) return undefined;
  const permissions = r.list(rbac?.permissions, [...path, "spec", "rbac", "permissions"]);
  const asksForRbac = rbac?.serviceAccount !== undefined || permissions.length > 0;
  return { path: keyPath("", path), workflow, action, name, containers, rbac: asksForRbac };
}

function readWorkflows(r: Reader, value: unknown): { pipelines: KratixPipeline[]; config: string[] } {
  const workflows = r.object(value, ["spec", "workflows"]);
  if (!workflows) return { pipelines: [], config: [] };
  r.unknownFields(workflows, ["spec", "workflows"], known.workflows);
  const config = r.object(workflows.config, ["spec", "workflows", "config"]) ?? {};
  r.unknownFields(config, ["spec", "workflows", "config"], known.config);
  const pipelines: KratixPipeline[] = [];
  for (const workflow of ["resource", "promise"] as const) {
    const triggers = r.object(workflows[workflow], ["spec", "workflows", workflow]);
    if (!triggers) continue;
    r.unknownFields(triggers, ["spec", "workflows", workflow], known.triggers);
    for (const action of ["configure", "delete"] as const) {
      r.list(triggers[action], ["spec", "workflows", workflow, action]).forEach((item, i) => {
        const pipeline = readPipeline(r, item, workflow, action, i);
        if (pipeline) pipelines.push(pipeline);
      });
    }
  }
  return { pipelines, config: Object.keys(config) };
}

/**
 * The Promise in `text` (one YAML document), or every problem found. `where`
 * names the file in messages: `promises/kratix/redis.yaml: spec.api.spec.group: ...`.
 */
export function parseKratixPromise(text: string, where: string): KratixPromiseParse {
  const r = new Reader(where);
  const docs = [...parseAllDocuments(text)];
  const broken = docs.find((doc) => doc.errors.length > 0);
  if (broken) {
    r.problem([], `is not valid YAML: ${broken.errors[0]!.message.split("\n")[0]!.replace(/:$/, "")}`);
    return { ok: false, issues: r.issues };
  }
  const values = docs.map((doc) => doc.toJS() as unknown).filter((v) => v !== null && v !== undefined);
  if (values.length !== 1) {
    r.problem([], `holds ${values.length} YAML documents; expected one Kratix Promise`);
    return { ok: false, issues: r.issues };
  }
  const root = values[0];
  if (!isPlainObject(root) || root.apiVersion !== "platform.kratix.io/v1alpha1" || root.kind !== "Promise") {
    const got = isPlainObject(root) ? `${String(root.apiVersion)} ${String(root.kind)}` : describe(root);
    r.problem([], `is ${got}; expected a platform.kratix.io/v1alpha1 Promise`);
    return { ok: false, issues: r.issues };
  }
  r.unknownFields(root, [], known.root);
  const metadata = r.object(root.metadata, ["metadata"]) ?? {};
  const name = r.string(metadata.name, ["metadata", "name"], true);
  const labels = r.object(metadata.labels, ["metadata", "labels"]) ?? {};
  const version = r.string(labels[promiseVersionLabel], ["metadata", "labels", promiseVersionLabel], false);
  const spec = r.object(root.spec, ["spec"]) ?? {};
  r.unknownFields(spec, ["spec"], known.spec);
  const api = readApi(r, spec.api);
  const dependencies = readDependencies(r, spec.dependencies);
  const destinationSelectors = readSelectors(r, spec.destinationSelectors);
  const requiredPromises = readRequiredPromises(r, spec.requiredPromises);
  const workflows = readWorkflows(r, spec.workflows);
  if (r.issues.length > 0 || name === undefined) return { ok: false, issues: r.issues };
  return {
    ok: true,
    promise: {
      name,
      ...(version !== undefined ? { version } : {}),
      ...(api ? { api } : {}),
      dependencies,
      destinationSelectors,
      requiredPromises,
      pipelines: workflows.pipelines,
      workflowConfig: workflows.config,
    },
  };
}
