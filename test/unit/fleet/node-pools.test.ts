// Node pools: what a machine type implies, and the taints and labels a pool
// gets, the same way on every cloud.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eksNodePoolSchema, gkeNodePoolSchema, aksNodePoolSchema } from "../../../src/config/schema";
import {
  isAutoscaled,
  machineFacts,
  resolvePool,
  taintString,
  upperSnakeEffect,
  type Cloud,
} from "../../../src/fleet/node-pools";

describe("machineFacts", () => {
  const table: [Cloud, string, "amd64" | "arm64" | undefined, boolean][] = [
    ["aws", "m6i.large", "amd64", false],
    ["aws", "m7g.large", "arm64", false],
    ["aws", "c6gn.xlarge", "arm64", false],
    ["aws", "im4gn.large", "arm64", false],
    ["aws", "a1.large", "arm64", false],
    ["aws", "g4dn.xlarge", "amd64", true],
    ["aws", "g5g.xlarge", "arm64", true],
    ["aws", "p5.48xlarge", "amd64", true],
    ["aws", "m7i-flex.large", "amd64", false],
    ["aws", "inf2.xlarge", "amd64", false],
    ["aws", "not-a-type", undefined, false],
    ["azure", "Standard_D4s_v5", "amd64", false],
    ["azure", "Standard_D4ps_v5", "arm64", false],
    ["azure", "Standard_E8pds_v6", "arm64", false],
    ["azure", "Standard_NC4as_T4_v3", "amd64", true],
    ["azure", "Standard_ND96asr_v4", "amd64", true],
    ["azure", "Standard_E4-2ds_v5", "amd64", false],
    ["gcp", "e2-standard-4", "amd64", false],
    ["gcp", "t2a-standard-4", "arm64", false],
    ["gcp", "c4a-standard-8", "arm64", false],
    ["gcp", "g2-standard-8", "amd64", true],
    ["gcp", "a3-highgpu-8g", "amd64", true],
    ["gcp", "n1-standard-4", "amd64", false],
  ];
  for (const [cloud, type, arch, gpu] of table) {
    it(`${cloud} ${type}: ${arch ?? "unknown"}${gpu ? ", GPUs" : ""}`, () => {
      const facts = machineFacts(cloud, type);
      assert.equal(facts.arch, arch);
      assert.equal(facts.gpu, gpu);
    });
  }

  it("GKE takes attached GPUs on N1 only", () => {
    assert.equal(machineFacts("gcp", "n1-standard-4").acceptsGpu, true);
    assert.equal(machineFacts("gcp", "e2-standard-4").acceptsGpu, false);
  });
});

describe("resolvePool", () => {
  it("infers arch from the machine type", () => {
    assert.equal(resolvePool("aws", eksNodePoolSchema.parse({ name: "a", instanceType: "m7g.large" }), 0).arch, "arm64");
    assert.equal(resolvePool("aws", eksNodePoolSchema.parse({ name: "a", instanceType: "m6i.large" }), 0).arch, "amd64");
  });

  it("taints GPU pools nvidia.com/gpu=true:NoSchedule on EKS and AKS, =present on GKE (GKE's own value)", () => {
    const gpu = { type: "nvidia-t4" };
    assert.deepEqual(resolvePool("aws", eksNodePoolSchema.parse({ name: "g", instanceType: "g4dn.xlarge", gpu }), 0).taints, [
      { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" },
    ]);
    assert.deepEqual(
      resolvePool("azure", aksNodePoolSchema.parse({ name: "g", vmSize: "Standard_NC4as_T4_v3", gpu }), 1).taints,
      [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
    );
    assert.deepEqual(resolvePool("gcp", gkeNodePoolSchema.parse({ name: "g", machineType: "n1-standard-4", gpu }), 0).taints, [
      { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" },
    ]);
  });

  it("keeps the user's own GPU taint, or none with gpu.taint: false", () => {
    const own = { key: "nvidia.com/gpu", value: "shared", effect: "PreferNoSchedule" as const };
    assert.deepEqual(
      resolvePool(
        "aws",
        eksNodePoolSchema.parse({ name: "g", instanceType: "g5.xlarge", gpu: { type: "a10g" }, taints: [own] }),
        0,
      ).taints,
      [own],
    );
    assert.deepEqual(
      resolvePool(
        "aws",
        eksNodePoolSchema.parse({ name: "g", instanceType: "g5.xlarge", gpu: { type: "a10g", taint: false } }),
        0,
      ).taints,
      [],
    );
  });

  it("labels nodes with their pool and keeps the user's labels", () => {
    assert.deepEqual(
      resolvePool("gcp", gkeNodePoolSchema.parse({ name: "web", machineType: "e2-standard-4", labels: { tier: "front" } }), 0)
        .nodeLabels,
      { tier: "front", "pledge.dev/pool": "web" },
    );
  });

  it("desired defaults to min; the first AKS pool is the system pool", () => {
    const first = resolvePool("azure", aksNodePoolSchema.parse({ name: "sys", vmSize: "Standard_D4s_v5", min: 2, max: 5 }), 0);
    assert.equal(first.desired, 2);
    assert.equal(first.mode, "system");
    assert.equal(resolvePool("azure", aksNodePoolSchema.parse({ name: "apps", vmSize: "Standard_D4s_v5" }), 1).mode, "user");
  });

  it("an autoscaled pool has room to move; a fixed pool (min == max) does not", () => {
    assert.equal(isAutoscaled({ min: 0, max: 2 }), true);
    assert.equal(isAutoscaled({ min: 2, max: 2 }), false);
  });

  it("records GKE's Arm taint as a cloud taint, not one Pledge sets", () => {
    const pool = resolvePool("gcp", gkeNodePoolSchema.parse({ name: "arm", machineType: "t2a-standard-4" }), 0);
    assert.deepEqual(pool.taints, []);
    assert.deepEqual(pool.cloudTaints, [{ key: "kubernetes.io/arch", value: "arm64", effect: "NoSchedule" }]);
  });
});

describe("taint spellings", () => {
  it("kubectl syntax for AKS, upper snake effects for EKS and GKE", () => {
    assert.equal(taintString({ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }), "nvidia.com/gpu=true:NoSchedule");
    assert.equal(taintString({ key: "dedicated", effect: "NoExecute" }), "dedicated:NoExecute");
    assert.deepEqual((["NoSchedule", "PreferNoSchedule", "NoExecute"] as const).map(upperSnakeEffect), [
      "NO_SCHEDULE",
      "PREFER_NO_SCHEDULE",
      "NO_EXECUTE",
    ]);
  });
});
