// CRD patterns are Go regular expressions (RE2 syntax, Perl flags), matched with
// regexp.MatchString: "is there a match anywhere". JavaScript's RegExp differs in
// ways that change answers: `.` also stops at \r and U+2028, `\s` is Unicode
// whitespace, `$` under (?m) stops before \r, `\A`, `\z`, `\Q..\E`, `[[:alpha:]]`
// and `(?i)` in the middle of a pattern do not exist, and a lone `{` or `]` is a
// syntax error in Unicode mode. So a pattern is parsed with Go's grammar
// (regexp/syntax/parse.go) and written out again as JavaScript that means the
// same thing. Whether a match exists does not depend on greedy or lazy
// repetition, so (?U) and `*?` need no translation. What cannot be expressed
// (\C, case folding of a class under a (?i) that covers only part of the
// pattern) is reported, so the caller can say the pattern is not checked.

export type GoPattern =
  | { ok: true; test: (text: string) => boolean; source: string; flags: string }
  | { ok: false; reason: string; invalidInGo: boolean };

type Range = readonly [number, number];
/** `complementOf`: \W, \S, \D, [:^alpha:]. Go folds case before it negates, so the complement stays symbolic. */
type ClassItem = { range: Range } | { property: string; negated: boolean } | { complementOf: readonly Range[] };

type Node =
  | { kind: "literal"; codePoint: number; fold: boolean }
  | { kind: "class"; negated: boolean; items: ClassItem[]; fold: boolean }
  | { kind: "any"; newline: boolean }
  | { kind: "assert"; what: "textStart" | "textEnd" | "lineStart" | "lineEnd" | "wordBoundary" | "notWordBoundary" }
  | { kind: "group"; alternatives: Node[][] }
  | { kind: "repeat"; node: Node; min: number; max: number };

interface Flags {
  fold: boolean;
  multiLine: boolean;
  dotNewline: boolean;
}

class GoSyntaxError extends Error {
  constructor(
    message: string,
    readonly invalidInGo: boolean,
  ) {
    super(message);
  }
}

const maxCodePoint = 0x10ffff;
const perlClasses: Record<string, readonly Range[]> = {
  d: [[0x30, 0x39]],
  s: [
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20],
  ],
  w: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
};
const posixClasses: Record<string, readonly Range[]> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: perlClasses.w!,
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

function complement(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= maxCodePoint) out.push([next, maxCodePoint]);
  return out;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isOctal = (c: string | undefined) => c !== undefined && c >= "0" && c <= "7";
const hexValue = (c: string | undefined) => (c !== undefined && /^[0-9A-Fa-f]$/.test(c) ? parseInt(c, 16) : -1);
const isAsciiAlnum = (c: string) => /^[0-9A-Za-z]$/.test(c);

/** Go's regexp/syntax parser, reduced to the tree a match/no-match answer needs. */
class Parser {
  private readonly chars: string[];
  private at = 0;
  /** Go refuses a repetition of a repetition (a**, a{2}*): the previous token was one. */
  private afterRepeat = false;

  constructor(pattern: string) {
    this.chars = Array.from(pattern);
  }

