// A Kratix Promise (platform.kratix.io/v1alpha1) as a Pledge promise, from the
// texts the run read (importKratixPromise in src/run/kratix-files.ts reads
// them; nothing here reads a file). Requests are checked against the Promise's
// CRD as kube-apiserver checks them (validateSpec), spec.dependencies go to
// every eligible cluster, spec.destinationSelectors become one selector, and
// the workflows Pledge cannot run are replaced by the options or refused with
// the option that would replace them. What maps to what: docs/kratix.md. The
// stack-level check of spec.requiredPromises is kratixRequirementIssues
// (required-promises.ts).
import { isAbsolute, relative, resolve } from "node:path";
import { formatIssue, keyPath, PledgeError, type Issue } from "../issues";
import { isDnsLabel } from "../labels/labels";
import { validateSelector, type LabelSelector } from "../labels/selectors";
import type { RenderedItem } from "../promise/blocks";
import type { PledgePromise, RequestView, SpecParse } from "../promise/define";
import type { ClusterView, Manifest } from "../promise/manifest";
import { specJsonSchema, uncheckedRules, validateSpec, type UncheckedRule } from "../crd-schema/crd-schema";
import { dependencyObjects, type DependencyDirectory, type ReadError } from "./dependency-files";
import { parseKratixPromise, promiseVersionLabel, type KratixPromiseFile, type KratixRequiredPromise } from "./promise-file";
import { placementWithinPromise, squashDestinationSelectors, strictMatchTolerations, type KratixNotice } from "./scheduling";
import { workflowOutcome } from "./workflows";

/** A request's spec as the CRD describes it; pass your own type to importKratixPromise<Spec> for a typed render. */
export type KratixSpec = { [field: string]: unknown };

/**
 * How to import a Promise. Everything but `render` and a function
 * `placementSelector` is plain data, so stack config can give it.
 */
export interface ImportKratixOptions<Spec = KratixSpec> {
  /** Catalogue name, a DNS label; defaults to the Promise's metadata.name. */
  name?: string;
  /** Semantic version; defaults to the kratix.io/promise-version label without its "v" (0.0.0, with a notice, when there is none). */
  version?: string;
  /** Defaults to "Kratix Promise <name>" and the kind of its requests. */
  description?: string;
  /** Replaces every resource.configure pipeline: what one request becomes on one cluster. */
  render?: (request: RequestView<Spec>, cluster: ClusterView) => RenderedItem[];
  /**
   * What the replaced pipeline's destination-selectors.yaml chose: where a
   * request may go, on top of the Promise's selectors (which win a key both name).
   */
  placementSelector?: LabelSelector | ((request: RequestView<Spec>) => LabelSelector | undefined);
  /** Replaces every promise.configure pipeline: a directory of the YAML files they write to /kratix/output. */
  dependenciesFrom?: string;
  /** Requests hold data: deleting or moving one needs confirmation. Default false. */
  stateful?: boolean;
  /** Relative paths (the file, dependenciesFrom) are read from here; default: the working directory, which is the Pulumi project's. */
  baseDir?: string;
  /** Where these options are written, for messages (`pledge:promises.redis.kratix`); default `importKratixPromise("<file>")`. */
  configPath?: string;
}

/** What the import kept of the Kratix Promise, for the stack-level checks and for people. */
export interface KratixFacts {
  /** The file, as messages name it. */
  readonly file: string;
  /** metadata.name */
  readonly name: string;
  /** The kratix.io/promise-version label as written. */
  readonly version?: string;
  /** The requests' group, storage version and kind. */
  readonly api?: { readonly group: string; readonly version: string; readonly kind: string };
  /** Checked for the whole stack by kratixRequirementIssues. */
  readonly requiredPromises: readonly KratixRequiredPromise[];
  /** Rules of the CRD that validateSpec does not check (CEL among them). */
  readonly uncheckedRules: readonly UncheckedRule[];
  /** What differs from Kratix or is left out, that is not an error. */
  readonly notices: readonly KratixNotice[];
}

