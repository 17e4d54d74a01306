// Clusters that exist already: the local fleet and anything with a kubeconfig.
// Their kubeconfigs are read before any resource is registered, so a missing
// file or a stopped fleet is a config error that changes nothing. Cloud
// clusters have none to read: theirs is an output of their own resources.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Issue } from "../issues";
import type { ClusterEntry } from "../config/parse";
import { defaultFleetDir, localClusterDir, localKubeconfigFile } from "./local-fleet-files";

export interface KubeconfigSource {
  contents: string;
  context?: string;
}

/** The clusters a fleet directory holds: those with an admin kubeconfig. */
function localClustersIn(fleetDir: string): string[] {
  if (!existsSync(fleetDir)) return [];
  return readdirSync(fleetDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(localKubeconfigFile(localClusterDir(fleetDir, entry.name))))
    .map((entry) => entry.name)
    .sort();
}

export function readKubeconfig(
  cluster: ClusterEntry,
  projectDir: string,
  issues: Issue[],
  env: NodeJS.ProcessEnv = process.env,
): KubeconfigSource | undefined {
  switch (cluster.source) {
    case "local": {
      try {
        const fleetDir = defaultFleetDir(env, projectDir);
        const name = cluster.localName ?? cluster.name;
        const file = localKubeconfigFile(localClusterDir(fleetDir, name));
        if (!existsSync(file))
          throw new Error(
            `local cluster "${name}" is not in the fleet at ${fleetDir} (has: ${localClustersIn(fleetDir).join(", ") || "none"}); start it with \`npm run fleet:up -- --clusters N\``,
          );
        return { contents: readFileSync(file, "utf8") };
      } catch (err) {
        issues.push({
          path: `${cluster.configPath}.source`,
          message: `local cluster unavailable: ${err instanceof Error ? err.message : String(err)}`,
        });
        return undefined;
      }
    }
    case "kubeconfig": {
      if (cluster.kubeconfig !== undefined) return { contents: cluster.kubeconfig, context: cluster.context };
      // Git-only: delivered through its state store, never contacted (parse.ts allows no kubeconfig only then).
      if (cluster.kubeconfigPath === undefined) return undefined;
      const path = resolve(projectDir, cluster.kubeconfigPath ?? "");
      if (!existsSync(path)) {
        issues.push({ path: `${cluster.configPath}.kubeconfigPath`, message: `${path} does not exist` });
        return undefined;
      }
      return { contents: readFileSync(path, "utf8"), context: cluster.context };
    }
    case "eks":
    case "aks":
    case "gke":
      return undefined;
  }
}

/** The kubeconfig of every cluster that has one to read, by cluster name, with the problems found. */
export function readKubeconfigs(
  clusters: readonly ClusterEntry[],
  projectDir: string,
): { sources: Map<string, KubeconfigSource>; issues: Issue[] } {
  const issues: Issue[] = [];
  const sources = new Map<string, KubeconfigSource>();
  for (const c of clusters) {
    const source = readKubeconfig(c, projectDir, issues);
    if (source) sources.set(c.name, source);
  }
  return { sources, issues };
}