  parse(): Node {
    const node = this.alternation({ fold: false, multiLine: false, dotNewline: false }, 0);
    if (this.at < this.chars.length) throw new GoSyntaxError("unexpected )", true);
    return node;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.at + offset];
  }

  private alternation(outer: Flags, depth: number): Node {
    const flags = { ...outer };
    const alternatives: Node[][] = [[]];
    while (this.at < this.chars.length) {
      const c = this.peek()!;
      if (c === ")") {
        if (depth === 0) throw new GoSyntaxError("unexpected )", true);
        break;
      }
      this.at++;
      const current = alternatives[alternatives.length - 1]!;
      const repeatOperator = c === "*" || c === "+" || c === "?" || (c === "{" && this.looksLikeRepeat());
      if (repeatOperator && this.afterRepeat) throw new GoSyntaxError("invalid nested repetition operator", true);
      this.afterRepeat = repeatOperator;
      switch (c) {
        case "|":
          alternatives.push([]);
          break;
        case "(":
          this.group(flags, depth, current);
          break;
        case "[":
          current.push(this.characterClass(flags));
          break;
        case ".":
          current.push({ kind: "any", newline: flags.dotNewline });
          break;
        case "^":
          current.push({ kind: "assert", what: flags.multiLine ? "lineStart" : "textStart" });
          break;
        case "$":
          current.push({ kind: "assert", what: flags.multiLine ? "lineEnd" : "textEnd" });
          break;
        case "*":
        case "+":
        case "?":
          this.repeat(current, c === "+" ? 1 : 0, c === "?" ? 1 : Infinity, c);
          break;
        case "{": {
          const bounds = this.repeatBounds();
          if (bounds) this.repeat(current, bounds[0], bounds[1], "{");
          else current.push({ kind: "literal", codePoint: 0x7b, fold: flags.fold });
          break;
        }
        case "\\":
          this.escape(flags, current);
          break;
        default:
          current.push({ kind: "literal", codePoint: c.codePointAt(0)!, fold: flags.fold });
      }
    }
    return { kind: "group", alternatives };
  }

  private repeat(current: Node[], min: number, max: number, operator: string): void {
    const last = current.pop();
    if (!last) throw new GoSyntaxError(`missing argument to repetition operator ${operator}`, true);
    if (this.peek() === "?") this.at++; // lazy: same answer to "is there a match"
    current.push({ kind: "repeat", node: last, min, max });
  }

  private looksLikeRepeat(): boolean {
    return /^\d+(,\d*)?\}/.test(this.chars.slice(this.at, this.at + 12).join(""));
  }

  /** `{n}`, `{n,}`, `{n,m}` (at most 1000); anything else makes `{` a literal, as in Go. */
  private repeatBounds(): [number, number] | undefined {
    const rest = this.chars.slice(this.at).join("");
    const match = /^(\d+)(,(\d*))?\}/.exec(rest);
    if (!match) return undefined;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === "" ? Infinity : Number(match[3]);
    if (min > 1000 || (max !== Infinity && (max > 1000 || max < min))) throw new GoSyntaxError("invalid repeat count", true);
    this.at += match[0].length;
    return [min, max];
  }

  private group(flags: Flags, depth: number, current: Node[]): void {
    let inner = flags;
    if (this.peek() === "?") {
      const rest = this.chars.slice(this.at + 1).join("");
      const named = /^P?<([A-Za-z0-9_]+)>/.exec(rest);
      if (named) {
        this.at += 1 + named[0].length;
      } else {
        const setting = /^([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest);
        if (!setting || setting[2] === "") throw new GoSyntaxError("invalid or unsupported Perl syntax", true);
        this.at += 1 + setting[0].length;
        const changed = { ...flags };
        for (const [letters, on] of [
          [setting[1] ?? "", true],
          [setting[2] ?? "", false],
        ] as const) {
          if (letters.includes("i")) changed.fold = on;
          if (letters.includes("m")) changed.multiLine = on;
          if (letters.includes("s")) changed.dotNewline = on;
        }
        if (setting[3] === ")") {
          // (?flags) changes the rest of the enclosing group.
          Object.assign(flags, changed);
          return;
        }
        inner = changed;
      }
    }
    const node = this.alternation(inner, depth + 1);
    if (this.peek() !== ")") throw new GoSyntaxError("missing closing )", true);
    this.at++;
    this.afterRepeat = false; // (a*)* is fine: the group is the operand
    current.push(node);
  }

  private escape(flags: Flags, current: Node[]): void {
    const c = this.peek();
    if (c === undefined) throw new GoSyntaxError("trailing backslash at end of expression", true);
    switch (c) {
      case "A":
      case "z":
      case "b":
      case "B":
        this.at++;
        current.push({
          kind: "assert",
          what: { A: "textStart", z: "textEnd", b: "wordBoundary", B: "notWordBoundary" }[c],
        } as Node);
        return;
      case "Q": {
        this.at++;
        while (this.at < this.chars.length) {
          if (this.peek() === "\\" && this.peek(1) === "E") {
            this.at += 2;
            return;
          }
          current.push({ kind: "literal", codePoint: this.chars[this.at++]!.codePointAt(0)!, fold: flags.fold });
        }
        return;
      }
      case "C":
        throw new GoSyntaxError("invalid escape sequence \\C", true);
    }
    const items = this.classEscape();
    if (items) current.push({ kind: "class", negated: false, items, fold: flags.fold });
    else current.push({ kind: "literal", codePoint: this.charEscape(), fold: flags.fold });
  }

  /** \d \D \s \S \w \W \pL \p{Greek} \P{...}: the class items, or undefined if the escape is not a class. */
  private classEscape(): ClassItem[] | undefined {
    const c = this.peek()!;
    const perl = perlClasses[c.toLowerCase()];
    if (perl) {
      this.at++;
      return c === c.toLowerCase() ? perl.map((range) => ({ range })) : [{ complementOf: perl }];
    }
    if (c !== "p" && c !== "P") return undefined;
    this.at++;
    let name: string;
    if (this.peek() === "{") {
      const end = this.chars.indexOf("}", this.at);
      if (end < 0) throw new GoSyntaxError("invalid character class range", true);
      name = this.chars.slice(this.at + 1, end).join("");
      this.at = end + 1;
    } else {
      const letter = this.chars[this.at++];
      if (letter === undefined) throw new GoSyntaxError("invalid character class range", true);
      name = letter;
    }
    let negated = c === "P";
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    return unicodeClass(name, negated);
  }

  /** A single character after a backslash (parseEscape in Go). */
  private charEscape(): number {
    const c = this.chars[this.at++]!;
    if (c >= "1" && c <= "7" && !isOctal(this.peek())) throw new GoSyntaxError(`invalid escape sequence \\${c}`, true);
    if (isOctal(c)) {
      let value = Number(c);
      for (let i = 1; i < 3 && isOctal(this.peek()); i++) value = value * 8 + Number(this.chars[this.at++]);
      return value;
    }
    if (c === "x") {
      if (this.peek() === "{") {
        const end = this.chars.indexOf("}", this.at);
        const digits = end < 0 ? "" : this.chars.slice(this.at + 1, end).join("");
        if (!/^[0-9A-Fa-f]+$/.test(digits) || parseInt(digits, 16) > maxCodePoint) {
          throw new GoSyntaxError("invalid escape sequence \\x{", true);
        }
        this.at = end + 1;
        return parseInt(digits, 16);
      }
      const high = hexValue(this.chars[this.at++]);
      const low = hexValue(this.chars[this.at++]);
      if (high < 0 || low < 0) throw new GoSyntaxError("invalid escape sequence \\x", true);
      return high * 16 + low;
    }
    const control: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (control[c] !== undefined) return control[c]!;
    if (c.codePointAt(0)! < 0x80 && !isAsciiAlnum(c)) return c.codePointAt(0)!;
    throw new GoSyntaxError(`invalid escape sequence \\${c}`, true);
  }

  private characterClass(flags: Flags): Node {
    const negated = this.peek() === "^";
    if (negated) this.at++;
    const items: ClassItem[] = [];
    let first = true;
    while (first || this.peek() !== "]") {
      if (this.at >= this.chars.length) throw new GoSyntaxError("missing closing ]", true);
      first = false;
      if (this.peek() === "[" && this.peek(1) === ":") {
        const posix = this.posixClass();
        if (posix) {
          items.push(...posix);
          continue;
        }
      }
      if (this.peek() === "\\") {
        this.at++;
        const escaped = this.classEscape();
        if (escaped) {
          items.push(...escaped);
          continue;
        }
        this.at--;
      }
      const lo = this.classChar();
      let hi = lo;
      if (this.peek() === "-" && this.peek(1) !== "]" && this.peek(1) !== undefined) {
        this.at++;
        hi = this.classChar();
        if (hi < lo) throw new GoSyntaxError("invalid character class range", true);
      }
      items.push({ range: [lo, hi] });
    }
    this.at++;
    return { kind: "class", negated, items, fold: flags.fold };
  }

  private classChar(): number {
    if (this.peek() === "\\") {
      this.at++;
      return this.charEscape();
    }
    return this.chars[this.at++]!.codePointAt(0)!;
  }

  /** [:alpha:] and [:^alpha:]; undefined when there is no ":]" (then "[" is a literal, as in Go). */
  private posixClass(): ClassItem[] | undefined {
    const rest = this.chars.slice(this.at).join("");
    const end = rest.indexOf(":]", 2);
    if (end < 0) return undefined;
    let name = rest.slice(2, end);
    const negated = name.startsWith("^");
    if (negated) name = name.slice(1);
    const ranges = Object.hasOwn(posixClasses, name) ? posixClasses[name]! : undefined;
    if (!ranges) throw new GoSyntaxError(`invalid character class range [:${name}:]`, true);
    this.at += Array.from(rest.slice(0, end + 2)).length;
    return negated ? [{ complementOf: ranges }] : ranges.map((range) => ({ range }));
  }
}

