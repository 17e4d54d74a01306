// Cloud clusters in stack config: the defaults a newcomer gets, and what a
// platform owner is told, with the key path, for every mistake at once.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { catalogue } from "../../../promises";
import { formatIssue } from "../../../src/issues";
import { buildStackModel } from "../../../src/promise/stack-model";

function issuesOf(clusters: unknown[]): string[] {
  const result = buildStackModel({ clusters }, catalogue);
  assert.equal(result.ok, false, "expected the config to be rejected");
  return result.ok ? [] : result.issues.map(formatIssue);
}

function modelOf(clusters: unknown[]) {
  const result = buildStackModel({ clusters }, catalogue);
  if (!result.ok) assert.fail(`unexpected issues:\n${result.issues.map(formatIssue).join("\n")}`);
  return result.model.clusters;
}

const eks = { name: "eks-1", source: "eks", region: "eu-west-1" };
const aks = { name: "aks-1", source: "aks", region: "westeurope" };
const gke = { name: "gke-1", source: "gke", project: "acme-prod-123", region: "europe-west1" };

describe("cloud clusters in config", () => {
  it("accepts a cluster with only a name and a region, with working defaults", () => {
    const [e, a, g] = modelOf([eks, aks, gke]);
    assert.ok(e?.source === "eks" && a?.source === "aks" && g?.source === "gke");
    assert.equal(e.version, "1.33");
    assert.deepEqual(
      e.nodePools.map((p) => [p.name, p.instanceType, p.min, p.desired, p.max]),
      [["general", "m6i.large", 1, 2, 3]],
    );
    assert.deepEqual(e.vpc, {});
    assert.deepEqual(
      a.nodePools.map((p) => [p.name, p.vmSize]),
      [["system", "Standard_D4s_v5"]],
    );
    assert.equal(a.workloadIdentity, true);
    assert.deepEqual(
      g.nodePools.map((p) => [p.name, p.machineType]),
      [["general", "e2-standard-4"]],
    );
    assert.equal(g.workloadIdentity, true);
    assert.equal(g.deletionProtection, false);
  });

  it("applies Entra ID defaults: kubelogin with the Azure CLI, local accounts off", () => {
    const [a] = modelOf([{ ...aks, entraId: { adminGroupObjectIds: ["11111111-2222-3333-4444-555555555555"] } }]);
    assert.ok(a?.source === "aks");
    assert.deepEqual(a.entraId, {
      adminGroupObjectIds: ["11111111-2222-3333-4444-555555555555"],
      azureRbac: true,
      login: "azurecli",
      disableLocalAccounts: true,
    });
  });

  const cases: { name: string; clusters: unknown[]; expected: string[] }[] = [
    {
      name: "a missing region",
      clusters: [{ name: "eks-1", source: "eks" }],
      expected: ["pledge:clusters[0].region: is required"],
    },
    {
      name: "an unknown source, listing the cloud ones",
      clusters: [{ name: "x", source: "ecs" }],
      expected: ['pledge:clusters[0].source: "ecs" is not one of local, kubeconfig, eks, aks, gke'],
    },
    {
      name: "a version that is not a minor version",
      clusters: [{ ...eks, version: "1.33.2" }],
      expected: ['pledge:clusters[0].version: "1.33.2": must be a Kubernetes minor version such as 1.33'],
    },
    {
      name: "an ARM instance type with arch amd64",
      clusters: [{ ...eks, nodePools: [{ name: "arm", instanceType: "m7g.large", arch: "amd64" }] }],
      expected: [
        "pledge:clusters[0].nodePools[0].arch: amd64 does not match m7g.large, which is an arm64 machine type (remove arch (it follows the machine type), or pick an amd64 type such as m6i.large)",
      ],
    },
    {
      name: "arch arm64 with an x86 VM size",
      clusters: [
        {
          ...aks,
          nodePools: [
            { name: "system", vmSize: "Standard_D4s_v5" },
            { name: "arm", vmSize: "Standard_D4s_v5", arch: "arm64" },
          ],
        },
      ],
      expected: [
        "pledge:clusters[0].nodePools[1].arch: arm64 does not match Standard_D4s_v5, which is an amd64 machine type (remove arch (it follows the machine type), or pick an arm64 type such as Standard_D4ps_v5)",
      ],
    },
    {
      name: "a GPU pool without its GPU type",
      clusters: [{ ...gke, nodePools: [{ name: "gpu", machineType: "n1-standard-4", gpu: { count: 1 } }] }],
      expected: ["pledge:clusters[0].nodePools[0].gpu.type: a GPU pool needs its GPU type (the accelerator type, e.g. nvidia-l4"],
    },
    {
      name: "a GPU instance type without gpu",
      clusters: [{ ...eks, nodePools: [{ name: "gpu", instanceType: "g5.xlarge" }] }],
      expected: ["pledge:clusters[0].nodePools[0].gpu: g5.xlarge has GPUs but the pool does not declare them"],
    },
    {
      name: "gpu on a machine type that takes none",
      clusters: [{ ...gke, nodePools: [{ name: "gpu", machineType: "e2-standard-4", gpu: { type: "nvidia-l4" } }] }],
      expected: ["pledge:clusters[0].nodePools[0].machineType: e2-standard-4 has no GPUs (GPUs attach to N1 machine types"],
    },
    {
      name: "min, desired and max out of order",
      clusters: [
        {
          ...eks,
          nodePools: [
            { name: "a", instanceType: "m6i.large", min: 4, max: 2 },
            { name: "b", instanceType: "m6i.large", min: 1, max: 3, desired: 5 },
          ],
        },
      ],
      expected: [
        "pledge:clusters[0].nodePools[0].min: 4 is more than max (2) (min <= desired <= max)",
        "pledge:clusters[0].nodePools[1].desired: 5 is outside min..max (1..3)",
      ],
    },
    {
      name: "duplicate pool names and an AKS pool name AKS refuses",
      clusters: [
        {
          ...aks,
          nodePools: [
            { name: "system", vmSize: "Standard_D4s_v5" },
            { name: "system", vmSize: "Standard_D4s_v5" },
            { name: "gpu-pool-one", vmSize: "Standard_D4s_v5" },
          ],
        },
      ],
      expected: [
        'pledge:clusters[0].nodePools[1].name: duplicate pool name "system" (also at pledge:clusters[0].nodePools[0])',
        'pledge:clusters[0].nodePools[2].name: "gpu-pool-one" is not a valid AKS pool name',
      ],
    },
    {
      name: "an AKS cluster whose only system pool is a GPU pool",
      clusters: [{ ...aks, nodePools: [{ name: "gpu", vmSize: "Standard_NC4as_T4_v3", gpu: { type: "nvidia-t4" } }] }],
      expected: ["pledge:clusters[0].nodePools[0].mode: a GPU pool cannot be the system pool"],
    },
    {
      name: "an AKS cluster without a system pool",
      clusters: [{ ...aks, nodePools: [{ name: "apps", vmSize: "Standard_D4s_v5", mode: "user" }] }],
      expected: ["pledge:clusters[0].nodePools: AKS needs a system pool for its own add-ons"],
    },
    {
      name: "a new VPC and given subnets at once, and too few subnets",
      clusters: [{ ...eks, vpc: { cidr: "10.0.0.0/16", subnetIds: ["subnet-1"] } }],
      expected: [
        "pledge:clusters[0].vpc: give either cidr (a new VPC) or subnetIds (an existing one), not both",
        "pledge:clusters[0].vpc.subnetIds: EKS needs subnets in at least two availability zones",
      ],
    },
    {
      name: "a VPC CIDR with host bits, zones of another region, too many zones",
      clusters: [{ ...eks, vpc: { cidr: "10.0.1.0/16" }, zones: ["eu-west-1a", "us-east-1b", "eu-west-1c", "eu-west-1d"] }],
      expected: [
        'pledge:clusters[0].vpc.cidr: "10.0.1.0/16" has host bits set; did you mean 10.0.0.0/16?',
        'pledge:clusters[0].zones[1]: "us-east-1b" is not a zone of eu-west-1',
        "pledge:clusters[0].zones: a new VPC spans 2 to 3 zones, not 4",
      ],
    },
    {
      name: "admin principals that are not IAM role or user ARNs",
      clusters: [{ ...eks, adminPrincipals: ["arn:aws:sts::123456789012:assumed-role/admins/me", "platform-admins"] }],
      expected: [
        'pledge:clusters[0].adminPrincipals[0]: "arn:aws:sts::123456789012:assumed-role/admins/me" is not an IAM role or user ARN',
        "pledge:clusters[0].adminPrincipals[1]:",
      ],
    },
    {
      name: "a GKE location outside the region and a display name for a project",
      clusters: [{ ...gke, project: "Acme Prod", location: "us-central1-a" }],
      expected: [
        'pledge:clusters[0].project: "Acme Prod" is not a Google Cloud project ID',
        'pledge:clusters[0].location: "us-central1-a" is neither europe-west1 nor one of its zones',
      ],
    },
    {
      name: "Azure zones that do not exist and an Entra setup nobody could use",
      clusters: [{ ...aks, zones: ["westeurope-1"], entraId: { azureRbac: false } }],
      expected: [
        'pledge:clusters[0].zones[0]: "westeurope-1" is not an Azure availability zone',
        "pledge:clusters[0].entraId.adminGroupObjectIds: nobody could administer this cluster",
      ],
    },
    {
      name: "a pool label under pledge.dev/ and an invalid pool label",
      clusters: [
        { ...eks, nodePools: [{ name: "a", instanceType: "m6i.large", labels: { "pledge.dev/pool": "b", team: "not ok!" } }] },
      ],
      expected: [
        'pledge:clusters[0].nodePools[0].labels["pledge.dev/pool"]: pledge.dev/pool is set by Pledge',
        "pledge:clusters[0].nodePools[0].labels.team:",
      ],
    },
    {
      name: "an unknown field in a node pool",
      clusters: [{ ...gke, nodePools: [{ name: "a", machineType: "e2-standard-4", instanceType: "m6i.large" }] }],
      expected: ["pledge:clusters[0].nodePools[0].instanceType: is not a known field"],
    },
  ];

  for (const c of cases) {
    it(`reports ${c.name}`, () => {
      const issues = issuesOf(c.clusters);
      for (const expected of c.expected) {
        assert.ok(
          issues.some((i) => i.startsWith(expected)),
          `missing issue starting with:\n  ${expected}\ngot:\n  ${issues.join("\n  ")}`,
        );
      }
    });
  }

  it("reports every problem of a mixed fleet at once", () => {
    const issues = issuesOf([
      { ...eks, nodePools: [{ name: "arm", instanceType: "m7g.large", arch: "amd64" }] },
      { ...aks, nodePools: [{ name: "gpu", vmSize: "Standard_NC4as_T4_v3" }] },
      { ...gke, nodePools: [{ name: "a", machineType: "e2-standard-4", min: 3, max: 1 }] },
    ]);
    assert.deepEqual(
      issues.map((i) => i.split(":").slice(0, 2).join(":")),
      ["pledge:clusters[0].nodePools[0].arch", "pledge:clusters[1].nodePools[0].gpu", "pledge:clusters[2].nodePools[0].min"],
      issues.join("\n"),
    );
  });
});
