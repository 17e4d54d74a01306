// A shard's part of the render plan: its clusters' objects only, and a
// credentials copy whose source is in another shard takes the planned data.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { helmChart } from "../../../src/promise/blocks";
import type { PlannedObject, RenderPlan } from "../../../src/promise/plan";
import { planForShard } from "../../../src/promise/shard-plan";

const secret = (name: string, cluster: string, body: object): PlannedObject => ({
  resourceName: `postgres/db@${cluster}/Secret/shop/${name}`,
  cluster,
  content: { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "shop" }, ...body },
  owner: { kind: "request", promise: "postgres", request: "db" },
  dependsOn: [],
});

const copyOn = (cluster: string, source: string): PlannedObject => ({
  resourceName: `web-app/shop@${cluster}/Secret/shop/db-credentials`,
  cluster,
  content: { apiVersion: "v1", kind: "Secret", metadata: { name: "db-credentials", namespace: "shop" } },
  owner: { kind: "request", promise: "web-app", request: "shop" },
  dependsOn: ["web-app/shop@a1/Namespace/shop", source],
  secretDataFrom: source,
});

function planOf(objects: PlannedObject[]): RenderPlan {
  return { objects, outputs: new Map([["postgres/db", { b1: { host: "db" } }]]) };
}

describe("a shard's plan", () => {
  it("keeps its clusters' objects and the whole outputs", () => {
    const source = secret("db-credentials", "b1", { stringData: { password: "pw" } });
    const { plan, issues } = planForShard(planOf([source, secret("other", "a1", {})]), { name: "b", clusters: ["b1"] });
    assert.deepEqual(issues, []);
    assert.deepEqual(
      plan.objects.map((o) => o.resourceName),
      [source.resourceName],
    );
    assert.deepEqual([...plan.outputs.keys()], ["postgres/db"]);
  });

  it("leaves a copy whose source is in the same shard reading the live Secret", () => {
    const source = secret("db-credentials", "a2", { data: { password: "cHc=" } });
    const copy = copyOn("a1", source.resourceName);
    const { plan } = planForShard(planOf([source, copy]), { name: "a", clusters: ["a1", "a2"] });
    assert.deepEqual(plan.objects[1], copy);
  });

  it("gives a copy whose source is in another shard the planned data, base64, and no dependency on it", () => {
    const source = secret("db-credentials", "b1", { stringData: { password: "pw" }, data: { user: "YXBw" } });
    const { plan, issues } = planForShard(planOf([source, copyOn("a1", source.resourceName)]), { name: "a", clusters: ["a1"] });
    assert.deepEqual(issues, []);
    const [copy] = plan.objects;
    assert.equal(copy!.secretDataFrom, undefined);
    assert.deepEqual((copy!.content as { data?: unknown }).data, {
      user: "YXBw",
      password: Buffer.from("pw").toString("base64"),
    });
    assert.deepEqual(copy!.dependsOn, ["web-app/shop@a1/Namespace/shop"]);
  });

  it("refuses a copy across shards whose source a chart renders (its data is not in the plan)", () => {
    const chart: PlannedObject = {
      resourceName: "postgres/db@b1/HelmChart/shop/pg",
      cluster: "b1",
      content: helmChart({ name: "pg", namespace: "shop", chart: { path: "charts/pg" } }),
      owner: { kind: "request", promise: "postgres", request: "db" },
      dependsOn: [],
    };
    const { issues } = planForShard(planOf([chart, copyOn("a1", chart.resourceName)]), { name: "a", clusters: ["a1"] });
    assert.equal(issues.length, 1);
    assert.match(
      issues[0]!.message,
      /copies credentials from postgres\/db@b1\/HelmChart\/shop\/pg, which a chart or YAML file renders in another shard/,
    );
    assert.match(issues[0]!.hint!, /put clusters a1 and b1 in one shard/);
  });
});
