// A GKE cluster under Pulumi mocks: the cluster without its default pool,
// node pools with accelerators, Workload Identity, the exec kubeconfig.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { byType, one, providerName, runFleet, secretValue } from "../mocks";

const cluster = {
  name: "prod-ew1",
  source: "gke",
  project: "acme-prod-123",
  region: "europe-west1",
  zones: ["europe-west1-b", "europe-west1-c"],
  nodePools: [
    { name: "general", machineType: "e2-standard-4", min: 2, max: 6, desired: 4 },
    { name: "t4", machineType: "n1-standard-4", gpu: { type: "nvidia-tesla-t4", count: 2 }, min: 0, max: 4 },
    { name: "arm", machineType: "t2a-standard-4", min: 1, max: 2 },
  ],
};

async function graph(overrides: Record<string, unknown> = {}) {
  const run = await runFleet({ "pledge:clusters": [{ ...cluster, ...overrides }] });
  assert.equal(run.error, undefined, String(run.error));
  return run;
}

describe("GKE cluster", () => {
  it("creates the cluster without its default pool, with Workload Identity, in a new network", async () => {
    const { registered } = await graph();
    const gke = one(registered, "gcp:container/cluster:Cluster", "prod-ew1").inputs;
    assert.equal(gke.removeDefaultNodePool, true);
    assert.equal(gke.location, "europe-west1");
    assert.equal(gke.minMasterVersion, "1.33");
    assert.deepEqual(gke.workloadIdentityConfig, { workloadPool: "acme-prod-123.svc.id.goog" });
    assert.equal(gke.deletionProtection, false);
    assert.equal(gke.network, "prod-ew1-net-id");
    assert.equal(one(registered, "gcp:compute/subnetwork:Subnetwork", "prod-ew1-subnet").inputs.ipCidrRange, "10.10.0.0/20");
  });

  it("uses a given network without creating one, and turns Workload Identity off on request", async () => {
    const { registered } = await graph({ network: { name: "shared-vpc", subnetwork: "gke-nodes" }, workloadIdentity: false });
    assert.equal(byType(registered, "gcp:compute/network:Network").length, 0);
    const gke = one(registered, "gcp:container/cluster:Cluster", "prod-ew1").inputs;
    assert.deepEqual([gke.network, gke.subnetwork, gke.workloadIdentityConfig], ["shared-vpc", "gke-nodes", undefined]);
    assert.equal(
      one(registered, "gcp:container/nodePool:NodePool", "prod-ew1-pool-general").inputs.nodeConfig.workloadMetadataConfig,
      undefined,
    );
  });

  it("creates node pools with whole-pool autoscaling limits and a per-zone start", async () => {
    const { registered } = await graph();
    const pools = byType(registered, "gcp:container/nodePool:NodePool");
    assert.deepEqual(
      pools
        .map((p) => [
          p.inputs.name,
          p.inputs.nodeConfig.machineType,
          p.inputs.autoscaling.totalMinNodeCount,
          p.inputs.autoscaling.totalMaxNodeCount,
          p.inputs.initialNodeCount,
        ])
        .sort(),
      [
        ["arm", "t2a-standard-4", 1, 2, 1],
        ["general", "e2-standard-4", 2, 6, 2],
        ["t4", "n1-standard-4", 0, 4, 0],
      ],
    );
    for (const p of pools) {
      assert.equal(p.inputs.cluster, "prod-ew1");
      assert.deepEqual(p.inputs.nodeLocations, ["europe-west1-b", "europe-west1-c"]);
      assert.deepEqual(p.inputs.nodeConfig.workloadMetadataConfig, { mode: "GKE_METADATA" });
    }
  });

  it("attaches the GPUs as guest accelerators, with GKE's GPU taint and the pool label", async () => {
    const { registered } = await graph();
    const t4 = one(registered, "gcp:container/nodePool:NodePool", "prod-ew1-pool-t4").inputs.nodeConfig;
    assert.deepEqual(t4.guestAccelerators, [
      { type: "nvidia-tesla-t4", count: 2, gpuDriverInstallationConfig: { gpuDriverVersion: "DEFAULT" } },
    ]);
    assert.deepEqual(t4.taints, [{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }]);
    assert.deepEqual(t4.labels, { "pledge.dev/pool": "t4" });
    const general = one(registered, "gcp:container/nodePool:NodePool", "prod-ew1-pool-general").inputs.nodeConfig;
    assert.equal(general.guestAccelerators, undefined);
    assert.deepEqual(general.taints, []);
  });

  it("sends every Google Cloud resource through the cluster's own provider for its project", async () => {
    const { registered } = await graph();
    const provider = one(registered, "pulumi:providers:gcp", "prod-ew1-gcp").inputs;
    assert.deepEqual([provider.project, provider.region], ["acme-prod-123", "europe-west1"]);
    for (const r of registered.filter((r) => r.type.startsWith("gcp:")))
      assert.equal(providerName(r.provider), "prod-ew1-gcp", `${r.type} ${r.name}`);
  });

  it("hands Kubernetes a secret exec kubeconfig that runs gke-gcloud-auth-plugin", async () => {
    const { registered, invoked } = await graph();
    assert.deepEqual(invoked, []);
    const kubeconfig = secretValue(one(registered, "pulumi:providers:kubernetes", "prod-ew1-k8s").inputs.kubeconfig);
    assert.ok(kubeconfig, "the kubeconfig reached the provider in plain text");
    const doc = parseYaml(kubeconfig);
    assert.equal(doc.clusters[0].cluster.server, "https://203.0.113.1");
    assert.equal(doc.clusters[0].cluster["certificate-authority-data"], Buffer.from("gke-ca-prod-ew1-a").toString("base64"));
    const user = doc.users[0].user;
    assert.deepEqual(Object.keys(user), ["exec"]);
    assert.equal(user.exec.command, "gke-gcloud-auth-plugin");
    assert.equal(user.exec.provideClusterInfo, true);
  });

  it("keeps the provider's clusterIdentifier when the endpoint changes", async () => {
    const runs = [
      await runFleet({ "pledge:clusters": [cluster] }, { endpointVariant: "a" }),
      await runFleet({ "pledge:clusters": [cluster] }, { endpointVariant: "bb" }),
    ];
    const [p1, p2] = runs.map((r) => one(r.registered, "pulumi:providers:kubernetes", "prod-ew1-k8s").inputs);
    assert.notEqual(secretValue(p1.kubeconfig), secretValue(p2.kubeconfig));
    assert.deepEqual([p1.clusterIdentifier, p2.clusterIdentifier], ["prod-ew1", "prod-ew1"]);
  });
});
