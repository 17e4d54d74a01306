// A state store's detailed diff read as per-cluster changes with owners, so
// a Git-delivered cluster's changes are counted and listed like any other's.
import assert from "node:assert/strict";
import { it } from "node:test";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { EngineListener } from "../../../src/cli/engine/engine-events";

const urn = "urn:pulumi:dev::pledge::pulumi-nodejs:dynamic:Resource::store-fleet";
const metadata = {
  op: "update",
  urn,
  type: "pulumi-nodejs:dynamic:Resource",
  new: { inputs: { prefixes: { "clusters/edge": { cluster: "edge" }, "clusters/far": { cluster: "far" } } } },
  detailedDiff: {
    'files["clusters/edge/resources/shop/web/site/deployment-shop-site.yaml"]': { diffKind: "add", inputDiff: true },
    'files["clusters/edge/dependencies/web/namespace-web-system.yaml"]': { diffKind: "update", inputDiff: true },
    'files["clusters/far/resources/shop/environment/namespace-shop.yaml"]': { diffKind: "delete", inputDiff: true },
    'files["elsewhere/x.yaml"]': { diffKind: "delete", inputDiff: true },
  },
};

it("counts each file of a store's diff on its cluster once the step is done, with the owner its path names", () => {
  const listener = new EngineListener();
  listener.onEvent({ sequence: 1, timestamp: 0, resourcePreEvent: { metadata } } as unknown as EngineEvent);
  assert.equal(listener.report().changes.size, 0, "nothing counted before the step is done");
  listener.onEvent({ sequence: 2, timestamp: 0, resOutputsEvent: { metadata } } as unknown as EngineEvent);
  const report = listener.report();
  assert.deepEqual(Object.fromEntries(report.changes), { edge: { create: 1, update: 1 }, far: { delete: 1 } });
  assert.deepEqual(report.objects.get("edge"), [
    { op: "create", name: "resources/shop/web/site/deployment-shop-site.yaml", owner: { kind: "request", request: "web/site" } },
    { op: "update", name: "dependencies/web/namespace-web-system.yaml", owner: { kind: "dependency", promise: "web" } },
  ]);
  assert.deepEqual(report.objects.get("far"), [
    { op: "delete", name: "resources/shop/environment/namespace-shop.yaml", owner: { kind: "team", team: "shop" } },
  ]);
});
