// Reading what charts and YAML files name, before anything is registered: a
// chart directory that does not exist, a YAML file that does not parse or a
// URL that cannot be fetched is a problem naming the promise, the cluster and
// the source, and nothing has been applied. YAML documents read here also feed
// the ownership check (two owners of one object on a cluster).
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Issue } from "../issues";
import { compareText } from "../labels/ordering";
import { describeBlock, isBuildingBlock, resolveBlockPath, type YamlFile } from "../promise/blocks";
import type { Manifest } from "../promise/manifest";
import type { RenderPlan } from "../promise/plan";
import { blockOwnerPath, parseYamlObjects } from "../promise/yaml-objects";

export interface LoadedSources {
  /** Objects of each YAML block, by the block's resource name. */
  yamlObjects: Map<string, Manifest[]>;
  issues: Issue[];
}

async function fetchText(url: string, timeoutMs: number): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  return response.text();
}

function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === "TimeoutError") return "timed out";
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${cause.code}${cause.message ? ` (${cause.message})` : ""}` : err.message;
}

/** The chart's directory or archive must exist; remote charts are checked when the provider renders them. */
function chartPathProblem(path: string): string | undefined {
  if (!existsSync(path)) return `${path} does not exist`;
  if (statSync(path).isDirectory())
    return existsSync(join(path, "Chart.yaml")) ? undefined : `${path} has no Chart.yaml, so it is not a Helm chart`;
  return /\.tgz$|\.tar\.gz$/.test(path) ? undefined : `${path} is neither a chart directory nor a packaged chart (.tgz)`;
}

/**
 * Reads every YAML file and URL the plan names (each once, whatever the number
 * of clusters), checks every chart path, and returns the YAML objects with the
 * problems found.
 */
export async function loadPlanSources(
  plan: RenderPlan,
  projectDir: string,
  options: {
    fetchTimeoutMs?: number;
    /** An offline run (src/run/decide.ts) reads the project's files only: URL sources are left for the online run. */
    offline?: boolean;
  } = {},
): Promise<LoadedSources> {
  const yamlObjects = new Map<string, Manifest[]>();
  const issues: Issue[] = [];
  const texts = new Map<string, Promise<string>>();
  const read = (block: YamlFile): Promise<string> => {
    const key = "file" in block.source ? `file:${resolveBlockPath(block.source.file, projectDir)}` : `url:${block.source.url}`;
    if (!texts.has(key)) {
      texts.set(
        key,
        "file" in block.source
          ? Promise.resolve().then(() =>
              readFileSync(resolveBlockPath((block.source as { file: string }).file, projectDir), "utf8"),
            )
          : fetchText(block.source.url, options.fetchTimeoutMs ?? 15_000),
      );
    }
    return texts.get(key)!;
  };
  await Promise.all(
    plan.objects.map(async (o) => {
      if (!isBuildingBlock(o.content)) return;
      const block = o.content;
      if (block.block === "helm-chart") {
        if (!("path" in block.chart)) return;
        const problem = chartPathProblem(resolveBlockPath(block.chart.path, projectDir));
        if (problem)
          issues.push({
            kind: "promise",
            path: blockOwnerPath(o),
            message: `${describeBlock(block)}: ${problem}`,
            hint: "this is a bug in the promise: ship the chart with it",
          });
        return;
      }
      if (options.offline && "url" in block.source) return;
      let text: string;
      try {
        text = await read(block);
      } catch (err) {
        const what =
          "url" in block.source
            ? `cannot be fetched: ${describeFetchError(err)}`
            : `cannot be read: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : describeFetchError(err)}`;
        issues.push({
          kind: "promise",
          path: blockOwnerPath(o),
          message: `${describeBlock(block)} ${what}`,
          hint:
            "url" in block.source
              ? "check the URL and that this machine can reach it"
              : "this is a bug in the promise: ship the file with it",
        });
        return;
      }
      const { objects, problems } = parseYamlObjects(text);
      if (problems.length > 0)
        issues.push({
          kind: "promise",
          path: blockOwnerPath(o),
          message: `${describeBlock(block)}: ${problems.join("; ")}`,
          hint: "this is a bug in the promise",
        });
      else yamlObjects.set(o.resourceName, objects);
    }),
  );
  // Stable order whatever finished first.
  issues.sort((a, b) => compareText(a.path, b.path) || compareText(a.message, b.message));
  return { yamlObjects, issues };
}