/** Go's \p names (unicode.Categories, unicode.Scripts, "Any") as JavaScript property escapes. */
function unicodeClass(name: string, negated: boolean): ClassItem[] {
  if (name === "Any") return negated ? [] : [{ range: [0, maxCodePoint] }];
  if (!/^[A-Za-z_]+$/.test(name)) throw new GoSyntaxError(`invalid character class range \\p{${name}}`, true);
  const property = /^[A-Z][a-z]?$/.test(name) ? name : `Script=${name}`;
  return [{ property, negated }];
}

function escapeCodePoint(codePoint: number): string {
  const c = String.fromCodePoint(codePoint);
  return isAsciiAlnum(c) ? c : `\\u{${codePoint.toString(16)}}`;
}

const wordClass = "[0-9A-Za-z_]";
const assertions: Record<string, string> = {
  // No m flag is ever used, so JavaScript's ^ and $ mean start and end of text, as Go's do without (?m).
  textStart: "^",
  textEnd: "$",
  lineStart: "(?<![^\\n])",
  lineEnd: "(?![^\\n])",
  // Go's \b is ASCII-only, like JavaScript's without the i flag; spelled out to stay so.
  wordBoundary: `(?:(?<=${wordClass})(?!${wordClass})|(?<!${wordClass})(?=${wordClass}))`,
  notWordBoundary: `(?:(?<=${wordClass})(?=${wordClass})|(?<!${wordClass})(?!${wordClass}))`,
};

