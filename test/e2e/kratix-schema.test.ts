// Differential check of src/crd-schema/crd-schema.ts against a real kube-apiserver:
// sample CRDs (test/e2e/fixtures/kratix) are installed, and for hundreds of
// generated request specs, plus hand-picked edge cases, the server's dry-run
// create with strict field validation and validateSpec must agree: the same
// accept/reject decision, and for accepted ones the same defaulted spec.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { parse } from "yaml";
import type { KubeConfig } from "@kubernetes/client-node";
import { storageSpecSchema, validateSpec, type CrdSchema, type JsonValue } from "../../src/crd-schema/crd-schema";
import { kubeRequest } from "../../dev/local/kube-api";
import { sleep, waitFor } from "../../dev/local/wait";
import { specArb, type SamplePools } from "../unit/crd-schema/arbitraries";
import { connectionOf, ensureTestFleet } from "./harness";

// Fixed seed: a failure is reproducible. To explore further, set PLEDGE_KRATIX_SEED and PLEDGE_KRATIX_RUNS.
const seed = Number(process.env.PLEDGE_KRATIX_SEED ?? 20260601);
const runs = Number(process.env.PLEDGE_KRATIX_RUNS ?? 60);
const fixtures = ["scalars", "nested", "lists", "flexible"] as const;
type Fixture = (typeof fixtures)[number];

/** Strings worth trying for patterned and keyed fields (the generator knows formats on its own). */
const pools: SamplePools = {
  "spec.name": { likely: ["web-1", "ab", "db"], unlikely: ["a", "Web", "abcdefghijklm", "web_1", "1web"] },
  "spec.code": { likely: ["beef", "BEEF", "12aB"], unlikely: ["be ef", "beefy", "\u212aaaa"] },
  "spec.word": {
    likely: ["abc 1", "a_b 9"],
    unlikely: ["abc  1", "abc 12", "\u65e5\u672c 1", "abc\t1", "abc 1\n", "abc\u00a01"],
  },
  "spec.letters": { likely: ["Hello", "H"], unlikely: ["hello", "HeLLo", "\u00c9t\u00e9"] },
  "spec.line": { likely: ["a-b", "a\rb", "a\u2028b", "a\ud83d\ude00b"], unlikely: ["a\nb", "ab"] },
  "spec.glyphs": {
    likely: ["\u65e5\u672c\u8a9e", "\ud83d\ude00\ud83d\ude00\ud83d\ude00", "\ud800"],
    unlikely: ["\ud83d\ude00".repeat(4), "abcd", ""],
  },
  "spec.note": { likely: ["abcd", "\u65e5\u672c"], unlikely: ["abcde", "\u65e5\u672c\u8a9exy"] },
  "spec.ports[].name": { likely: ["http", "https", "grpc"] },
  "spec.routes[].host": { likely: ["a.com", "b.com"] },
  "spec.routes[].path": { likely: ["/", "/x"] },
  "spec.tags[]": { likely: ["a", "b", "c"] },
  "spec.labels[]": { likely: ["web", "db"], unlikely: ["abcdefghi"] },
  "spec.size": { likely: ["10Mi", "2Gi"], unlikely: ["10", "10Ki", "Mi"] },
  "spec.shaped": { likely: ["xa", "xyz"], unlikely: ["x", "ya"] },
  "spec.letter": { likely: ["A", "7"], unlikely: ["B"] },
  "spec.choice.a": { likely: ["one"] },
  "spec.choice.b": { likely: ["two"] },
  "spec.mode": { likely: ["fast", "slow"] },
  "spec.boundary": { likely: ["id", "my ID", "\u017fid"], unlikely: ["xid", "\u212aid", "id_1"] },
  "spec.spaced": { likely: [" ", "\t\n"], unlikely: ["\u000b", "\u00a0", "\u2028", ""] },
};

