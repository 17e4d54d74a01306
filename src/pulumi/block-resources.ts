// The Pulumi side of charts and YAML files: each block becomes the upstream
// provider's own component on the cluster's provider (helm.v4.Chart,
// helm.v3.Release, yaml.v2.ConfigFile), and every chart is rendered once by that
// provider before anything is registered, so a chart that does not exist or
// does not render stops the update with nothing applied.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RegisteredCluster } from "./registered-cluster";
import type { Issue } from "../issues";
import { describeBlock, isBuildingBlock, type BuildingBlock, type HelmChart } from "../promise/blocks";
import { chartInputs, templateOptions, yamlFileInput } from "../promise/chart-args";
import type { Manifest } from "../promise/manifest";
import type { PlannedObject, RenderPlan } from "../promise/plan";
import { blockOwnerPath } from "../promise/yaml-objects";
import { compareText } from "../labels/ordering";

/** Registers one chart or YAML file with the upstream provider's own components. */
export function registerBlock(
  name: string,
  block: BuildingBlock,
  projectDir: string,
  opts: pulumi.ComponentResourceOptions & pulumi.CustomResourceOptions,
): pulumi.Resource {
  // The engine runs the program and its providers in the same directory.
  const base = { projectDir, programDir: process.cwd() };
  if (block.block === "yaml") return new k8s.yaml.v2.ConfigFile(name, { file: yamlFileInput(block, base) }, opts);
  const inputs = chartInputs(block, base);
  // The namespace is the promise's to create (a Namespace manifest before the chart), never Helm's.
  return block.release
    ? new k8s.helm.v3.Release(name, { ...inputs, createNamespace: false }, opts)
    : new k8s.helm.v4.Chart(name, inputs, opts);
}

function invokeMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // The SDK wraps the provider's error as "Invoke of 'tok' failed: <message> (<code>: <details>)".
  return text
    .replace(/^Invoke of '[^']+' failed:\s*/, "")
    .replace(/^failed to generate YAML for specified Helm chart:\s*/, "")
    .replace(/\s*\(\w+: .*\)$/s, "")
    .split("\n")[0]!
    .trim();
}

/** What renders a cluster's charts: its own provider, or a render-only one for a Git-delivered cluster. */
export type ChartRenderer = Pick<RegisteredCluster, "provider" | "provisioned">;

export interface RenderedCharts {
  /** Objects of each chart, by the chart's resource name. */
  chartObjects: Map<string, Manifest[]>;
  issues: Issue[];
}

/**
 * Renders every chart of the plan through its cluster's provider (helm
 * template, client side), all at once. Nothing is created by this: a failure
 * here is reported before any object is registered. Clusters Pledge provisions
 * are left out: their provider is not configured until the cluster exists
 * (unknown in the preview that creates it), and waiting for it would hold every
 * other cluster's objects back; helm.v4.Chart renders their charts in the update.
 */
export async function renderCharts(
  plan: RenderPlan,
  clusters: ReadonlyMap<string, ChartRenderer>,
  projectDir: string,
  unreachable: ReadonlyMap<string, string> = new Map(),
): Promise<RenderedCharts> {
  const chartObjects = new Map<string, Manifest[]>();
  const issues: Issue[] = [];
  const charts = plan.objects.filter(
    (o): o is PlannedObject & { content: HelmChart } => isBuildingBlock(o.content) && o.content.block === "helm-chart",
  );
  await Promise.all(
    charts.map(async (o) => {
      const cluster = clusters.get(o.cluster);
      if (!cluster) throw new Error(`internal: planned chart ${o.resourceName} targets unknown cluster ${o.cluster}`);
      // An unreachable cluster's objects are left alone this run (and its provider may not answer).
      if (cluster.provisioned || unreachable.has(o.cluster)) return;
      try {
        const jsonOpts = JSON.stringify(templateOptions(o.content, projectDir));
        const rendered = (await pulumi.runtime.invoke(
          "kubernetes:helm:template",
          { jsonOpts },
          { provider: cluster.provider },
        )) as { result?: Manifest[] };
        chartObjects.set(o.resourceName, rendered?.result ?? []);
      } catch (err) {
        issues.push({
          kind: "promise",
          path: blockOwnerPath(o),
          message: `${describeBlock(o.content)} failed to render: ${invokeMessage(err)}`,
          hint:
            "path" in o.content.chart
              ? "this is a bug in the promise: fix the chart or its values"
              : "check the chart's repository, name and version, and that this machine can reach it",
        });
      }
    }),
  );
  issues.sort((a, b) => compareText(a.path, b.path) || compareText(a.message, b.message));
  return { chartObjects, issues };
}