export interface KratixPromise<Spec = KratixSpec> extends PledgePromise<Spec> {
  readonly kratix: KratixFacts;
  /** Where this request may go besides the promise's destination selectors (placementSelector); undefined when nothing more is asked. */
  requestSelector(request: RequestView<Spec>): LabelSelector | undefined;
}

export type KratixImport<Spec> = { ok: true; promise: KratixPromise<Spec> } | { ok: false; issues: Issue[] };

/** Everything that keeps a Promise from being imported, under one header naming it. */
export class KratixImportError extends PledgeError {
  constructor(file: string, issues: readonly Issue[]) {
    super(issues);
    this.name = "KratixImportError";
    const count = `${issues.length} problem${issues.length === 1 ? "" : "s"}`;
    this.message = `Kratix Promise ${file} cannot be imported (${count}):\n${issues.map((i) => `  - ${formatIssue(i)}`).join("\n")}`;
  }
}

const semver = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

function noticeAt(where: string, path: (string | number)[], message: string): KratixNotice {
  return { path: `${where}: ${keyPath("", path)}`, message };
}

/** The name and version the promise is offered under, with what is wrong with them. */
function identity(
  file: KratixPromiseFile,
  options: Pick<ImportKratixOptions, "name" | "version">,
  where: string,
  optionsPath: string,
  issues: Issue[],
  notices: KratixNotice[],
): { name: string; version: string } {
  const name = options.name ?? file.name;
  if (!isDnsLabel(name)) {
    issues.push({
      path: options.name !== undefined ? `${optionsPath}.name` : `${where}: metadata.name`,
      message: `${JSON.stringify(name)} is not a DNS label (lowercase letters, digits and '-', at most 63), which Pledge names promises with`,
      hint: "pass name: to import it under another name",
      kind: "promise",
    });
  }
  let version = "0.0.0";
  if (options.version !== undefined) {
    if (semver.test(options.version)) version = options.version;
    else
      issues.push({
        path: `${optionsPath}.version`,
        message: `${JSON.stringify(options.version)} is not a semantic version (e.g. 1.2.0)`,
        kind: "promise",
      });
  } else if (file.version !== undefined) {
    const stripped = file.version.replace(/^v/, "");
    if (semver.test(stripped)) version = stripped;
    else
      issues.push({
        path: `${where}: ${keyPath("", ["metadata", "labels", promiseVersionLabel])}`,
        message: `${JSON.stringify(file.version)} is not a semantic version (e.g. v1.2.0)`,
        hint: "pass version: to import it at another version",
        kind: "promise",
      });
  } else {
    notices.push(
      noticeAt(
        where,
        ["metadata", "labels"],
        `has no ${promiseVersionLabel} label: offered as version 0.0.0 (pass version: to set one)`,
      ),
    );
  }
  return { name, version };
}

function ruleNotice(where: string, rule: UncheckedRule): KratixNotice {
  const what = rule.kind === "cel" ? "CEL rule" : rule.kind;
  const message = {
    cel: "is not checked: Pledge does not evaluate CEL, and no API server ever sees the request itself",
    pattern: `is not checked: ${rule.reason}`,
    format: "is checked approximately: the API server's Go parser is stricter at the edges",
  }[rule.kind];
  const said = rule.message ? ` (${JSON.stringify(rule.message)})` : "";
  return { path: `${where}: spec.api`, message: `${what} on ${rule.path}, ${JSON.stringify(rule.rule)}${said}, ${message}` };
}

/**
 * The Promise in `file` as a Pledge promise, or every reason it cannot be one.
 * `dependencyObjects` are the objects of dependenciesFrom.
 */
