// pledge:shards: each cluster in exactly one shard, the errors when not, and
// which part a stack plays by its name.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig } from "../../../src/config/parse";
import { buildFleet } from "../../../src/fleet/model";
import { assignShards, shardStackName, stackRole } from "../../../src/fleet/shards";
import type { Issue } from "../../../src/issues";

const clusters = [
  { name: "eu-1", source: "kubeconfig", kubeconfig: "k", labels: { region: "eu" } },
  { name: "eu-2", source: "kubeconfig", kubeconfig: "k", labels: { region: "eu" } },
  { name: "us-1", source: "kubeconfig", kubeconfig: "k", labels: { region: "us" } },
];

function shardsOf(shards: unknown): { shards: ReturnType<typeof assignShards>; issues: Issue[] } {
  const { config, issues } = parseStackConfig({ clusters, shards });
  const fleet = buildFleet(config.clusters);
  const all = [...issues, ...fleet.issues];
  return { shards: issues.length > 0 ? undefined : assignShards(config.shards, fleet.clusters, all), issues: all };
}

describe("shards", () => {
  it("gives each shard the clusters its selector matches, in config order", () => {
    const { shards, issues } = shardsOf([
      { name: "eu", clusters: { matchLabels: { region: "eu" } } },
      { name: "us", clusters: { matchLabels: { region: "us" } } },
    ]);
    assert.deepEqual(issues, []);
    assert.deepEqual(
      shards!.map((s) => [s.name, s.clusters]),
      [
        ["eu", ["eu-1", "eu-2"]],
        ["us", ["us-1"]],
      ],
    );
  });

  it("refuses a cluster in no shard, naming it and its labels", () => {
    const { issues } = shardsOf([{ name: "eu", clusters: { matchLabels: { region: "eu" } } }]);
    assert.deepEqual(
      issues.map((i) => `${i.path}: ${i.message}`),
      ["pledge:shards: cluster us-1 is in no shard"],
    );
    assert.match(issues[0]!.hint!, /region=us/);
  });

  it("refuses a cluster in two shards and a shard with no cluster", () => {
    const { issues } = shardsOf([
      { name: "all", clusters: {} },
      { name: "us", clusters: { matchLabels: { region: "us" } } },
      { name: "ap", clusters: { matchLabels: { region: "ap" } } },
    ]);
    assert.deepEqual(
      issues.map((i) => `${i.path}: ${i.message}`),
      [
        "pledge:shards: cluster us-1 is in more than one shard: all, us",
        "pledge:shards[2].clusters: shard ap holds no cluster (region=ap matches none)",
      ],
    );
  });

  it("checks the shape: a list, DNS-label names, no duplicates, known keys", () => {
    assert.match(shardsOf({ eu: {} }).issues[0]!.message, /must be a non-empty list of shards/);
    assert.match(shardsOf([]).issues[0]!.message, /must be a non-empty list of shards/);
    const bad = shardsOf([
      { name: "EU", clusters: {} },
      { name: "us", clusters: {} },
      { name: "us", clusters: {} },
      { name: "x", clusters: {}, region: "eu" },
    ]).issues.map((i) => i.path);
    assert.deepEqual(bad, ["pledge:shards[0].name", "pledge:shards[2].name", "pledge:shards[3].region"]);
  });

  it("tells a stack's part by its name: the fleet stack decides, <fleet>.<shard> applies", () => {
    const shards = [
      { name: "eu", clusters: ["eu-1"], configPath: "pledge:shards[0]" },
      { name: "us", clusters: ["us-1"], configPath: "pledge:shards[1]" },
    ];
    assert.deepEqual(stackRole("prod", undefined), { kind: "whole" });
    assert.deepEqual(stackRole("prod", shards), { kind: "placement", shards });
    assert.deepEqual(stackRole(shardStackName("prod", "us"), shards), { kind: "shard", shard: shards[1], fleetStack: "prod" });
    assert.deepEqual(stackRole("team.prod.eu", shards), { kind: "shard", shard: shards[0], fleetStack: "team.prod" });
    assert.deepEqual(stackRole("prod.ap", shards), { kind: "placement", shards });
  });
});
