// An AKS cluster under Pulumi mocks: resource group, ManagedCluster with its
// system pool, user pools, and the kubeconfig from the user credentials.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { byType, one, providerName, runFleet, secretValue } from "../mocks";

const adminGroup = "11111111-2222-3333-4444-555555555555";
const cluster = {
  name: "prod-we",
  source: "aks",
  region: "westeurope",
  zones: ["1", "2"],
  subscriptionId: "00000000-1111-2222-3333-444444444444",
  entraId: { adminGroupObjectIds: [adminGroup] },
  nodePools: [
    { name: "system", vmSize: "Standard_D4s_v5", min: 1, max: 3, desired: 2 },
    { name: "gpu", vmSize: "Standard_NC4as_T4_v3", gpu: { type: "nvidia-t4" }, min: 0, max: 2 },
    { name: "arm", vmSize: "Standard_D4ps_v5", min: 2, max: 2 },
  ],
};

async function graph(overrides: Record<string, unknown> = {}) {
  const run = await runFleet({ "pledge:clusters": [{ ...cluster, ...overrides }] });
  assert.equal(run.error, undefined, String(run.error));
  return run;
}

describe("AKS cluster", () => {
  it("creates a resource group unless one is given", async () => {
    const created = await graph();
    assert.equal(
      one(created.registered, "azure-native:resources:ResourceGroup", "prod-we-rg").inputs.resourceGroupName,
      "pledge-prod-we",
    );
    assert.equal(
      one(created.registered, "azure-native:containerservice:ManagedCluster", "prod-we").inputs.resourceGroupName,
      "pledge-prod-we",
    );
    const given = await graph({ resourceGroup: "platform-rg" });
    assert.equal(byType(given.registered, "azure-native:resources:ResourceGroup").length, 0);
    assert.equal(
      one(given.registered, "azure-native:containerservice:ManagedCluster", "prod-we").inputs.resourceGroupName,
      "platform-rg",
    );
  });

  it("puts the system pool in the ManagedCluster, autoscaled, in the zones", async () => {
    const { registered } = await graph();
    const aks = one(registered, "azure-native:containerservice:ManagedCluster", "prod-we").inputs;
    assert.equal(aks.kubernetesVersion, "1.33");
    assert.deepEqual(aks.identity, { type: "SystemAssigned" });
    assert.deepEqual(
      aks.agentPoolProfiles.map((p: any) => [
        p.name,
        p.mode,
        p.vmSize,
        p.count,
        p.minCount,
        p.maxCount,
        p.enableAutoScaling,
        p.availabilityZones,
      ]),
      [["system", "System", "Standard_D4s_v5", 2, 1, 3, true, ["1", "2"]]],
    );
  });

  it("adds GPU and Arm user pools as agent pools: GPU tainted, fixed sizes without autoscaling", async () => {
    const { registered } = await graph();
    const pools = byType(registered, "azure-native:containerservice:AgentPool");
    assert.deepEqual(pools.map((p) => p.inputs.agentPoolName).sort(), ["arm", "gpu"]);
    const gpu = one(registered, "azure-native:containerservice:AgentPool", "prod-we-pool-gpu").inputs;
    assert.deepEqual([gpu.mode, gpu.vmSize, gpu.count, gpu.minCount, gpu.maxCount], ["User", "Standard_NC4as_T4_v3", 0, 0, 2]);
    assert.deepEqual(gpu.nodeTaints, ["nvidia.com/gpu=true:NoSchedule"]);
    assert.deepEqual(gpu.nodeLabels, { "pledge.dev/pool": "gpu" });
    const arm = one(registered, "azure-native:containerservice:AgentPool", "prod-we-pool-arm").inputs;
    assert.deepEqual([arm.vmSize, arm.count, arm.enableAutoScaling, arm.minCount], ["Standard_D4ps_v5", 2, false, undefined]);
    for (const p of pools) assert.equal(p.inputs.resourceName, "prod-we");
  });

  it("Entra ID: managed AAD profile, local accounts off, and a kubelogin kubeconfig with no credentials", async () => {
    const { registered, invoked } = await graph();
    const aks = one(registered, "azure-native:containerservice:ManagedCluster", "prod-we").inputs;
    assert.deepEqual(aks.aadProfile, { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: [adminGroup] });
    assert.equal(aks.disableLocalAccounts, true);
    assert.deepEqual(
      invoked.map((i) => [i.token, i.inputs.format, providerName(i.provider)]),
      [["azure-native:containerservice:listManagedClusterUserCredentials", "exec", "prod-we-azure"]],
    );
    const kubeconfig = secretValue(one(registered, "pulumi:providers:kubernetes", "prod-we-k8s").inputs.kubeconfig);
    assert.ok(kubeconfig, "the kubeconfig reached the provider in plain text");
    const doc = parseYaml(kubeconfig);
    assert.equal(doc.clusters[0].cluster.server, "https://prod-we-a.hcp.westeurope.azmk8s.io:443");
    const user = doc.users[0].user;
    assert.deepEqual(Object.keys(user), ["exec"]);
    assert.equal(user.exec.command, "kubelogin");
    assert.deepEqual(user.exec.args, ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"]);
  });

  it("local accounts: AKS's kubeconfig (client certificate) reaches the provider only as a secret", async () => {
    const { registered, invoked } = await graph({ entraId: undefined });
    assert.equal(one(registered, "azure-native:containerservice:ManagedCluster", "prod-we").inputs.disableLocalAccounts, false);
    assert.equal(invoked[0]!.inputs.format, undefined);
    const input = one(registered, "pulumi:providers:kubernetes", "prod-we-k8s").inputs.kubeconfig;
    const kubeconfig = secretValue(input);
    assert.ok(kubeconfig, "the kubeconfig reached the provider in plain text");
    assert.match(kubeconfig, /client-certificate-data/);
  });

  it("sends every Azure resource and the credentials call through the cluster's own provider", async () => {
    const { registered } = await graph();
    const provider = one(registered, "pulumi:providers:azure-native", "prod-we-azure").inputs;
    assert.equal(provider.location, "westeurope");
    assert.equal(provider.subscriptionId, "00000000-1111-2222-3333-444444444444");
    for (const r of registered.filter((r) => r.type.startsWith("azure-native:")))
      assert.equal(providerName(r.provider), "prod-we-azure", `${r.type} ${r.name}`);
  });

  it("keeps the provider's clusterIdentifier when AKS returns different credentials", async () => {
    const runs = [
      await runFleet({ "pledge:clusters": [cluster] }, { endpointVariant: "a" }),
      await runFleet({ "pledge:clusters": [cluster] }, { endpointVariant: "b" }),
    ];
    const [p1, p2] = runs.map((r) => one(r.registered, "pulumi:providers:kubernetes", "prod-we-k8s").inputs);
    assert.notEqual(secretValue(p1.kubeconfig), secretValue(p2.kubeconfig));
    assert.deepEqual([p1.clusterIdentifier, p2.clusterIdentifier], ["prod-we", "prod-we"]);
  });
});
