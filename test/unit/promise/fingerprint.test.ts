// The stack fingerprint: the same for the same things in any key order, and
// different when anything an update registers changes, local chart files
// included; keyed by the seed, so it says nothing about Secrets.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { canonicalJson, stackFingerprint } from "../../../src/promise/fingerprint";
import { directoryDigest } from "../../../src/run/directory-digest";

describe("stack fingerprint", () => {
  it("does not depend on key order or Map insertion order", () => {
    const a = {
      objects: [{ kind: "Secret", metadata: { name: "x", namespace: "y" } }],
      kubeconfigs: new Map([
        ["c1", "k1"],
        ["c2", "k2"],
      ]),
    };
    const b = {
      kubeconfigs: new Map([
        ["c2", "k2"],
        ["c1", "k1"],
      ]),
      objects: [{ metadata: { namespace: "y", name: "x" }, kind: "Secret" }],
    };
    assert.equal(canonicalJson(a), canonicalJson(b));
    assert.equal(stackFingerprint("seed", a), stackFingerprint("seed", b));
  });

  it("changes with any value, with list order, and with the seed", () => {
    const base = { objects: [{ data: { password: "cHc=" } }, { n: 1 }], code: "v1" };
    const print = stackFingerprint("seed", base);
    assert.notEqual(stackFingerprint("seed", { ...base, objects: [{ data: { password: "cHd=" } }, { n: 1 }] }), print);
    assert.notEqual(stackFingerprint("seed", { ...base, objects: [...base.objects].reverse() }), print);
    assert.notEqual(stackFingerprint("seed", { ...base, code: "v2" }), print);
    assert.notEqual(stackFingerprint("other seed", base), print);
    assert.match(print, /^[0-9a-f]{64}$/);
  });

  it("digests a chart directory by its files' names and contents", () => {
    const dir = mkdtempSync(join(tmpdir(), "chart-"));
    mkdirSync(join(dir, "templates"));
    writeFileSync(join(dir, "Chart.yaml"), "name: x\nversion: 1.0.0\n");
    writeFileSync(join(dir, "templates", "cm.yaml"), "kind: ConfigMap\n");
    const first = directoryDigest(dir);
    assert.equal(directoryDigest(dir), first);
    writeFileSync(join(dir, "templates", "cm.yaml"), "kind: ConfigMap # changed\n");
    const edited = directoryDigest(dir);
    assert.notEqual(edited, first);
    writeFileSync(join(dir, "templates", "extra.yaml"), "");
    assert.notEqual(directoryDigest(dir), edited);
  });
});
