// Problems found in a request, in the words of src/issues.ts: the same key
// paths and the same way of naming values as every other Pledge message.
import { article, describeValue, keyPath, type Issue } from "../issues";

export type { Issue };

/** A position inside a value: object keys and array indexes. */
export type ValuePath = readonly (string | number)[];

/**
 * Why a check failed. Only `type` is used for a decision beyond "rejected": an
 * unknown field under a value of the wrong type is not worth a second line.
 */
export type IssueKind = "type" | "unknown" | "value";

/** An issue before it gets its full key path: where, what, and of what kind. */
export interface ValueIssue {
  at: ValuePath;
  kind: IssueKind;
  message: string;
  hint?: string;
}

/** Joins a base key and a relative path, as every key path in Pledge is written: base.spec.size, [2], ["a.b"]. */
export const joinPath = keyPath;

export { describeValue };

export const withArticle = article;

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function isPrefix(prefix: ValuePath, path: ValuePath): boolean {
  return prefix.length < path.length && prefix.every((part, i) => path[i] === part);
}

/**
 * Full key paths, without the noise the API server would add: an unknown field
 * below a value that already has the wrong type says nothing new.
 */
export function toConfigIssues(base: string, issues: readonly ValueIssue[]): Issue[] {
  const typeErrors = issues.filter((issue) => issue.kind === "type").map((issue) => issue.at);
  const seen = new Set<string>();
  const out: Issue[] = [];
  for (const issue of issues) {
    if (issue.kind === "unknown" && typeErrors.some((at) => isPrefix(at, issue.at))) continue;
    const path = joinPath(base, issue.at);
    const key = `${path}\n${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message: issue.message, ...(issue.hint ? { hint: issue.hint } : {}) });
  }
  return out;
}
