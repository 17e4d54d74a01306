// Reading stack config and request files: the only I/O of the config layer.
// Secret values are read raw here (names and labels are not secret); the
// cluster layer wraps kubeconfigs in pulumi.secret before any provider sees them.
import * as pulumi from "@pulumi/pulumi";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import type { Issue } from "../issues";
import type { RawStackConfig } from "./parse";

export const configKeys = {
  clusters: "pledge:clusters",
  promises: "pledge:promises",
  requests: "pledge:requests",
  requestsDir: "pledge:requestsDir",
  deletions: "pledge:deletions",
  teams: "pledge:teams",
  secretSeed: "pledge:secretSeed",
  shards: "pledge:shards",
} as const;

/** A throw-away password seed for one `pledge preview` of a stack that has none yet (a preview never writes config). */
export const previewSeedEnv = "PLEDGE_PREVIEW_SECRET_SEED";

/** One-run confirmations from `pledge up --allow-delete ...` (comma-separated), never stored in config. */
export const allowDeleteEnv = "PLEDGE_ALLOW_DELETE";

/** Clusters `pledge up` found unreachable before this run, as JSON {cluster: why}; the engine leaves their objects alone. */
export const unreachableEnv = "PLEDGE_UNREACHABLE";

/** The clusters this run must leave alone, by name, with why (from `pledge up`'s probe). */
export function readUnreachable(env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const text = env[unreachableEnv];
  if (!text) return new Map();
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== "object" || value === null) return new Map();
    return new Map(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return new Map();
  }
}

/**
 * What `pledge up` found in the team namespaces the run would delete, as JSON
 * {"<team>@<cluster>": ["ConfigMap team-notes", ...]} (src/promise/namespace-keeping.ts).
 */
export const namespaceContentsEnv = "PLEDGE_NAMESPACE_CONTENTS";

/** The namespace contents `pledge up` handed this run; undefined when nobody looked (plain `pulumi up`). */
export function readNamespaceContents(env: NodeJS.ProcessEnv = process.env): Map<string, string[]> | undefined {
  const text = env[namespaceContentsEnv];
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== "object" || value === null) return undefined;
    return new Map(
      Object.entries(value).filter(
        (e): e is [string, string[]] => Array.isArray(e[1]) && e[1].every((item) => typeof item === "string"),
      ),
    );
  } catch {
    return undefined;
  }
}

/** A stack config value by its full key (`pledge:clusters`), as the engine or `pulumi config` gives it. */
export type ConfigReader = (key: string) => string | undefined;

function readJsonKey(getConfig: ConfigReader, key: string): unknown {
  const text = getConfig(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // A plain string where a structure was expected: let the parser say what shape it needs.
    return text;
  }
}

/** Request files: every *.yaml / *.yml in the requests directory, sorted by name. */
export function readRequestFiles(projectDir: string, dir: string, issues: Issue[]): { file: string; content: unknown }[] {
  const absolute = resolve(projectDir, dir);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    issues.push({
      path: configKeys.requestsDir,
      message: `${JSON.stringify(dir)} is not a directory`,
      hint: "create it, or remove the key",
    });
    return [];
  }
  return readdirSync(absolute)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((f) => readRequestFile(projectDir, join(absolute, f), issues));
}

/** One request file, parsed; its path relative to the project names it in every message. */
export function readRequestFile(projectDir: string, path: string, issues: Issue[]): { file: string; content: unknown }[] {
  const file = relative(projectDir, resolve(projectDir, path));
  let text: string;
  try {
    text = readFileSync(resolve(projectDir, path), "utf8");
  } catch (err) {
    issues.push({ path: file, message: `cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
    return [];
  }
  try {
    return [{ file, content: parseYaml(text) as unknown }];
  } catch (err) {
    issues.push({
      path: file,
      message: `is not valid YAML: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
    });
    return [];
  }
}

/**
 * The stack config and request files, raw. In the program the engine gives the
 * config (the default reader); the CLI passes what `pulumi config` holds, to
 * check a stack before it starts the engine.
 */
export function readRawStackConfig(
  projectDir: string,
  getConfig: ConfigReader = (key) => pulumi.runtime.getConfig(key),
): { raw: RawStackConfig; issues: Issue[] } {
  const issues: Issue[] = [];
  const requestsDir = getConfig(configKeys.requestsDir);
  return {
    raw: {
      clusters: readJsonKey(getConfig, configKeys.clusters),
      promises: readJsonKey(getConfig, configKeys.promises),
      requests: readJsonKey(getConfig, configKeys.requests),
      requestFiles: requestsDir ? readRequestFiles(projectDir, requestsDir, issues) : [],
      deletions: readJsonKey(getConfig, configKeys.deletions),
      teams: readJsonKey(getConfig, configKeys.teams),
      shards: readJsonKey(getConfig, configKeys.shards),
      secretSeed: getConfig(configKeys.secretSeed) ?? process.env[previewSeedEnv],
      allowDelete: (process.env[allowDeleteEnv] ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    },
    issues,
  };
}
