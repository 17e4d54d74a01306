// Table-driven, after core/v1 Toleration.ToleratesTaint and its tests.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatTaint, toleratesTaint, untoleratedTaints, type Taint, type Toleration } from "../../../src/labels/taints";

const gpu: Taint = { key: "gpu", value: "true", effect: "NoSchedule" };

describe("toleratesTaint", () => {
  const cases: { name: string; toleration: Toleration; taint: Taint; tolerates: boolean }[] = [
    {
      name: "same key, value and effect",
      toleration: { key: "gpu", value: "true", effect: "NoSchedule" },
      taint: gpu,
      tolerates: true,
    },
    { name: "operator defaults to Equal", toleration: { key: "gpu", value: "false" }, taint: gpu, tolerates: false },
    { name: "Equal, other value", toleration: { key: "gpu", operator: "Equal", value: "false" }, taint: gpu, tolerates: false },
    {
      name: "Equal, no value against a valueless taint",
      toleration: { key: "spot" },
      taint: { key: "spot", effect: "NoExecute" },
      tolerates: true,
    },
    { name: "Equal, no value against a taint with a value", toleration: { key: "gpu" }, taint: gpu, tolerates: false },
    { name: "Exists, any value", toleration: { key: "gpu", operator: "Exists" }, taint: gpu, tolerates: true },
    { name: "Exists, other key", toleration: { key: "spot", operator: "Exists" }, taint: gpu, tolerates: false },
    {
      name: "empty key and Exists tolerates everything",
      toleration: { operator: "Exists" },
      taint: { key: "anything", effect: "NoExecute" },
      tolerates: true,
    },
    {
      name: "no effect tolerates every effect",
      toleration: { key: "gpu", operator: "Exists" },
      taint: { ...gpu, effect: "NoExecute" },
      tolerates: true,
    },
    { name: "other effect", toleration: { key: "gpu", operator: "Exists", effect: "NoExecute" }, taint: gpu, tolerates: false },
    { name: "same effect", toleration: { operator: "Exists", effect: "NoSchedule" }, taint: gpu, tolerates: true },
    // Kubernetes quirk kept on purpose (validation forbids this shape): an empty key with Equal compares values only.
    { name: "empty key with Equal compares values only", toleration: { value: "true" }, taint: gpu, tolerates: true },
  ];
  for (const { name, toleration, taint, tolerates } of cases) {
    it(name, () => assert.equal(toleratesTaint(toleration, taint), tolerates));
  }
});

describe("untoleratedTaints", () => {
  const soft: Taint = { key: "spot", effect: "PreferNoSchedule" };
  const evict: Taint = { key: "maintenance", effect: "NoExecute" };

  it("returns the NoSchedule and NoExecute taints nothing tolerates", () => {
    assert.deepEqual(untoleratedTaints([gpu, soft, evict], []), [gpu, evict]);
  });
  it("never counts PreferNoSchedule as blocking", () => {
    assert.deepEqual(untoleratedTaints([soft], []), []);
  });
  it("drops taints any toleration covers", () => {
    assert.deepEqual(untoleratedTaints([gpu, evict], [{ key: "maintenance", operator: "Exists" }]), [gpu]);
    assert.deepEqual(untoleratedTaints([gpu, evict], [{ operator: "Exists" }]), []);
  });
});

describe("formatTaint", () => {
  it("writes kubectl's syntax", () => {
    assert.equal(formatTaint(gpu), "gpu=true:NoSchedule");
    assert.equal(formatTaint({ key: "dedicated", effect: "NoExecute" }), "dedicated:NoExecute");
  });
});