export function buildKratixPromise<Spec = KratixSpec>(
  file: KratixPromiseFile,
  where: string,
  options: ImportKratixOptions<Spec>,
  dependencyObjects: readonly Manifest[] = [],
): KratixImport<Spec> {
  const optionsPath = options.configPath ?? `importKratixPromise(${JSON.stringify(where)})`;
  const issues: Issue[] = [];
  const notices: KratixNotice[] = [];
  const { name, version } = identity(file, options, where, optionsPath, issues, notices);
  const squashed = squashDestinationSelectors(file.destinationSelectors, where);
  notices.push(...squashed.notices);
  const workflows = workflowOutcome(
    file.pipelines,
    {
      render: options.render !== undefined,
      placementSelector: options.placementSelector !== undefined,
      dependenciesFrom: options.dependenciesFrom !== undefined,
    },
    where,
    optionsPath,
    file.workflowConfig,
  );
  issues.push(...workflows.issues);
  notices.push(...workflows.notices);
  const placement = options.placementSelector;
  if (placement !== undefined && typeof placement !== "function") {
    for (const problem of validateSelector(placement))
      issues.push({ path: `${optionsPath}.placementSelector`, message: problem, kind: "promise" });
    for (const key of placementWithinPromise(placement, squashed.matchLabels).overridden) {
      notices.push({
        path: keyPath(optionsPath, ["placementSelector", "matchLabels", key]),
        message: `is overridden by the Promise's destinationSelectors (${key}=${squashed.matchLabels[key]}), as Kratix lets the Promise win`,
      });
    }
  }
  const api = file.api;
  const rules = api ? uncheckedRules(api.schema, "spec") : [];
  notices.push(...rules.map((rule) => ruleNotice(where, rule)));
  if (api && file.pipelines.every((p) => !(p.workflow === "resource" && p.action === "configure"))) {
    notices.push(
      noticeAt(where, ["spec", "workflows", "resource", "configure"], "is empty: requests render nothing, as in Kratix"),
    );
  }
  if (issues.length > 0) return { ok: false, issues };

  const dependencies = [...file.dependencies, ...dependencyObjects];
  const tolerations = strictMatchTolerations(squashed.matchLabels);
  const selectors: LabelSelector[] = Object.keys(squashed.matchLabels).length > 0 ? [{ matchLabels: squashed.matchLabels }] : [];
  const apiName = api ? `${api.group}/${api.version} ${api.kind}` : undefined;

  const parseSpec = (input: unknown, basePath: string): SpecParse<Spec> => {
    if (!api) {
      return {
        ok: false,
        issues: [{ path: basePath, message: `promise ${name} takes no requests: its Kratix Promise has no spec.api` }],
      };
    }
    // A request without a spec is checked as `spec: {}` when the CRD declares one, as every Pledge promise
    // does (Kubernetes would store none); when it does not, as the API server checks it: absent.
    const spec = api.specField === "declared" ? (input ?? {}) : input;
    const { specRequired, specField } = api;
    const result = validateSpec(api.schema, spec, basePath, { specRequired, specField });
    return result.ok ? { ok: true, spec: (result.value ?? {}) as Spec } : { ok: false, issues: result.issues };
  };

  const promise: KratixPromise<Spec> = {
    name,
    version,
    description: options.description ?? `Kratix Promise ${file.name}${apiName ? ` (${apiName})` : " (dependencies only)"}`,
    destinationSelectors: selectors,
    tolerations,
    requires: [],
    stateful: options.stateful ?? false,
    // A Kratix Promise declares no outputs; its render's Secrets and Services are there to read.
    outputs: () => undefined,
    // Nor is it compound, nor reachable from other clusters by a declared address.
    compose: () => ({}),
    remote: () => undefined,
    part: (input, placement = {}) => ({ promise: name, spec: input, placement }),
    placement: { count: 1 },
    parseSpec,
    jsonSchema: () =>
      api && api.specField !== "unknown"
        ? specJsonSchema(api.schema)
        : {
            $schema: "https://json-schema.org/draft/2020-12/schema",
            description: api ? "its CRD declares no spec: leave spec out" : "takes no requests",
            not: {},
          },
    dependencies: () => structuredClone(dependencies),
    render: (request, cluster) => options.render?.(request, cluster) ?? [],
    request(requestName, team, spec) {
      const parsed = parseSpec(spec, "spec");
      if (!parsed.ok)
        throw new Error(`${name} request ${requestName}: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
      return { promise: name, name: requestName, team, spec: parsed.spec };
    },
    requestSelector(request) {
      const chosen = typeof placement === "function" ? placement(request) : placement;
      if (!chosen) return undefined;
      const within = placementWithinPromise(chosen, squashed.matchLabels).selector;
      return within.matchLabels || within.matchExpressions ? within : undefined;
    },
    kratix: {
      file: where,
      name: file.name,
      ...(file.version !== undefined ? { version: file.version } : {}),
      ...(api ? { api: { group: api.group, version: api.version, kind: api.kind } } : {}),
      requiredPromises: file.requiredPromises,
      uncheckedRules: rules,
      notices,
    },
  };
  return { ok: true, promise };
}

/** How a path is named in messages: relative to the base directory when inside it. */
function displayPath(absolute: string, baseDir: string): string {
  const rel = relative(baseDir, absolute);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : absolute;
}

/** Where the files of an import are: to read them (absolute) and as messages name them (relative to baseDir when inside it). */
export interface KratixPromisePaths {
  path: string;
  where: string;
  /** options.dependenciesFrom, when given. */
  dependencies?: { dir: string; label: string };
}

export function kratixPromisePaths(file: string, options: { baseDir: string; dependenciesFrom?: string }): KratixPromisePaths {
  const path = resolve(options.baseDir, file);
  const where = displayPath(path, options.baseDir);
  if (options.dependenciesFrom === undefined) return { path, where };
  const dir = resolve(options.baseDir, options.dependenciesFrom);
  return { path, where, dependencies: { dir, label: displayPath(dir, options.baseDir) } };
}

/** A file as the run read it: its text, or why it could not be read. */
export type FileRead = { text: string } | { error: ReadError };

/** What the run read for one Promise: its file and, when options.dependenciesFrom names one, that directory. */
export interface KratixPromiseTexts {
  promise: FileRead;
  dependencies?: DependencyDirectory;
}

/**
 * tryImportKratixPromise on what the run read (kratixPromisePaths says what to
 * read): the promise, or every problem, naming paths relative to `baseDir`.
 */
export function importKratixTexts<Spec = KratixSpec>(
  file: string,
  options: ImportKratixOptions<Spec> & { baseDir: string },
  texts: KratixPromiseTexts,
): KratixImport<Spec> {
  const { where, dependencies } = kratixPromisePaths(file, options);
  if ("error" in texts.promise) {
    const error = texts.promise.error;
    const reason = error.code === "ENOENT" ? "does not exist" : `cannot be read: ${error.message}`;
    return { ok: false, issues: [{ path: where, message: reason, kind: "promise" }] };
  }
  const parsed = parseKratixPromise(texts.promise.text, where);
  if (!parsed.ok) return parsed;
  let objects: Manifest[] = [];
  if (dependencies) {
    if (!texts.dependencies) throw new Error(`${where}: the run did not read dependenciesFrom (${dependencies.label})`);
    const optionsPath = options.configPath ?? `importKratixPromise(${JSON.stringify(where)})`;
    const read = dependencyObjects(texts.dependencies, dependencies.label, `${optionsPath}.dependenciesFrom`);
    if (read.issues.length > 0) {
      const built = buildKratixPromise(parsed.promise, where, options, []);
      return { ok: false, issues: [...(built.ok ? [] : built.issues), ...read.issues] };
    }
    objects = read.objects;
  }
  return buildKratixPromise(parsed.promise, where, options, objects);
}

export function isKratixPromise(promise: PledgePromise<unknown>): promise is KratixPromise<unknown> {
  return typeof (promise as Partial<KratixPromise<unknown>>).kratix === "object";
}

/** Every notice of the offered Kratix promises, one line each: `promise redis: <path>: <message>`. */
export function kratixNoticeLines(offered: readonly PledgePromise<unknown>[]): string[] {
  return offered
    .filter(isKratixPromise)
    .flatMap((p) => p.kratix.notices.map((n) => `promise ${p.name}: ${n.path}: ${n.message}`));
}