/** Letters whose case partners toLowerCase/toUpperCase do not reach: Kelvin sign, long s, Angstrom sign, Ohm sign. */
const foldingSpecials = ["k", "K", "\u212a", "s", "S", "\u017f", "\u00e5", "\u00c5", "\u212b", "\u03c9", "\u03a9", "\u2126"];

/** The other cases of one code point under simple case folding, as Go's (?i) matches them. */
function caseVariants(codePoint: number): number[] {
  const c = String.fromCodePoint(codePoint);
  if (c.toLowerCase() === c && c.toUpperCase() === c) return [codePoint];
  const candidates = new Set([c, c.toLowerCase(), c.toUpperCase(), c.toLowerCase().toUpperCase(), c.toUpperCase().toLowerCase()]);
  for (const special of foldingSpecials) candidates.add(special);
  const folds = new RegExp(`^${escapeCodePoint(codePoint)}$`, "ui");
  return [...candidates].filter((d) => Array.from(d).length === 1 && folds.test(d)).map((d) => d.codePointAt(0)!);
}

class Writer {
  constructor(private readonly foldWithFlag: boolean) {}

  write(node: Node): string {
    switch (node.kind) {
      case "literal":
        if (node.fold && !this.foldWithFlag) {
          const variants = caseVariants(node.codePoint);
          return variants.length > 1 ? `[${variants.map(escapeCodePoint).join("")}]` : escapeCodePoint(node.codePoint);
        }
        return escapeCodePoint(node.codePoint);
      case "class": {
        // [\W] is [^\w]: written as a negation, case folding then applies before negating, as in Go.
        const only = node.items.length === 1 ? node.items[0]! : undefined;
        if (only && "complementOf" in only) {
          const positive: Node = { ...node, negated: !node.negated, items: only.complementOf.map((range) => ({ range })) };
          return this.write(positive);
        }
        if (node.fold && !this.foldWithFlag) return this.foldedClass(node);
        if (node.fold && node.items.some((item) => "complementOf" in item)) {
          throw new GoSyntaxError("a negated class (\\W, \\S, [:^...:]) combined with others under (?i)", false);
        }
        return `[${node.negated ? "^" : ""}${node.items.map((item) => this.classItem(item)).join("")}]`;
      }
      case "any":
        return node.newline ? "[\\s\\S]" : "[^\\n]";
      case "assert":
        return assertions[node.what]!;
      case "group":
        return `(?:${this.alternatives(node)})`;
      case "repeat": {
        const inner = this.write(node.node);
        const quantifiable = ["literal", "class", "any", "group"].includes(node.node.kind);
        const atom = quantifiable ? inner : `(?:${inner})`;
        return atom + quantifier(node.min, node.max);
      }
    }
  }

