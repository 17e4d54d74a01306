// Go regular expressions in JavaScript: the answers in these tables are Go's
// own (regexp.MatchString from Go 1.26, the version kube-apiserver is built
// with), collected once with a small Go program; the matcher must give the same.
import assert from "node:assert/strict";
import { once } from "node:events";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { goPattern, portablePattern } from "../../../src/crd-schema/go-regexp";

/** [pattern, text, Go's answer]; "invalid" where Go's regexp.Compile fails. */
const goAnswers: [string, string, boolean | "invalid"][] = [
  ["^a.b$", "a-b", true],
  ["^a.b$", "a\nb", false],
  ["^a.b$", "a\rb", true],
  ["^a.b$", "a\u2028b", true],
  ["^a.b$", "a\ud83d\ude00b", true],
  ["(?s)^a.b$", "a\nb", true],
  ["^\\s$", " ", true],
  ["^\\s$", "\u000b", false],
  ["^\\s$", "\u00a0", false],
  ["^\\s$", "\u2028", false],
  ["^[[:space:]]$", "\u000b", true],
  ["^\\w+$", "abc_1", true],
  ["^\\w+$", "\u00e9", false],
  ["^\\d$", "\u0663", false],
  ["^a$", "a\n", false],
  ["(?m)^b$", "a\nb\nc", true],
  ["(?m)^b$", "a\rb\rc", false],
  ["(?m)a$", "a\r\n", false],
  ["\\Aab\\z", "ab", true],
  ["\\Aab\\z", "ab\n", false],
  ["(?i)^k$", "K", true],
  ["(?i)^k$", "\u212a", true],
  ["(?i)^s$", "\u017f", true],
  ["(?i)\\bx", "\u017fx", true],
  ["(?i)\\bx", "ax", false],
  ["\\bx", "\u00e9x", true],
  ["(?i:a)b", "Ab", true],
  ["(?i:a)b", "AB", false],
  ["(?i:[a-c])x", "Bx", true],
  ["(?i:[a-c])x", "BX", false],
  ["a(?i)b", "aB", true],
  ["a(?i)b", "AB", false],
  ["^[[:alpha:]]+$", "abcXYZ", true],
  ["^[[:^alpha:]]+$", "123", true],
  ["^[[:word:]]+$", "a_1", true],
  ["^[[:punct:]]+$", "!@#", true],
  ["^a{,3}$", "a{,3}", true],
  ["^a{2}$", "aa", true],
  ["^a{2,}$", "aaaa", true],
  ["^{$", "{", true],
  ["^x}$", "x}", true],
  ["^]$", "]", true],
  ["^[]a]+$", "]a]", true],
  ["^[^]a]$", "b", true],
  ["^[a-]$", "-", true],
  ["^[a\\-z]$", "-", true],
  ["^[\\d-x]$", "-", true],
  ["^\\pL+$", "h\u00e9llo", true],
  ["^\\p{Greek}+$", "\u03b1\u03b2\u03b3", true],
  ["^\\PL$", "1", true],
  ["^\\p{^Greek}$", "a", true],
  ["^[\\p{Lu}]$", "A", true],
  ["^\\Qa.b\\E$", "a.b", true],
  ["^\\Qa.b\\E$", "axb", false],
  ["^\\x41\\x{1F600}$", "A\ud83d\ude00", true],
  ["^\\101$", "A", true],
  ["^\\0$", "\u0000", true],
  ["^a\\-b$", "a-b", true],
  ["^a\\_b$", "a_b", true],
  ["^\\.\\*$", ".*", true],
  ["(?U)a+", "aaa", true],
  ["a*?b", "aab", true],
  ["^(?P<x>a)(?<y>b)$", "ab", true],
  ["^(a|b)*c$", "ababc", true],
  ["^\\C$", "a", "invalid"],
  ["\\1", "a", "invalid"],
  ["a**", "a", "invalid"],
  ["(?=a)", "a", "invalid"],
  ["[z-a]", "a", "invalid"],
  ["\\Z", "a", "invalid"],
  ["x{1001}", "x", "invalid"],
  ["^$", "", true],
  ["", "anything", true],
  ["^\\p{C}$", "\u0378", true],
  ["^\\p{Any}$", "\ud83d\ude00", true],
];

