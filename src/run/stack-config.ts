// Reading stack config and request files, the first thing a run does (the
// config layer parses what this reads). Secret values are read raw here
// (names and labels are not secret); the cluster layer wraps kubeconfigs in
// pulumi.secret before any provider sees them.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import type { Issue } from "../issues";
import { configKeys } from "../config/keys";
import type { RawStackConfig } from "../config/parse";

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

/** A request file's name in every message: its path relative to the project. */
export function requestFileName(projectDir: string, path: string): string {
  return relative(projectDir, resolve(projectDir, path));
}

/** One request file, parsed; its path relative to the project names it in every message. */
export function readRequestFile(projectDir: string, path: string, issues: Issue[]): { file: string; content: unknown }[] {
  const file = requestFileName(projectDir, path);
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

/** What a run reads besides the stack config itself. */
export interface ConfigReadOptions {
  /** Request files that replace their committed versions, or join them when new (`pledge check <file>`). */
  checkedFiles?: readonly string[];
  /** This run's confirmations (--allow-delete). */
  allowDelete?: readonly string[];
  /** A seed for a stack that has none yet (a preview's throw-away one). */
  fallbackSecretSeed?: string;
}

/**
 * The stack config and request files, raw: in the program the engine gives
 * the config, in the CLI `pulumi config` does. Request files under check are
 * read once, in place of their committed versions, and reported once.
 */
export function readRawStackConfig(
  projectDir: string,
  getConfig: ConfigReader,
  options: ConfigReadOptions = {},
): { raw: RawStackConfig; issues: Issue[] } {
  const readIssues: Issue[] = [];
  const requestsDir = getConfig(configKeys.requestsDir);
  const committed = requestsDir ? readRequestFiles(projectDir, requestsDir, readIssues) : [];
  const names = new Set((options.checkedFiles ?? []).map((f) => requestFileName(projectDir, f)));
  const issues = readIssues.filter((i) => !names.has(i.path));
  const checked = (options.checkedFiles ?? []).flatMap((f) => readRequestFile(projectDir, f, issues));
  return {
    raw: {
      clusters: readJsonKey(getConfig, configKeys.clusters),
      promises: readJsonKey(getConfig, configKeys.promises),
      requests: readJsonKey(getConfig, configKeys.requests),
      requestFiles: [...committed.filter((f) => !names.has(f.file)), ...checked],
      deletions: readJsonKey(getConfig, configKeys.deletions),
      teams: readJsonKey(getConfig, configKeys.teams),
      shards: readJsonKey(getConfig, configKeys.shards),
      stateStores: readJsonKey(getConfig, configKeys.stateStores),
      rollout: readJsonKey(getConfig, configKeys.rollout),
      secretSeed: getConfig(configKeys.secretSeed) ?? options.fallbackSecretSeed,
      allowDelete: [...(options.allowDelete ?? [])],
    },
    issues,
  };
}
