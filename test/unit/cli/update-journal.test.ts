// The update journal of fast updates: what a run records, what it carries
// from runs that never finished, and which leftovers the next run deletes.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { leftovers } from "../../../src/cli/engine/journal";
import type { StateResource } from "../../../src/cli/stack/state-objects";
import { helmChart } from "../../../src/promise/blocks";
import type { RenderPlan } from "../../../src/promise/plan";
import { plannedObjectKeys, readJournal, recordPlannedObjects, type ObjectKey } from "../../../src/pulumi/update-journal";

const deployment = (name: string, cluster = "c1"): ObjectKey => ({
  cluster,
  apiVersion: "apps/v1",
  kind: "Deployment",
  namespace: "shop",
  name,
});

function inState(o: ObjectKey): StateResource {
  return {
    urn: `urn:pulumi:s::p::kubernetes:apps/v1:Deployment::x/${o.name}`,
    type: "kubernetes:apps/v1:Deployment",
    provider: `urn:pulumi:s::p::pulumi:providers:kubernetes::${o.cluster}-k8s::id`,
    outputs: { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.name, namespace: o.namespace } },
  };
}

describe("update journal", () => {
  it("records manifests as planned and the objects charts rendered", () => {
    const chart = helmChart({ name: "op", namespace: "ops", chart: { path: "charts/op" } });
    const plan: RenderPlan = {
      objects: [
        {
          resourceName: "r@c1/ConfigMap/shop/a",
          cluster: "c1",
          content: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "shop" } },
          owner: { kind: "team", team: "shop" },
          dependsOn: [],
        },
        {
          resourceName: "p@c2/HelmChart/ops/op",
          cluster: "c2",
          content: chart,
          owner: { kind: "dependency", promise: "p" },
          dependsOn: [],
        },
      ],
      outputs: new Map(),
    };
    const expanded = new Map([
      ["p@c2/HelmChart/ops/op", [{ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "op", namespace: "ops" } }]],
    ]);
    assert.deepEqual(plannedObjectKeys(plan, expanded), [
      { cluster: "c1", apiVersion: "v1", kind: "ConfigMap", namespace: "shop", name: "a" },
      { cluster: "c2", apiVersion: "v1", kind: "ServiceAccount", namespace: "ops", name: "op" },
    ]);
  });

  it("carries every unfinished run's objects as earlier, once each", () => {
    const file = join(mkdtempSync(join(tmpdir(), "journal-")), "s.json");
    recordPlannedObjects(file, [deployment("a"), deployment("b")]);
    recordPlannedObjects(file, [deployment("b"), deployment("c")]); // the first run was killed
    recordPlannedObjects(file, [deployment("d")]); // so was the second
    assert.deepEqual(readJournal(file), {
      earlier: [deployment("a"), deployment("b"), deployment("c")],
      current: [deployment("d")],
    });
  });

  it("leaves for deletion only what neither this run nor the state holds", () => {
    const journal = {
      earlier: [deployment("a"), deployment("b"), deployment("c"), deployment("a", "c2")],
      current: [deployment("b")],
    };
    assert.deepEqual(leftovers(journal, [inState(deployment("c"))]), [deployment("a"), deployment("a", "c2")]);
  });
});