  /** A class under (?i) without the i flag: every member's case variants listed, as Go's appendFoldedClass does. */
  private foldedClass(node: Extract<Node, { kind: "class" }>): string {
    const members = new Set<number>();
    for (const item of node.items) {
      if (!("range" in item)) {
        throw new GoSyntaxError("a Unicode or negated class under a (?i) that JavaScript's i flag cannot carry", false);
      }
      const [lo, hi] = item.range;
      if (hi - lo > 4096)
        throw new GoSyntaxError("a large character class under a (?i) that JavaScript's i flag cannot carry", false);
      for (let c = lo; c <= hi; c++) for (const variant of caseVariants(c)) members.add(variant);
    }
    const sorted = [...members].sort((a, b) => a - b);
    const ranges: Range[] = [];
    for (const c of sorted) {
      const last = ranges[ranges.length - 1];
      if (last && last[1] === c - 1) ranges[ranges.length - 1] = [last[0], c];
      else ranges.push([c, c]);
    }
    return `[${node.negated ? "^" : ""}${ranges.map((range) => this.classItem({ range })).join("")}]`;
  }

  alternatives(group: Extract<Node, { kind: "group" }>): string {
    return group.alternatives.map((sequence) => sequence.map((n) => this.write(n)).join("")).join("|");
  }

  private classItem(item: ClassItem): string {
    if ("property" in item) return `\\${item.negated ? "P" : "p"}{${item.property}}`;
    if ("complementOf" in item)
      return complement(item.complementOf)
        .map((range) => this.classItem({ range }))
        .join("");
    const [lo, hi] = item.range;
    return lo === hi ? escapeCodePoint(lo) : `${escapeCodePoint(lo)}-${escapeCodePoint(hi)}`;
  }
}

function quantifier(min: number, max: number): string {
  if (max === Infinity) return min === 0 ? "*" : min === 1 ? "+" : `{${min},}`;
  if (min === 0 && max === 1) return "?";
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

function nodes(node: Node): Node[] {
  switch (node.kind) {
    case "group":
      return [node, ...node.alternatives.flat().flatMap(nodes)];
    case "repeat":
      return [node, ...nodes(node.node)];
    default:
      return [node];
  }
}

const cache = new Map<string, GoPattern>();

/** A matcher with Go's regexp.MatchString semantics, or why there is none. */
export function goPattern(pattern: string): GoPattern {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let result: GoPattern;
  try {
    const tree = new Parser(pattern).parse();
    const matchers = nodes(tree).filter((n) => n.kind === "literal" || n.kind === "class");
    // One (?i) over every character: JavaScript's i flag folds the same way (simple case folding). But under
    // that flag its \b would count "\u017f" and "\u212a" as word characters (they fold to s and k); Go's \b is ASCII.
    const wordAssertions = nodes(tree).some(
      (n) => n.kind === "assert" && (n.what === "wordBoundary" || n.what === "notWordBoundary"),
    );
    const foldWithFlag = !wordAssertions && matchers.length > 0 && matchers.every((n) => (n as { fold: boolean }).fold);
    const source = new Writer(foldWithFlag).alternatives(tree as Extract<Node, { kind: "group" }>);
    const flags = foldWithFlag ? "ui" : "u";
    const regexp = new RegExp(source, flags);
    result = { ok: true, test: (text) => regexp.test(text), source, flags };
  } catch (err) {
    if (err instanceof GoSyntaxError) result = { ok: false, reason: err.message, invalidInGo: err.invalidInGo };
    else result = { ok: false, reason: `JavaScript cannot express it (${(err as Error).message})`, invalidInGo: false };
  }
  cache.set(pattern, result);
  return result;
}
