// pledge:stateStores and each cluster's `delivery.gitops`: the Git
// repositories Pledge writes to, and which cluster reads which directory of
// which one. Pure. A directory belongs to exactly one cluster (Flux prunes
// whatever leaves it), so two clusters sharing or nesting one is an error.
import { closest, fromZodIssues, keyPath, type Issue } from "../issues";
import { dnsLabelProblem, type AtPath } from "./names";
import { stateStoreSchema, type GitopsDelivery, type StateStoreConfig } from "./schema";
import { configKeys } from "./keys";

export type StateStoreEntry = StateStoreConfig & AtPath;

/** What this file needs of a cluster entry (parse.ts's ClusterEntry has it). */
interface DeliveredCluster extends AtPath {
  name: string;
  delivery?: { gitops: GitopsDelivery };
}

/** A repository path problem: absolute, `..`, empty segments or a backslash. */
export function repositoryPathProblem(path: string): string | undefined {
  if (path === "") return undefined;
  if (path.startsWith("/") || path.includes("\\") || path.split("/").some((s) => s === "" || s === "." || s === ".."))
    return `${JSON.stringify(path)} must be a relative path inside the repository: names joined by /, without ., .. or a leading /`;
  return undefined;
}

const joinPath = (...parts: string[]) => parts.filter((p) => p !== "").join("/");

/** The directory in its store a Git-delivered cluster reads: `<store path>/<cluster path or name>`. */
export function clusterStorePath(
  store: Pick<StateStoreConfig, "path">,
  cluster: Pick<DeliveredCluster, "name" | "delivery">,
): string {
  return joinPath(store.path, cluster.delivery?.gitops.path ?? cluster.name);
}

export function parseStateStores(raw: unknown, issues: Issue[]): StateStoreEntry[] {
  const base = configKeys.stateStores;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    issues.push({ path: base, message: "must be a list of Git repositories: [{name, url, branch, path, credentials}]" });
    return [];
  }
  const seen = new Map<string, string>();
  return raw.flatMap((item, index): StateStoreEntry[] => {
    const path = keyPath(base, [index]);
    const url = (item as { url?: unknown } | null)?.url;
    if (typeof url === "string" && /^https?:\/\/[^/]*:[^/]*@/.test(url)) {
      // Said without the value: it holds a password.
      issues.push({ path: `${path}.url`, message: "holds a password: put it in credentials (a Pulumi secret), not in the URL" });
      return [];
    }
    const parsed = stateStoreSchema.safeParse(item, { reportInput: true });
    if (!parsed.success) {
      issues.push(...fromZodIssues(path, parsed.error.issues));
      return [];
    }
    const store = parsed.data;
    const nameProblem = dnsLabelProblem(store.name);
    if (nameProblem) issues.push({ path: `${path}.name`, message: nameProblem });
    const earlier = seen.get(store.name);
    if (earlier)
      issues.push({
        path: `${path}.name`,
        message: `duplicate state store ${JSON.stringify(store.name)}`,
        hint: `also at ${earlier}`,
      });
    seen.set(store.name, path);
    const pathProblem = repositoryPathProblem(store.path);
    if (pathProblem) issues.push({ path: `${path}.path`, message: pathProblem });
    return [{ ...store, configPath: path }];
  });
}

const within = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}/`);

/** Each Git-delivered cluster names a store that exists and a directory no other cluster uses. */
export function checkGitopsDelivery(
  clusters: readonly DeliveredCluster[],
  stores: readonly StateStoreEntry[],
  issues: Issue[],
): void {
  const byName = new Map(stores.map((s) => [s.name, s]));
  const taken: { store: string; path: string; at: string }[] = [];
  for (const cluster of clusters) {
    const gitops = cluster.delivery?.gitops;
    if (!gitops) continue;
    const at = `${cluster.configPath}.delivery.gitops`;
    const store = byName.get(gitops.store);
    if (!store) {
      const near = closest(gitops.store, [...byName.keys()]);
      issues.push({
        path: `${at}.store`,
        message: `${JSON.stringify(gitops.store)} is not a state store of ${configKeys.stateStores}`,
        hint: near
          ? `did you mean ${near}?`
          : `declare it: ${configKeys.stateStores}: [{name: ${gitops.store}, url: https://...}]`,
      });
      continue;
    }
    const pathProblem = gitops.path === undefined ? undefined : repositoryPathProblem(gitops.path);
    if (pathProblem) {
      issues.push({ path: `${at}.path`, message: pathProblem });
      continue;
    }
    const path = clusterStorePath(store, cluster);
    const clash = taken.find((t) => t.store === store.name && (within(t.path, path) || within(path, t.path)));
    if (clash)
      issues.push({
        path: `${at}.path`,
        message: `directory ${path} of store ${store.name} overlaps ${clash.path}, which ${clash.at} reads`,
        hint: "each Git-delivered cluster needs a directory of its own (Flux prunes what leaves it)",
      });
    else taken.push({ store: store.name, path, at });
  }
}
