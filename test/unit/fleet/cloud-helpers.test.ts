// Small per-cloud decisions: AMI types, IAM partitions, names of access
// entries, GKE's per-zone start size.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accessEntrySuffixes, awsPartition, eksAmiType } from "../../../src/pulumi/eks";
import { gkeInitialNodeCount } from "../../../src/pulumi/gke";

describe("EKS", () => {
  it("picks the Amazon Linux 2023 image by arch and GPU", () => {
    assert.equal(eksAmiType({ arch: "amd64" }), "AL2023_x86_64_STANDARD");
    assert.equal(eksAmiType({ arch: "arm64" }), "AL2023_ARM_64_STANDARD");
    assert.equal(eksAmiType({ arch: "amd64", gpu: { type: "t4", count: 1 } }), "AL2023_x86_64_NVIDIA");
    assert.equal(eksAmiType({ arch: "arm64", gpu: { type: "t4g", count: 1 } }), "AL2023_ARM_64_NVIDIA");
  });

  it("uses the region's partition for managed policy ARNs", () => {
    assert.deepEqual(["eu-west-1", "cn-north-1", "us-gov-west-1"].map(awsPartition), ["aws", "aws-cn", "aws-us-gov"]);
  });

  it("names access entries after the principal, with the account only when two collide", () => {
    assert.deepEqual(
      accessEntrySuffixes([
        "arn:aws:iam::111111111111:role/ops/Admins",
        "arn:aws:iam::111111111111:user/alice",
        "arn:aws:iam::222222222222:role/Admins",
      ]),
      ["role-admins-111111111111", "user-alice", "role-admins-222222222222"],
    );
  });
});

describe("GKE", () => {
  it("turns the pool's desired size into GKE's per-zone start, rounding up", () => {
    const regional = { region: "europe-west1" };
    assert.equal(gkeInitialNodeCount(2, regional), 1);
    assert.equal(gkeInitialNodeCount(4, regional), 2);
    assert.equal(gkeInitialNodeCount(0, regional), 0);
    assert.equal(gkeInitialNodeCount(4, { ...regional, zones: ["europe-west1-b", "europe-west1-c"] }), 2);
    assert.equal(gkeInitialNodeCount(3, { ...regional, location: "europe-west1-b" }), 3);
  });
});
