// Labels and taints Pledge derives from a cluster's config: what promises and
// requests can select on, and how a user label may not hide one.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { catalogue } from "../../../promises";
import { formatIssue } from "../../../src/issues";
import { buildStackModel } from "../../../src/promise/stack-model";
import { clusterSchema } from "../../../src/config/schema";
import { derivedClusterLabels, derivedClusterTaints, isReservedLabelKey } from "../../../src/fleet/derived";

const labelsOf = (raw: unknown) =>
  Object.fromEntries(derivedClusterLabels(clusterSchema.parse(raw)).map((l) => [l.key, l.value]));
const taintsOf = (raw: unknown) => derivedClusterTaints(clusterSchema.parse(raw));

function issuesOf(clusters: unknown[]): string[] {
  const result = buildStackModel({ clusters }, catalogue);
  assert.equal(result.ok, false, "expected the config to be rejected");
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe("derived cluster labels", () => {
  it("an EKS cluster: cloud, region, zones, version, GPU, both arches, one label per pool", () => {
    assert.deepEqual(
      labelsOf({
        name: "prod-eu",
        source: "eks",
        region: "eu-west-1",
        zones: ["eu-west-1a", "eu-west-1b"],
        nodePools: [
          { name: "general", instanceType: "m6i.large" },
          { name: "arm", instanceType: "m7g.large" },
          { name: "gpu", instanceType: "g5.xlarge", gpu: { type: "nvidia-a10g" } },
        ],
      }),
      {
        "pledge.dev/cluster": "prod-eu",
        "pledge.dev/source": "eks",
        "pledge.dev/cloud": "aws",
        "topology.kubernetes.io/region": "eu-west-1",
        "pledge.dev/kubernetes-version": "1.33",
        "zone.pledge.dev/eu-west-1a": "true",
        "zone.pledge.dev/eu-west-1b": "true",
        "pledge.dev/gpu": "true",
        "pledge.dev/arch-amd64": "true",
        "pledge.dev/arch-arm64": "true",
        "pool.pledge.dev/general": "true",
        "pool.pledge.dev/arm": "true",
        "pool.pledge.dev/gpu": "true",
      },
    );
  });

  it("Azure zones are spelled as AKS nodes spell them: <location>-<n>", () => {
    const labels = labelsOf({ name: "a", source: "aks", region: "westeurope", zones: ["1", "3"] });
    assert.equal(labels["zone.pledge.dev/westeurope-1"], "true");
    assert.equal(labels["zone.pledge.dev/westeurope-3"], "true");
    assert.equal(labels["pledge.dev/cloud"], "azure");
  });

  it("a zonal GKE cluster gets its zone; no GPU label without GPU pools", () => {
    const labels = labelsOf({
      name: "g",
      source: "gke",
      project: "acme-prod-123",
      region: "europe-west1",
      location: "europe-west1-b",
    });
    assert.equal(labels["zone.pledge.dev/europe-west1-b"], "true");
    assert.equal(labels["pledge.dev/cloud"], "gcp");
    assert.equal(labels["pledge.dev/gpu"], undefined);
    assert.equal(labels["pledge.dev/arch-amd64"], "true");
  });

  it("existing clusters: onprem unless told, local for the local fleet", () => {
    assert.equal(labelsOf({ name: "k", source: "kubeconfig", kubeconfig: "x" })["pledge.dev/cloud"], "onprem");
    assert.equal(labelsOf({ name: "k", source: "kubeconfig", kubeconfig: "x", cloud: "aws" })["pledge.dev/cloud"], "aws");
    assert.equal(labelsOf({ name: "l", source: "local" })["pledge.dev/cloud"], "local");
    assert.equal(labelsOf({ name: "l", source: "local" })["topology.kubernetes.io/region"], undefined);
  });

  it("reserves pledge.dev/ and its subdomains, nothing else", () => {
    assert.deepEqual(
      [
        "pledge.dev/gpu",
        "zone.pledge.dev/a",
        "pool.pledge.dev/x",
        "example.com/pledge.dev",
        "topology.kubernetes.io/region",
        "gpu",
      ].map(isReservedLabelKey),
      [true, true, true, false, false, false],
    );
  });
});

describe("user labels against derived ones", () => {
  it("a different region label names both values and says how to resolve it", () => {
    const issues = issuesOf([
      { name: "e", source: "eks", region: "eu-west-1", labels: { "topology.kubernetes.io/region": "eu" } },
    ]);
    assert.deepEqual(issues, [
      'pledge:clusters[0].labels["topology.kubernetes.io/region"]: "eu" conflicts with "eu-west-1", which Pledge derives from region (remove the label (Pledge sets it), or change pledge:clusters[0].region)',
    ]);
  });

  it("the same region label is harmless and accepted", () => {
    const result = buildStackModel(
      { clusters: [{ name: "e", source: "eks", region: "eu-west-1", labels: { "topology.kubernetes.io/region": "eu-west-1" } }] },
      catalogue,
    );
    assert.ok(result.ok);
  });

  it("a kubeconfig cluster may set its own region label: nothing is derived there", () => {
    const result = buildStackModel(
      { clusters: [{ name: "k", source: "kubeconfig", kubeconfig: "x", labels: { "topology.kubernetes.io/region": "dc-1" } }] },
      catalogue,
    );
    assert.ok(result.ok);
    assert.equal(result.model.clusters[0]!.labels["topology.kubernetes.io/region"], "dc-1");
  });

  it("a pledge.dev/ label that contradicts a derived one names both values", () => {
    const issues = issuesOf([
      { name: "e", source: "eks", region: "eu-west-1", labels: { "pledge.dev/gpu": "true", "pool.pledge.dev/general": "false" } },
    ]);
    assert.ok(
      issues.includes(
        'pledge:clusters[0].labels["pledge.dev/gpu"]: labels under pledge.dev/ are set by Pledge (use another prefix)',
      ),
      issues.join("\n"),
    );
    assert.ok(
      issues.includes(
        'pledge:clusters[0].labels["pool.pledge.dev/general"]: labels under pledge.dev/ are set by Pledge: "false" here, but Pledge derives "true" from nodePools[0].name (remove the label; to change the value, change pledge:clusters[0].nodePools[0].name)',
      ),
      issues.join("\n"),
    );
  });

  it("a zone that cannot be a label key is reported at zones", () => {
    const issues = issuesOf([{ name: "e", source: "eks", region: "eu-west-1", zones: ["eu-west-1a", "eu-west-1b_"] }]);
    assert.ok(
      issues.some((i) => i.startsWith("pledge:clusters[0].zones: cannot become the label zone.pledge.dev/eu-west-1b_")),
      issues.join("\n"),
    );
  });
});

describe("derived cluster taints", () => {
  const gpu = { name: "gpu", instanceType: "g5.xlarge", gpu: { type: "nvidia-a10g" } };
  it("a GPU-only cluster carries the GPU taint: promises that do not tolerate it stay off", () => {
    assert.deepEqual(taintsOf({ name: "e", source: "eks", region: "eu-west-1", nodePools: [gpu] }), [
      { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" },
    ]);
  });

  it("one untainted pool keeps the cluster open", () => {
    assert.deepEqual(
      taintsOf({
        name: "e",
        source: "eks",
        region: "eu-west-1",
        nodePools: [gpu, { name: "general", instanceType: "m6i.large" }],
      }),
      [],
    );
  });

  it("an Arm-only GKE cluster carries GKE's own arch taint", () => {
    assert.deepEqual(
      taintsOf({
        name: "g",
        source: "gke",
        project: "acme-prod-123",
        region: "europe-west1",
        nodePools: [{ name: "arm", machineType: "t2a-standard-4" }],
      }),
      [{ key: "kubernetes.io/arch", value: "arm64", effect: "NoSchedule" }],
    );
  });

  it("the model merges derived taints with the user's, without duplicates", () => {
    const result = buildStackModel(
      {
        clusters: [
          {
            name: "e",
            source: "eks",
            region: "eu-west-1",
            taints: [
              { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" },
              { key: "tier", value: "gold", effect: "NoSchedule" },
            ],
            nodePools: [gpu],
          },
        ],
      },
      catalogue,
    );
    assert.ok(result.ok);
    assert.deepEqual(
      result.model.clusters[0]!.taints.map((t) => t.key),
      ["nvidia.com/gpu", "tier"],
    );
  });
});