describe("goPattern matches as Go's regexp.MatchString does", () => {
  for (const [pattern, text, answer] of goAnswers) {
    it(`${JSON.stringify(pattern)} on ${JSON.stringify(text)}: ${answer}`, () => {
      const compiled = goPattern(pattern);
      if (answer === "invalid") {
        assert.ok(!compiled.ok, JSON.stringify(compiled));
      } else {
        assert.ok(compiled.ok, JSON.stringify(compiled));
        assert.equal(compiled.test(text), answer);
      }
    });
  }
});

describe("case folding under a (?i) that covers part of the pattern, as Go folds it", () => {
  // Beyond what a translation to a JavaScript RegExp could carry; Go's answers.
  const cases: [string, string, boolean][] = [
    ["(?i:\\pL)x", "\u00e9x", true],
    ["(?i:\\pL)x", "\u00e9X", false],
    ["(?i:\\pL)x", "1x", false],
    ["(?i:[\\W\\d])x", "-x", true],
    ["(?i:[\\W\\d])x", "kx", false],
    ["(?i:[\\W\\d])x", "sx", false],
  ];
  for (const [pattern, text, answer] of cases) {
    it(`${JSON.stringify(pattern)} on ${JSON.stringify(text)}: ${answer}`, () => {
      const compiled = goPattern(pattern);
      assert.ok(compiled.ok, JSON.stringify(compiled));
      assert.equal(compiled.test(text), answer);
    });
  }
});

describe("linear time", () => {
  // In a worker: a backtracking engine would block this thread, where the timeout could never fire.
  it("answers a catastrophic pattern on a long value: ^(a+)+$ on 50,000 a's and a b", { timeout: 5000 }, async (t) => {
    const worker = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
      require("tsx/cjs/api").register();
      const compiled = require(workerData).goPattern("^(a+)+$");
      parentPort.postMessage(compiled.ok ? compiled.test("a".repeat(50000) + "b") : compiled.reason);`,
      { eval: true, workerData: join(__dirname, "../../../src/crd-schema/go-regexp.ts") },
    );
    t.signal.addEventListener("abort", () => void worker.terminate());
    const [answer] = await once(worker, "message");
    assert.equal(answer, false);
  });
});

describe("reasons are Go's", () => {
  it("a pattern Go would not compile says why, in Go's words", () => {
    assert.deepEqual(goPattern("("), { ok: false, reason: "missing closing )" });
  });
});

describe("properties", () => {
  const text = fc.string({ unit: fc.constantFrom(..."ab.*+?()[]{}|^$\\-\n\u212a\u017f", "\ud83d\ude00"), maxLength: 8 });

  it("\\Q...\\E matches its text literally, anywhere", () => {
    fc.assert(
      fc.property(
        text.filter((t) => !t.includes("\\E")),
        text,
        (literal, around) => {
          const compiled = goPattern(`\\Q${literal}\\E`);
          assert.ok(compiled.ok);
          assert.equal(compiled.test(around + literal + around), true);
        },
      ),
    );
  });

  it("never throws: any pattern gives a matcher or a reason", () => {
    fc.assert(
      fc.property(text, (pattern) => {
        const compiled = goPattern(pattern);
        if (compiled.ok) compiled.test("abc");
        else assert.ok(compiled.reason.length > 0);
      }),
    );
  });

  it("a pattern kept for editors' JSON Schema answers in JavaScript as Go answers", () => {
    const escapes = ["\\s", "\\S", "\\d", "\\w", "\\W", "\\b", "\\A", "\\z", "\\pL", "\\p{Lu}"];
    const unit = fc.constantFrom(
      ..."ab.*+?()[]{}|^$\\-:\r\n \u2028\u212a\u017f",
      ...escapes,
      "(?:",
      "(?i)",
      "[^",
      "\ud83d\ude00",
    );
    const value = fc.string({
      unit: fc.constantFrom(..."ab-:_\r\n \t\u00a0\u2028kKsS\u212a\u017f", "\ud83d\ude00"),
      maxLength: 8,
    });
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 10 }), value, (pattern, value) => {
        const kept = portablePattern(pattern);
        const compiled = goPattern(pattern);
        if (kept !== undefined && compiled.ok) assert.equal(new RegExp(kept, "u").test(value), compiled.test(value));
      }),
      { numRuns: 5000 },
    );
  });
});
