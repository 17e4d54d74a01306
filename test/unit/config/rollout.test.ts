// pledge:rollout in stack config: its defaults, and what a platform owner is
// told, at which key path, for each mistake in it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { catalogue } from "../../../promises";
import { parseStackConfig, type RawStackConfig } from "../../../src/config/parse";
import { formatIssue } from "../../../src/issues";
import { buildStackModel } from "../../../src/promise/stack-model";

const clusters = [
  { name: "dev-1", source: "local", labels: { env: "dev" } },
  { name: "eu-1", source: "local", labels: { env: "prod" } },
];

const canary = { name: "canary", clusters: { matchLabels: { env: "dev" } } };

function parsed(rollout: unknown, extra: Partial<RawStackConfig> = {}) {
  return parseStackConfig({ clusters, rollout, ...extra });
}

function issuesOf(rollout: unknown, extra: Partial<RawStackConfig> = {}): string[] {
  return parsed(rollout, extra).issues.map(formatIssue);
}

describe("pledge:rollout", () => {
  it("is undefined when not set", () => {
    const { config, issues } = parseStackConfig({ clusters });
    assert.deepEqual(issues, []);
    assert.equal(config.rollout, undefined);
  });

  it("applies the defaults", () => {
    const { config, issues } = parsed({ waves: [canary, { name: "rest", maxParallel: 2 }] });
    assert.deepEqual(issues, []);
    assert.deepEqual(config.rollout, {
      waves: [
        { ...canary, approval: false },
        { name: "rest", maxParallel: 2, approval: false },
      ],
      gate: { healthyFor: "0s", timeout: "10m" },
      onFailure: "halt",
      newChange: "join",
      holdNew: false,
    });
  });

  it("takes durations such as 90s, 2m and 1h30m", () => {
    for (const healthyFor of ["90s", "2m", "1h30m", "1h2m3s"])
      assert.deepEqual(issuesOf({ waves: [{ name: "all" }], gate: { healthyFor } }), [], healthyFor);
  });

  it("refuses a bad duration at pledge:rollout.gate.healthyFor", () => {
    for (const healthyFor of ["5 minutes", "", "1d", "m"]) {
      const issues = parsed({ waves: [{ name: "all" }], gate: { healthyFor } }).issues;
      assert.equal(issues.length, 1, `${JSON.stringify(healthyFor)}: ${JSON.stringify(issues)}`);
      assert.equal(issues[0]!.path, "pledge:rollout.gate.healthyFor");
      assert.match(issues[0]!.message, /must be a duration such as 30s, 2m or 1h30m/);
    }
    assert.equal(parsed({ waves: [{ name: "all" }], gate: { healthyFor: "5 minutes" } }).config.rollout, undefined);
  });

  it("refuses a bad timeout at pledge:rollout.gate.timeout", () => {
    const issues = parsed({ waves: [{ name: "all" }], gate: { timeout: "ten" } }).issues;
    assert.deepEqual(
      issues.map((i) => i.path),
      ["pledge:rollout.gate.timeout"],
    );
  });

  it("refuses a wave other than the last without clusters, at its clusters key", () => {
    const issues = parsed({ waves: [{ name: "first" }, canary] }).issues;
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.equal(issues[0]!.path, "pledge:rollout.waves[0].clusters");
    assert.match(issues[0]!.message, /^is missing: only the last wave may leave it out/);
  });

  it("takes a last wave without clusters", () => {
    assert.deepEqual(issuesOf({ waves: [canary, { name: "rest" }] }), []);
  });

  it("refuses duplicate wave names, saying where the first one is", () => {
    const issues = parsed({ waves: [canary, { ...canary, clusters: { matchLabels: { env: "prod" } } }] }).issues;
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.equal(issues[0]!.path, "pledge:rollout.waves[1].name");
    assert.equal(issues[0]!.message, 'duplicate wave "canary"');
    assert.equal(issues[0]!.hint, "also at pledge:rollout.waves[0]");
  });

  it("refuses a wave name that is not a DNS label", () => {
    const issues = parsed({ waves: [{ name: "Canary_1" }] }).issues;
    assert.deepEqual(
      issues.map((i) => i.path),
      ["pledge:rollout.waves[0].name"],
    );
  });

  it("refuses rollout together with shards, at pledge:rollout", () => {
    const issues = parsed(
      { waves: [{ name: "all" }] },
      { shards: [{ name: "eu", clusters: { matchLabels: { env: "prod" } } }] },
    ).issues;
    const rollout = issues.filter((i) => i.path.startsWith("pledge:rollout"));
    assert.equal(rollout.length, 1, JSON.stringify(issues));
    assert.equal(rollout[0]!.path, "pledge:rollout");
    assert.match(rollout[0]!.message, /cannot be used with pledge:shards/);
  });

  it("refuses an empty wave list, an unknown key, a maxParallel below 1 and an unknown newChange", () => {
    assert.deepEqual(
      parsed({ waves: [] }).issues.map((i) => i.path),
      ["pledge:rollout.waves"],
    );
    assert.deepEqual(
      parsed({ waves: [{ name: "all" }], onFaliure: "halt" }).issues.map((i) => i.path),
      ["pledge:rollout.onFaliure"],
    );
    assert.deepEqual(
      parsed({ waves: [{ name: "all", maxParallel: 0 }] }).issues.map((i) => i.path),
      ["pledge:rollout.waves[0].maxParallel"],
    );
    assert.deepEqual(
      parsed({ waves: [{ name: "all" }], newChange: "queue" }).issues.map((i) => i.path),
      ["pledge:rollout.newChange"],
    );
  });

  it("refuses a wave's bad selector under its clusters key", () => {
    const issues = parsed({ waves: [{ name: "bad", clusters: { matchLabels: { "bad key!": "x" } } }, { name: "rest" }] }).issues;
    assert.equal(issues.length, 1, JSON.stringify(issues));
    assert.match(issues[0]!.path, /^pledge:rollout\.waves\[0\]\.clusters\.matchLabels/);
  });

  it("gives the stack model each wave's clusters, the fleet's derived labels included", () => {
    const result = buildStackModel(
      {
        clusters,
        rollout: { waves: [{ name: "first", clusters: { matchLabels: { "pledge.dev/cluster": "eu-1" } } }, { name: "rest" }] },
      },
      catalogue,
    );
    if (!result.ok) assert.fail(result.issues.map(formatIssue).join("\n"));
    assert.deepEqual(
      result.model.rollout!.waves.map((w) => [w.name, w.clusters]),
      [
        ["first", ["eu-1"]],
        ["rest", ["dev-1"]],
      ],
    );
  });
});
