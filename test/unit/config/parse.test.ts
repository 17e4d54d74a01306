// Stack config parsing: what a platform owner or a team gets told when they
// get something wrong, and the model they get when they don't.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { catalogue } from "../../../promises";
import { formatIssue } from "../../../src/issues";
import type { RawStackConfig } from "../../../src/config/parse";
import { buildStackModel } from "../../../src/promise/stack-model";

const clusters = [
  { name: "eu-1", source: "local", labels: { region: "eu", zone: "eu-1", workload: "general" } },
  { name: "us-1", source: "local", labels: { region: "us", zone: "us-1", workload: "data" } },
];

function issuesOf(raw: RawStackConfig): string[] {
  const result = buildStackModel(raw, catalogue);
  assert.equal(result.ok, false, "expected the config to be rejected");
  return result.ok ? [] : result.issues.map(formatIssue);
}

function modelOf(raw: RawStackConfig) {
  const result = buildStackModel(raw, catalogue);
  if (!result.ok) assert.fail(`unexpected issues:\n${result.issues.map(formatIssue).join("\n")}`);
  return result.model;
}

describe("parseStackConfig", () => {
  it("builds the typed model with defaults applied and derived labels added", () => {
    const model = modelOf({
      clusters,
      promises: { redis: {}, postgres: { placement: { count: 1 } } },
      requests: [{ promise: "redis", name: "cache", team: "shop", spec: { size: "large" } }],
    });
    assert.deepEqual(
      model.clusters.map((c) => c.name),
      ["eu-1", "us-1"],
    );
    assert.equal(model.clusters[0]!.labels["pledge.dev/cluster"], "eu-1");
    assert.equal(model.clusters[0]!.labels["pledge.dev/source"], "local");
    assert.equal(model.clusters[0]!.clusterIdentifier, "eu-1");
    assert.deepEqual(model.requests[0]!.spec, { size: "large", version: "8.0", evictionPolicy: "allkeys-lru" });
    assert.equal(model.requests[0]!.namespace, "shop");
    // postgres's own destination selector is kept
    assert.equal(model.promises.find((p) => p.promise.name === "postgres")!.selectors.length, 1);
  });

  const cases: { name: string; raw: RawStackConfig; expected: string[] }[] = [
    {
      name: "no clusters at all",
      raw: {},
      expected: ["pledge:clusters: is required: the fleet has no clusters"],
    },
    {
      name: "an emptied cluster list, which applied would delete everything",
      raw: { clusters: [], promises: { redis: {} } },
      expected: [
        "pledge:clusters: is empty: the fleet needs at least one cluster (to take everything down on purpose, run pulumi destroy)",
      ],
    },
    {
      name: "a confirmation that names nothing Pledge knows",
      raw: { clusters, deletions: { allow: ["cluster"] }, allowDelete: ["everything"] },
      expected: [
        'pledge:deletions.allow[0]: "cluster": must be cluster:<name>, request:<promise>/<name>, namespace:<team>@<cluster>, many or all',
        '--allow-delete[0]: "everything": must be cluster:<name>, request:<promise>/<name>, namespace:<team>@<cluster>, many or all',
      ],
    },
    {
      name: "a spec that breaks the promise's schema",
      raw: { clusters, promises: { redis: {} }, requests: [{ promise: "redis", name: "c", team: "t", spec: { size: "huge" } }] },
      expected: ['pledge:requests[0].spec.size: "huge" is not one of small, medium, large'],
    },
    {
      name: "an unknown field in a spec",
      raw: { clusters, promises: { redis: {} }, requests: [{ promise: "redis", name: "c", team: "t", spec: { sise: "small" } }] },
      expected: ["pledge:requests[0].spec.sise: is not a known field (remove it or check its spelling)"],
    },
    {
      name: "an unknown promise, with a did-you-mean",
      raw: { clusters, promises: { redis: {} }, requests: [{ promise: "rediss", name: "c", team: "t" }] },
      expected: ['pledge:requests[0].promise: unknown promise "rediss" (did you mean redis? offered: redis)'],
    },
    {
      name: "a promise not in the catalogue",
      raw: { clusters, promises: { mongo: {} } },
      expected: ['pledge:promises.mongo: unknown promise "mongo" (known: redis, postgres, web-app)'],
    },
    {
      name: "duplicate cluster and request names",
      raw: {
        clusters: [...clusters, { name: "eu-1", source: "local" }],
        promises: { redis: {} },
        requests: [
          { promise: "redis", name: "c", team: "t" },
          { promise: "redis", name: "c", team: "u" },
        ],
      },
      expected: [
        'pledge:clusters[2].name: duplicate cluster name "eu-1" (also at pledge:clusters[0])',
        'pledge:requests[1].name: duplicate request "c" for promise redis (also at pledge:requests[0])',
      ],
    },
    {
      name: "invalid label keys and values",
      raw: { clusters: [{ name: "a", source: "local", labels: { "-bad": "x", ok: "not valid!" } }] },
      expected: ['pledge:clusters[0].labels["-bad"]:', "pledge:clusters[0].labels.ok:"],
    },
    {
      name: "a request selector that matches no cluster",
      raw: {
        clusters,
        promises: { redis: {} },
        requests: [{ promise: "redis", name: "c", team: "t", selector: { matchLabels: { region: "ap" } } }],
      },
      expected: ["pledge:requests[0].selector: matches no cluster (clusters have region: eu, us)"],
    },
    {
      name: "an invalid selector operator combination",
      raw: {
        clusters,
        promises: { redis: {} },
        requests: [
          { promise: "redis", name: "c", team: "t", selector: { matchExpressions: [{ key: "region", operator: "In" }] } },
        ],
      },
      expected: ["pledge:requests[0].selector.matchExpressions[0].values: must be non-empty for In"],
    },
    {
      name: "unknown fields and a wrong source",
      raw: {
        clusters: [
          { name: "a", source: "local", lables: {} },
          { name: "b", source: "docker" },
        ],
      },
      expected: [
        "pledge:clusters[0].lables: is not a known field",
        'pledge:clusters[1].source: "docker" is not one of local, kubeconfig',
      ],
    },
    {
      name: "a team that would own a reserved namespace",
      raw: { clusters, promises: { redis: {} }, requests: [{ promise: "redis", name: "c", team: "kube-system" }] },
      expected: ['pledge:requests[0].team: "kube-system" is reserved'],
    },
    {
      name: "a pin naming an unknown cluster",
      raw: { clusters, promises: { redis: {} }, requests: [{ promise: "redis", name: "c", team: "t", pin: ["eu-2"] }] },
      expected: ['pledge:requests[0].pin[0]: unknown cluster "eu-2" (did you mean eu-1?)'],
    },
    {
      name: "labels under the reserved prefix",
      raw: { clusters: [{ name: "a", source: "local", labels: { "pledge.dev/cluster": "b" } }] },
      expected: ['pledge:clusters[0].labels["pledge.dev/cluster"]: labels under pledge.dev/ are set by Pledge'],
    },
    {
      name: "a kubeconfig cluster with neither contents nor path",
      raw: { clusters: [{ name: "a", source: "kubeconfig" }] },
      expected: ["pledge:clusters[0]: give kubeconfig (contents, as a secret) or kubeconfigPath"],
    },
  ];

  for (const c of cases) {
    it(`reports ${c.name}`, () => {
      const issues = issuesOf(c.raw);
      for (const expected of c.expected) {
        assert.ok(
          issues.some((i) => i.startsWith(expected)),
          `missing issue starting with:\n  ${expected}\ngot:\n  ${issues.join("\n  ")}`,
        );
      }
    });
  }

  it("never echoes a cluster's kubeconfig in a message, and names the missing source", () => {
    const issues = issuesOf({
      clusters: [{ name: "dc1", sourc: "kubeconfig", kubeconfig: "users: [{user: {token: SUPERSECRET}}]" }],
    });
    assert.ok(
      issues.some((i) => i.startsWith('pledge:clusters[0].source: is required (found "sourc": did you mean source?)')),
      issues.join("\n"),
    );
    assert.ok(!issues.join("\n").includes("SUPERSECRET"), issues.join("\n"));
    const typeIssues = issuesOf({ clusters: [{ name: "dc1", source: "kubeconfig", kubeconfig: { token: "SUPERSECRET" } }] });
    assert.ok(!typeIssues.join("\n").includes("SUPERSECRET"), typeIssues.join("\n"));
  });

  it("reports every problem at once, across clusters, promises and requests", () => {
    const issues = issuesOf({
      clusters: [{ name: "Bad_Name", source: "local" }],
      promises: { redis: {}, nope: {} },
      requests: [
        { promise: "redis", name: "a", team: "t", spec: { size: "huge" } },
        { promise: "redis", name: "b", team: "T!" },
      ],
    });
    assert.equal(issues.length, 4, issues.join("\n"));
  });

  it("reads request files with the team defaulting to the file name", () => {
    const model = modelOf({
      clusters,
      promises: { redis: {} },
      requestFiles: [{ file: "requests/team-a.yaml", content: { requests: [{ promise: "redis", name: "cache" }] } }],
    });
    assert.equal(model.requests[0]!.team, "team-a");
    const issues = issuesOf({
      clusters,
      promises: { redis: {} },
      requestFiles: [
        { file: "requests/team-a.yaml", content: { requests: [{ promise: "redis", name: "cache", spec: { size: 3 } }] } },
      ],
    });
    assert.ok(issues[0]!.startsWith("requests/team-a.yaml: requests[0].spec.size:"), issues.join("\n"));
  });
});
