// Problems for people: where (the key path), what is wrong, what would be
// right. Every layer collects issues instead of throwing, so a user sees all of
// them at once (`pledge:requests[2].spec.size: "huge" is not one of small, medium, large`),
// grouped by who has to act: the stack's configuration, a promise's author, or
// whoever runs a cluster.
import type { z } from "zod";

/**
 * Who has to act on a problem. config: the stack config or a requests file;
 * promise: a bug in a promise (its render, chart or YAML); cluster: a cluster
 * that cannot be reached; deletion: a change that would delete what needs the
 * platform owner's confirmation.
 */
export type IssueKind = "config" | "promise" | "cluster" | "deletion";

export interface Issue {
  /** Full key path, e.g. `pledge:requests[2].spec.size`, or where else it is (`promise postgres dependencies on local-1`). */
  path: string;
  message: string;
  /** What would be right, when we can tell. */
  hint?: string;
  /** Who has to act; configuration when absent. */
  kind?: IssueKind;
}

export type KeyPath = readonly (string | number)[];

const identifier = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Joins a base key and a relative path: base + ["spec", "size"] -> base.spec.size; numbers become [i]. */
export function keyPath(base: string, path: KeyPath): string {
  let out = base;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (identifier.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

export function formatIssue(issue: Issue): string {
  return `${issue.path}: ${issue.message}${issue.hint ? ` (${issue.hint})` : ""}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The header of each kind of problem, in the order they are printed. */
const headers: Record<IssueKind, (n: number) => string> = {
  config: (n) => `Pledge configuration has ${plural(n, "problem")}`,
  promise: (n) => `Promises have ${plural(n, "problem")} (bugs in the promises: tell their authors)`,
  cluster: (n) => `${plural(n, "cluster problem")} (a cluster cannot be reached)`,
  deletion: (n) => `This update needs confirmation: ${plural(n, "deletion")} would lose teams' services or data`,
};

/** Every issue, grouped by kind under its header; the first header says nothing was changed. */
export function formatIssues(issues: readonly Issue[]): string {
  const groups = (Object.keys(headers) as IssueKind[])
    .map((kind) => ({ kind, issues: issues.filter((i) => (i.kind ?? "config") === kind) }))
    .filter((g) => g.issues.length > 0);
  return groups
    .map(
      (g, index) =>
        `${headers[g.kind](g.issues.length)}${index === 0 ? "; nothing was changed" : ""}:\n${g.issues.map((i) => `  - ${formatIssue(i)}`).join("\n")}`,
    )
    .join("\n");
}

/** The problems that stop a run before anything is registered. */
export class PledgeError extends Error {
  constructor(readonly issues: readonly Issue[]) {
    super(formatIssues(issues));
    this.name = "PledgeError";
  }
}

/** A value in a message. Never whole objects or lists: they can hold secrets (a kubeconfig) and help nobody. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "missing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object" && value !== null) return "an object";
  return JSON.stringify(value);
}

/** Zod's issues in our words, with full key paths. Requires parsing with { reportInput: true }. */
export function fromZodIssues(base: string, issues: readonly z.core.$ZodIssue[]): Issue[] {
  return issues.flatMap((issue): Issue[] => {
    const path = keyPath(base, issue.path as KeyPath);
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case "invalid_value":
        return [{ path, message: `${describeValue(input)} is not one of ${issue.values.map(String).join(", ")}` }];
      case "unrecognized_keys":
        return issue.keys.map((key) => ({
          path: keyPath(path, [key]),
          message: "is not a known field",
          hint: "remove it or check its spelling",
        }));
      case "invalid_type":
        return [
          {
            path,
            message:
              input === undefined
                ? `is required (${issue.expected})`
                : `must be ${article(issue.expected)}, got ${describeValue(input)}`,
          },
        ];
      case "too_big":
      case "too_small":
      case "invalid_format":
      case "custom":
      default:
        return [{ path, message: input === undefined ? issue.message : `${describeValue(input)}: ${lowerFirst(issue.message)}` }];
    }
  });
}

export function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Closest known name, for "did you mean" hints. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance <= Math.max(2, Math.floor(candidate.length / 3)) && (!best || distance < best.distance))
      best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
