// Building blocks a promise may return besides raw manifests: a Helm chart and
// a YAML file. Plain data, like manifests, so the render plan can order them,
// check who owns what and be tested without Pulumi; the Pulumi shell turns them
// into helm.v4.Chart / helm.v3.Release / yaml.v2.ConfigFile on the cluster's provider.
import { resolve } from "node:path";
import { isDnsLabel, isDnsSubdomain } from "../labels/labels";
import type { Manifest } from "./manifest";

/** Where a chart comes from. Remote charts are pinned: the same config always installs the same chart. */
export type ChartSource =
  /** A chart directory: absolute (e.g. `join(__dirname, "chart")`) or relative to the Pulumi project. */
  | { path: string }
  /** An OCI reference, e.g. `oci://ghcr.io/org/charts/app`, at an exact version. */
  | { oci: string; version: string }
  /** A chart repository URL and the chart's name in it, at an exact version. */
  | { repo: string; name: string; version: string };

export interface HelmChart {
  readonly block: "helm-chart";
  /** Helm release name (`.Release.Name`), unique per namespace on a cluster. */
  readonly name: string;
  /** Namespace the chart's namespaced objects go to; it must exist (return a Namespace manifest before it). */
  readonly namespace: string;
  readonly chart: ChartSource;
  /** Chart values; compute them from the cluster's labels to vary per cluster. */
  readonly values: Record<string, unknown>;
  /**
   * True: a real Helm release (helm.v3.Release: `helm list` shows it, hooks run, Helm tracks it).
   * False (default): the chart's objects as Pulumi resources (helm.v4.Chart), diffed and awaited one by one.
   */
  readonly release: boolean;
  /** Leave out the chart's crds/ directory (when something else installs them). */
  readonly skipCrds: boolean;
}

export type YamlSource = { file: string } | { url: string };

export interface YamlFile {
  readonly block: "yaml";
  /** Names the block among the promise's renders on a cluster; defaults to the file's base name. */
  readonly name: string;
  readonly source: YamlSource;
}

/** What a promise's `dependencies` and `render` may return, in any mix. */
export type RenderedItem = Manifest | HelmChart | YamlFile;

export type BuildingBlock = HelmChart | YamlFile;

export interface HelmChartArgs {
  name: string;
  namespace: string;
  chart: ChartSource;
  values?: Record<string, unknown>;
  release?: boolean;
  skipCrds?: boolean;
}

/** A Helm chart for a promise's dependencies or a request's render. */
export function helmChart(args: HelmChartArgs): HelmChart {
  return {
    block: "helm-chart",
    name: args.name,
    namespace: args.namespace,
    chart: args.chart,
    values: args.values ?? {},
    release: args.release ?? false,
    skipCrds: args.skipCrds ?? false,
  };
}

/** Kubernetes YAML (one or more documents) from a file or a URL. */
export function yamlFile(args: ({ file: string } | { url: string }) & { name?: string }): YamlFile {
  const source: YamlSource = "file" in args ? { file: args.file } : { url: args.url };
  const where = "file" in source ? source.file : new URL(source.url).pathname;
  const base = where
    .split("/")
    .pop()!
    .replace(/\.ya?ml$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  return { block: "yaml", name: args.name ?? (base || "manifests"), source };
}

export function isBuildingBlock(item: RenderedItem): item is BuildingBlock {
  return typeof item === "object" && item !== null && "block" in item && (item.block === "helm-chart" || item.block === "yaml");
}

/** Identity of a block among the objects of one cluster, for ownership checks and resource names. */
export function blockId(block: BuildingBlock): string {
  return block.block === "helm-chart" ? `HelmChart/${block.namespace}/${block.name}` : `YamlFile/${block.name}`;
}

/** How a person recognises the block in a message. */
export function describeBlock(block: BuildingBlock): string {
  if (block.block === "yaml") return `YAML ${"file" in block.source ? block.source.file : block.source.url}`;
  return `chart ${describeChartSource(block.chart)} (release ${block.name} in ${block.namespace})`;
}

export function describeChartSource(chart: ChartSource): string {
  if ("path" in chart) return chart.path;
  if ("oci" in chart) return `${chart.oci}@${chart.version}`;
  return `${chart.name}@${chart.version} from ${chart.repo}`;
}

const exactVersion = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

function isUrl(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Problems with a block as a promise built it (empty when fine): promise bugs caught before anything is applied. */
export function blockProblems(block: BuildingBlock): string[] {
  const problems: string[] = [];
  if (block.block === "yaml") {
    if (!isDnsSubdomain(block.name))
      problems.push(`YAML name ${JSON.stringify(block.name)} must be a Kubernetes name (lowercase letters, digits, '-' and '.')`);
    if ("file" in block.source && (typeof block.source.file !== "string" || block.source.file === ""))
      problems.push("YAML file path is empty");
    if ("url" in block.source && !isUrl(block.source.url, ["http:", "https:"]))
      problems.push(`YAML url ${JSON.stringify(block.source.url)} must be an http(s) URL`);
    return problems;
  }
  // Helm's own rule for release names: a DNS label of at most 53 characters.
  if (!isDnsLabel(block.name) || block.name.length > 53)
    problems.push(`release name ${JSON.stringify(block.name)} must be a DNS label of at most 53 characters`);
  if (!isDnsLabel(block.namespace)) problems.push(`namespace ${JSON.stringify(block.namespace)} must be a DNS label`);
  const chart = block.chart as Partial<{ path: string; oci: string; repo: string; name: string; version: string }>;
  if (typeof chart !== "object" || chart === null) {
    problems.push("chart is missing: give {path}, {oci, version} or {repo, name, version}");
  } else if (chart.path !== undefined) {
    if (typeof chart.path !== "string" || chart.path === "") problems.push("chart path is empty");
  } else if (chart.oci !== undefined) {
    if (!chart.oci.startsWith("oci://")) problems.push(`chart oci ${JSON.stringify(chart.oci)} must start with oci://`);
    if (!exactVersion.test(chart.version ?? ""))
      problems.push(`chart ${chart.oci} needs an exact version (e.g. 1.2.3), got ${JSON.stringify(chart.version)}`);
  } else if (chart.repo !== undefined) {
    if (!isUrl(chart.repo, ["http:", "https:"])) problems.push(`chart repo ${JSON.stringify(chart.repo)} must be an http(s) URL`);
    if (typeof chart.name !== "string" || chart.name === "") problems.push(`chart name in ${chart.repo} is missing`);
    if (!exactVersion.test(chart.version ?? ""))
      problems.push(
        `chart ${chart.name ?? "?"} from ${chart.repo} needs an exact version (e.g. 1.2.3), got ${JSON.stringify(chart.version)}`,
      );
  } else {
    problems.push("chart needs one of {path}, {oci, version} or {repo, name, version}");
  }
  if (typeof block.values !== "object" || block.values === null || Array.isArray(block.values))
    problems.push("values must be an object");
  return problems;
}

/** A path a block names, made absolute against the project directory. */
export function resolveBlockPath(path: string, projectDir: string): string {
  return resolve(projectDir, path);
}
