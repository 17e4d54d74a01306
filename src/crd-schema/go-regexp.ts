// CRD patterns are Go regular expressions (RE2 syntax, Perl flags), matched as
// regexp.MatchString matches them: "is there a match anywhere". re2js is a port
// of RE2/J, itself a port of Go's regexp: the same grammar, the same answers, and
// linear time, so a pattern like ^(a+)+$ cannot hang a check on a long value
// (a backtracking JavaScript RegExp would).
import { RE2JS, RE2JSSyntaxException } from "re2js";

export type GoPattern = { ok: true; test: (text: string) => boolean } | { ok: false; reason: string };

const cache = new Map<string, GoPattern>();

/** A matcher with Go's regexp.MatchString semantics, or why Go would not compile the pattern. */
export function goPattern(pattern: string): GoPattern {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let result: GoPattern;
  try {
    const compiled = RE2JS.compile(pattern);
    result = { ok: true, test: (text) => compiled.test(text) };
  } catch (err) {
    // Go's own wording ("missing closing )"), without the "error parsing regexp:" prefix.
    result = { ok: false, reason: err instanceof RE2JSSyntaxException ? err.error : (err as Error).message };
  }
  cache.set(pattern, result);
  return result;
}

/**
 * The pattern itself when a JavaScript RegExp (u flag) reads it with Go's meaning, for editors' JSON
 * Schema; undefined otherwise. Both must compile it, and it may not use what compiles in both but
 * means something else: `.` outside a class (JavaScript's also stops at \r, U+2028, U+2029), `\s`
 * and `\S` (JavaScript's are Unicode), and flag groups other than `(?:` and `(?<name>`.
 */
export function portablePattern(pattern: string): string | undefined {
  if (!goPattern(pattern).ok) return undefined;
  try {
    new RegExp(pattern, "u");
  } catch {
    return undefined;
  }
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const escaped = pattern[++i];
      if (escaped === "s" || escaped === "S") return undefined;
    } else if (inClass) {
      inClass = c !== "]";
    } else if (c === "[") {
      // Go's "[]a]" (a "]" first is a member) ends early here, but JavaScript refused it above.
      inClass = true;
    } else if (c === ".") {
      return undefined;
    } else if (c === "(" && pattern[i + 1] === "?" && pattern[i + 2] !== ":" && pattern[i + 2] !== "<") {
      return undefined;
    }
  }
  return pattern;
}
