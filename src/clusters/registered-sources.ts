// Clusters that exist already: the local fleet and anything with a kubeconfig.
// Their kubeconfigs are read before any resource is registered, so a missing
// file or a stopped fleet is a config error that changes nothing. Cloud
// clusters have none to read: theirs is an output of their own resources.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ConfigIssue } from "../config/issues";
import type { ClusterModel } from "../config/parse";
import { defaultFleetDir, localKubeconfigFile } from "../local/fleet";

export interface KubeconfigSource {
  contents: string;
  context?: string;
}

export function readKubeconfig(cluster: ClusterModel, projectDir: string, issues: ConfigIssue[], env: NodeJS.ProcessEnv = process.env): KubeconfigSource | undefined {
  switch (cluster.source) {
    case "local": {
      try {
        const file = localKubeconfigFile(defaultFleetDir(env, projectDir), cluster.localName ?? cluster.name);
        if (!existsSync(file)) throw new Error(`${file} does not exist: start the fleet with \`npm run fleet:up\``);
        return { contents: readFileSync(file, "utf8") };
      } catch (err) {
        issues.push({ path: `${cluster.configPath}.source`, message: `local cluster unavailable: ${err instanceof Error ? err.message : String(err)}` });
        return undefined;
      }
    }
    case "kubeconfig": {
      if (cluster.kubeconfig !== undefined) return { contents: cluster.kubeconfig, context: cluster.context };
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
