// How a chart or YAML block maps to the upstream provider's arguments: the
// `kubernetes:helm:template` function (the render check before registration)
// and the helm.v4.Chart / helm.v3.Release / yaml.v2.ConfigFile inputs. Pure.
import { relative } from "node:path";
import { resolveBlockPath, type HelmChart, type YamlFile } from "./blocks";

/** Where paths are resolved: blocks name them relative to the project; providers run in the program's directory. */
export interface PathBase {
  projectDir: string;
  /** The working directory the engine gives the program and its providers (Pulumi.yaml's `main`). */
  programDir: string;
}

/**
 * A local path as the provider's component gets it: relative to the program
 * directory when inside the project (the engine starts providers there), so
 * the state does not change when the checkout moves; absolute otherwise.
 */
export function providerPath(path: string, base: PathBase): string {
  const absolute = resolveBlockPath(path, base.projectDir);
  if (relative(base.projectDir, absolute).startsWith("..")) return absolute;
  const fromProgram = relative(base.programDir, absolute);
  return fromProgram.startsWith("..") ? fromProgram : `./${fromProgram}`;
}

/** Arguments of the provider's `kubernetes:helm:template` function (its jsonOpts) for a chart. */
export function templateOptions(chart: HelmChart, projectDir: string): Record<string, unknown> {
  const common = {
    namespace: chart.namespace,
    release_name: chart.name,
    values: chart.values,
    skip_crd_rendering: chart.skipCrds,
  };
  if ("path" in chart.chart) return { ...common, path: resolveBlockPath(chart.chart.path, projectDir) };
  if ("oci" in chart.chart) return { ...common, chart: chart.chart.oci, version: chart.chart.version };
  return { ...common, chart: chart.chart.name, version: chart.chart.version, fetch_opts: { repo: chart.chart.repo } };
}

export interface ChartInputs {
  chart: string;
  version?: string;
  repositoryOpts?: { repo: string };
  name: string;
  namespace: string;
  values: Record<string, unknown>;
  skipCrds: boolean;
}

/** Inputs shared by helm.v4.Chart and helm.v3.Release. */
export function chartInputs(chart: HelmChart, base: PathBase): ChartInputs {
  const source =
    "path" in chart.chart
      ? { chart: providerPath(chart.chart.path, base) }
      : "oci" in chart.chart
        ? { chart: chart.chart.oci, version: chart.chart.version }
        : { chart: chart.chart.name, version: chart.chart.version, repositoryOpts: { repo: chart.chart.repo } };
  return { ...source, name: chart.name, namespace: chart.namespace, values: chart.values, skipCrds: chart.skipCrds };
}

/** The `file` input of yaml.v2.ConfigFile: a URL as is, a path as providerPath makes it. */
export function yamlFileInput(block: YamlFile, base: PathBase): string {
  return "url" in block.source ? block.source.url : providerPath(block.source.file, base);
}
