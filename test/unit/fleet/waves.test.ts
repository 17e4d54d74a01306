// pledge:rollout.waves: which clusters each wave holds, by label selector in
// order, the last wave without a selector taking the rest, and what a
// platform owner is told when a cluster is in two waves, in none, or a
// wave's selector matches nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rolloutSchema } from "../../../src/config/schema";
import { assignWaves } from "../../../src/fleet/waves";

const clusters = [
  { name: "dev-1", labels: { env: "dev", region: "eu" } },
  { name: "eu-1", labels: { env: "prod", region: "eu" } },
  { name: "us-1", labels: { env: "prod", region: "us" } },
  { name: "eu-2", labels: { env: "prod", region: "eu" } },
];

const wavesOf = (waves: unknown[]) => assignWaves(rolloutSchema.parse({ waves }), clusters);

describe("assignWaves", () => {
  it("gives each wave the clusters its selector matches, in the fleet's order, the last wave without one taking the rest", () => {
    const { waves, issues } = wavesOf([
      { name: "canary", clusters: { matchLabels: { env: "dev" } } },
      { name: "eu", clusters: { matchLabels: { region: "eu", env: "prod" } }, maxParallel: 1, approval: true },
      { name: "rest" },
    ]);
    assert.deepEqual(issues, []);
    assert.deepEqual(waves, [
      { name: "canary", clusters: ["dev-1"], approval: false },
      { name: "eu", clusters: ["eu-1", "eu-2"], maxParallel: 1, approval: true },
      { name: "rest", clusters: ["us-1"], approval: false },
    ]);
  });

  it("puts every cluster in a single wave without a selector", () => {
    const { waves, issues } = wavesOf([{ name: "all" }]);
    assert.deepEqual(issues, []);
    assert.deepEqual(waves[0]!.clusters, ["dev-1", "eu-1", "us-1", "eu-2"]);
  });

  it("gives the last wave nothing when earlier waves took every cluster, without an issue", () => {
    const { waves, issues } = wavesOf([
      { name: "eu", clusters: { matchLabels: { region: "eu" } } },
      { name: "us", clusters: { matchLabels: { region: "us" } } },
      { name: "rest" },
    ]);
    assert.deepEqual(issues, []);
    assert.deepEqual(waves[2]!.clusters, []);
  });

  it("refuses a cluster two waves' selectors match, naming the cluster and both waves", () => {
    const { issues } = wavesOf([
      { name: "dev", clusters: { matchLabels: { env: "dev" } } },
      { name: "eu", clusters: { matchLabels: { region: "eu" } } },
      { name: "rest" },
    ]);
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.equal(issues[0]!.path, "pledge:rollout.waves");
    assert.match(issues[0]!.message, /cluster dev-1 is in more than one wave: dev, eu/);
    assert.ok(!/eu-1|eu-2/.test(issues[0]!.message), "only the cluster in two waves is named");
  });

  it("names one issue per cluster in two waves", () => {
    const { issues } = wavesOf([
      { name: "a", clusters: { matchLabels: { region: "eu" } } },
      { name: "b", clusters: { matchLabels: { region: "eu" } } },
    ]);
    const twice = issues.filter((i) => i.message.includes("more than one wave"));
    assert.deepEqual(
      twice.map((i) => i.message),
      [
        "cluster dev-1 is in more than one wave: a, b",
        "cluster eu-1 is in more than one wave: a, b",
        "cluster eu-2 is in more than one wave: a, b",
      ],
    );
  });

  it("refuses clusters in no wave, naming them", () => {
    const { waves, issues } = wavesOf([
      { name: "dev", clusters: { matchLabels: { env: "dev" } } },
      { name: "us", clusters: { matchLabels: { region: "us" } } },
    ]);
    assert.deepEqual(
      waves.map((w) => w.clusters),
      [["dev-1"], ["us-1"]],
    );
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.equal(issues[0]!.path, "pledge:rollout.waves");
    assert.match(issues[0]!.message, /^clusters eu-1, eu-2 are in no wave$/);
  });

  it("says 'cluster ... is' for a single cluster in no wave", () => {
    const { issues } = wavesOf([{ name: "eu", clusters: { matchLabels: { region: "eu" } } }]);
    assert.deepEqual(
      issues.map((i) => i.message),
      ["cluster us-1 is in no wave"],
    );
  });

  it("refuses a wave whose selector matches no cluster, at its clusters key", () => {
    const { waves, issues } = wavesOf([
      { name: "dev", clusters: { matchLabels: { env: "dev" } } },
      { name: "staging", clusters: { matchLabels: { env: "staging" } } },
      { name: "rest" },
    ]);
    assert.deepEqual(waves[1]!.clusters, []);
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.equal(issues[0]!.path, "pledge:rollout.waves[1].clusters");
    assert.match(issues[0]!.message, /wave staging holds no cluster \(env=staging matches none\)/);
  });
});