/** Specs chosen by hand: every rule in both directions, and the server's surprises. */
const edgeCases: Record<Fixture, (JsonValue | undefined)[]> = {
  scalars: [
    { size: "small", name: "web" },
    { size: "huge", name: "web" },
    { name: "web" },
    { size: "small", name: "web", replicas: 0 },
    { size: "small", name: "web", replicas: 1.5 },
    { size: "small", name: "web", replicas: "3" },
    { size: "small", name: "web", port: 2 ** 31 },
    { size: "small", name: "web", big: 2 ** 62 },
    { size: "small", name: "web", big: 2 ** 63 },
    { size: "small", name: "web", big: 1e21 },
    { size: "small", name: "web", count: 0 },
    { size: "small", name: "web", count: 6 },
    { size: "small", name: "web", count: 7 },
    { size: "small", name: "web", ratio: 1 },
    { size: "small", name: "web", ratio: 0.999 },
    { size: "small", name: "web", weight: 3 },
    { size: "small", name: "web", weight: 2.5 },
    { size: "small", name: "web", threshold: 10 },
    { size: "small", name: "web", threshold: 10.25 },
    { size: "small", name: "web", threshold: 0 },
    { size: "small", name: "web", level: 1.5 },
    { size: "small", name: "web", level: 2.5 },
    { size: "small", name: "web", level: 2 },
    { size: "small", name: "web", single: 3.5e38 },
    { size: "small", name: "web", single: 3.4e38 },
    { size: "small", name: "web", tier: null },
    { size: "small", name: "web", note: null },
    { size: "small", name: "web", enabled: null },
    { size: "small", name: "web", glyphs: "\ud83d\ude00\ud83d\ude00\ud83d\ude00" },
    { size: "small", name: "web", glyphs: "\ud800" },
    { size: "small", name: "web", code: "BEEF" },
    { size: "small", name: "web", line: "a\rb" },
    { size: "small", name: "web", line: "a\nb" },
    { size: "small", name: "web", word: "abc\u00a01" },
    { size: "small", name: "web", day: ["2024-01-01"] },
    { size: "small", name: "web", day: { a: 1 } },
    { size: "small", name: "web", ignored: "anything" },
    { size: "small", name: "web", link: "http://example.com/x" },
    { size: "small", name: "web", link: "relative/path" },
    { size: "small", name: "web", link: "http://a:b:80/" },
    { size: "small", name: "web", mail: "a@[x]" },
    { size: "small", name: "web", mail: "a@b.c (work)" },
    { size: "small", name: "web", boundary: "\u017fid" },
    { size: "small", name: "web", boundary: "\u212aid" },
    { size: "small", name: "web", spaced: "\u000b" },
    { size: "small", name: "web", Size: "small" },
  ],
  nested: [
    undefined,
    null,
    {},
    { database: null },
    { database: { storage: null } },
    { database: { storage: {} } },
    { database: { storage: { class: null } } },
    { database: { backups: {} } },
    { database: { backups: { schedule: "@daily" } } },
    { limits: { web: {}, db: null } },
    { limits: { web: { cpu: null } } },
    { perZone: { a: null, b: 3 } },
    { members: [{ name: "a" }, { name: "b", options: null }] },
    { members: [{ name: "a" }, null] },
    { tags: [null, "x"] },
    { optional: null },
    { optional: {} },
    { optional: { b: null } },
    { keepNull: null, replaceNull: null },
    { labels: { a: "1", b: "2", c: "3", d: "4" } },
    { contact: {} },
    { contact: { email: "Alice <alice@example.com>" } },
  ],
  lists: [
    { tags: ["a", "b", "a", "a", "b"] },
    { numbers: [1, 1.5, 1] },
    { pairs: [{ a: 1 }, { a: 1, b: 2 }, { a: 1 }] },
    {
      ports: [
        { name: "http", port: 80 },
        { name: "http", port: 81 },
      ],
    },
    {
      ports: [
        { name: "http", port: 80 },
        { name: "https", port: 443, protocol: "UDP" },
      ],
    },
    { ports: [{ port: 80 }] },
    { routes: [{ host: "a.com" }, { host: "a.com", path: "/" }] },
    { routes: [{ host: "a.com" }, { host: "a.com", path: "/x" }] },
    { matrix: [] },
    { matrix: [[1, 2, 3]] },
    { atomic: [1, 1] },
  ],
  flexible: [
    { size: 1.5 },
    { size: 0 },
    { size: "10Mi" },
    { size: "10Ki" },
    { percent: 101 },
    { percent: null },
    { letter: 65 },
    { letter: 7 },
    { letter: 55 },
    { config: { level: "mid" } },
    { config: { extra: { deep: [1, { x: 2 }] }, rules: [{ allow: true, other: 1 }] } },
    { anything: [1, "two", { three: null }] },
    { anything: null },
    { template: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", labels: {} }, data: { a: "b" } } },
    { template: { apiVersion: "v1", kind: "ConfigMap", metadata: null } },
    { template: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", uknown: 1 } } },
    { template: { kind: "ConfigMap" } },
    { template: { apiVersion: "a/b/c", kind: "ConfigMap" } },
    { template: { apiVersion: "v1", kind: "9Lives" } },
    { template: { apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "Bad_NS", labels: { "bad key": "x" } } } },
    { choice: {} },
    { choice: { a: "one" } },
    { choice: { a: "one", b: "two" } },
    { either: {} },
    { either: { x: 1, y: 2 } },
    { notBoth: { p: true, q: false } },
    { notBoth: { p: true } },
    { between: 11 },
    { between: 5 },
    { shaped: "x" },
    { shaped: "ya" },
    { mode: "a" },
  ],
};

interface Installed {
  fixture: Fixture;
  plural: string;
  apiPath: string;
  kind: string;
  crdName: string;
  schema: CrdSchema;
  specRequired: boolean;
}

const formatIssue = (issue: { path: string; message: string }) => `${issue.path}: ${issue.message}`;

type Verdict = { accepted: true; spec: unknown } | { accepted: false; message: string };

describe("CRD schema validation agrees with a real kube-apiserver", { timeout: 15 * 60_000 }, () => {
  let conn: KubeConfig;
  const installed = new Map<Fixture, Installed>();
  const crdsPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  before(async () => {
    const [cluster] = await ensureTestFleet(1);
    conn = connectionOf(cluster!);
    for (const fixture of fixtures) {
      const crd = parse(readFileSync(join(__dirname, "fixtures", "kratix", `${fixture}.yaml`), "utf8"));
      const picked = storageSpecSchema(crd, fixture);
      assert.ok(picked.ok, `${fixture}: ${JSON.stringify(picked)}`);
      const crdName: string = crd.metadata.name;
      // A leftover from an interrupted run would carry an older schema.
      await kubeRequest(conn, "DELETE", `${crdsPath}/${crdName}`);
      await waitFor(
        `${crdName} to be gone`,
        async () => ((await kubeRequest(conn, "GET", `${crdsPath}/${crdName}`)).status === 404 ? true : undefined),
        60_000,
      );
      const created = await kubeRequest(conn, "POST", crdsPath, crd);
      assert.equal(created.status, 201, `creating ${crdName}: ${JSON.stringify(created.body)}`);
      const apiPath = `/apis/${crd.spec.group}/${picked.version}/${crd.spec.names.plural}`;
      await waitFor(
        `${crdName} to be established`,
        async () => {
          const res = await kubeRequest(conn, "GET", `${crdsPath}/${crdName}`);
          const established = res.body?.status?.conditions?.some(
            (c: { type: string; status: string }) => c.type === "Established" && c.status === "True",
          );
          return established && (await kubeRequest(conn, "GET", apiPath)).status === 200 ? true : undefined;
        },
        60_000,
      );
      installed.set(fixture, {
        fixture,
        plural: crd.spec.names.plural,
        apiPath,
        kind: crd.spec.names.kind,
        crdName,
        schema: picked.schema,
        specRequired: picked.specRequired,
      });
    }
  });

  after(async () => {
    if (!conn) return;
    for (const { crdName } of installed.values()) await kubeRequest(conn, "DELETE", `${crdsPath}/${crdName}`).catch(() => {});
  });

  async function serverVerdict(crd: Installed, spec: JsonValue | undefined): Promise<Verdict> {
    const group = crd.apiPath.split("/")[2];
    const version = crd.apiPath.split("/")[3];
    const object = {
      apiVersion: `${group}/${version}`,
      kind: crd.kind,
      metadata: { name: "probe" },
      ...(spec === undefined ? {} : { spec }),
    };
    for (let attempt = 0; ; attempt++) {
      const res = await kubeRequest(conn, "POST", `${crd.apiPath}?dryRun=All&fieldValidation=Strict`, object);
      if (res.status === 201) return { accepted: true, spec: res.body.spec };
      // Right after Established a handler can still be missing for a moment.
      if (res.status === 404 && attempt < 20) {
        await sleep(250);
        continue;
      }
      assert.ok(res.status === 400 || res.status === 422, `unexpected status ${res.status}: ${JSON.stringify(res.body)}`);
      return { accepted: false, message: res.body?.message ?? String(res.status) };
    }
  }

  function describeCase(
    crd: Installed,
    spec: JsonValue | undefined,
    server: Verdict,
    ours: ReturnType<typeof validateSpec>,
  ): string {
    return [
      `${crd.fixture} spec ${spec === undefined ? "(absent)" : JSON.stringify(spec)}`,
      `  server: ${server.accepted ? `accepted, spec ${JSON.stringify(server.spec)}` : `rejected: ${server.message}`}`,
      `  Pledge: ${ours.ok ? `accepted, spec ${JSON.stringify(ours.value)}` : `rejected: ${ours.issues.map(formatIssue).join("; ")}`}`,
    ].join("\n");
  }

  /** Compares every spec; returns how many the server accepted. Fails with the first disagreements, printed in full. */
  async function compareAll(crd: Installed, specs: readonly (JsonValue | undefined)[]): Promise<number> {
    const disagreements: string[] = [];
    let accepted = 0;
    for (const spec of specs) {
      const server = await serverVerdict(crd, spec);
      const ours = validateSpec(crd.schema, spec, "spec", { specRequired: crd.specRequired });
      if (server.accepted) accepted++;
      const agree = server.accepted ? ours.ok && isDeepStrictEqual(ours.value, server.spec) : !ours.ok;
      if (!agree) disagreements.push(describeCase(crd, spec, server, ours));
    }
    assert.equal(
      disagreements.length,
      0,
      `${disagreements.length}/${specs.length} disagreements (seed ${seed}):\n${disagreements.slice(0, 8).join("\n")}`,
    );
    return accepted;
  }

  for (const [index, fixture] of fixtures.entries()) {
    it(`${fixture}: hand-picked edge cases`, async () => {
      await compareAll(installed.get(fixture)!, edgeCases[fixture]);
    });

    it(`${fixture}: ${2 * runs} generated requests, mostly valid and with single mistakes`, async (t) => {
      const crd = installed.get(fixture)!;
      const specs = [
        ...fc.sample(specArb(crd.schema, { mistakeRate: 0.01, pools }), { seed: seed + index, numRuns: runs }),
        ...fc.sample(specArb(crd.schema, { mistakeRate: 0.05, pools }), { seed: seed + 100 + index, numRuns: runs }),
      ];
      const accepted = await compareAll(crd, specs);
      t.diagnostic(`${fixture}: the server accepted ${accepted}/${specs.length}, and Pledge agreed on all`);
      // Guard against a vacuous comparison: both answers must be common.
      assert.ok(
        accepted >= specs.length / 8 && accepted <= (specs.length * 7) / 8,
        `${fixture}: the server accepted ${accepted}/${specs.length}`,
      );
    });
  }
});
