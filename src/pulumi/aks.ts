// pledge:index:AksCluster: an AKS cluster with its resource group, the
// ManagedCluster holding the system pool(s), and user agent pools (GPU and
// Arm included). Everything goes through an explicit azure-native provider.
// The kubeconfig comes from listManagedClusterUserCredentials: for Entra ID
// clusters rewritten to run kubelogin (no credentials in it); for clusters
// with local accounts it holds a client certificate, kept secret.
import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import type { AksClusterConfig } from "../config/schema";
import { aksKubeconfig } from "../fleet/kubeconfig-exec";
import { isAutoscaled, resolvePools, taintString, type ResolvedPool } from "../fleet/node-pools";

/** An agent pool as AKS takes it, inline in the ManagedCluster or as an AgentPool. */
export function aksPoolProfile(pool: ResolvedPool, config: Pick<AksClusterConfig, "zones" | "subnetId">) {
  const autoscale = isAutoscaled(pool);
  return {
    mode: pool.mode === "system" ? "System" : "User",
    vmSize: pool.machineType,
    osType: "Linux",
    type: "VirtualMachineScaleSets",
    count: pool.desired,
    enableAutoScaling: autoscale,
    minCount: autoscale ? pool.min : undefined,
    maxCount: autoscale ? pool.max : undefined,
    availabilityZones: config.zones,
    vnetSubnetID: config.subnetId,
    osDiskSizeGB: pool.diskSizeGb,
    nodeLabels: pool.nodeLabels,
    nodeTaints: pool.taints.length > 0 ? pool.taints.map(taintString) : undefined,
  };
}

export class AksCluster extends pulumi.ComponentResource {
  /** Kubeconfig from AKS, secret. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly cluster: azure.containerservice.ManagedCluster;
  /** The pools outside the ManagedCluster resource (its system pools are inside it). */
  readonly userPools: azure.containerservice.AgentPool[];

  constructor(name: string, config: AksClusterConfig, opts?: pulumi.ComponentResourceOptions) {
    super("pledge:index:AksCluster", name, {}, opts);
    const parts = createAks(name, config, this);
    this.kubeconfig = parts.kubeconfig;
    this.cluster = parts.cluster;
    this.userPools = parts.userPools;
    this.registerOutputs({ clusterName: parts.cluster.name, fqdn: parts.cluster.fqdn });
  }
}

export function createAks(name: string, config: AksClusterConfig, parent: pulumi.Resource) {
  const provider = new azure.Provider(
    `${name}-azure`,
    { location: config.region, subscriptionId: config.subscriptionId },
    { parent },
  );
  const opts: pulumi.CustomResourceOptions = { parent, provider };
  const tags = { "pledge-cluster": config.name, "managed-by": "pledge" };

  const resourceGroupName: pulumi.Input<string> =
    config.resourceGroup ??
    new azure.resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: `pledge-${config.name}`, location: config.region, tags },
      opts,
    ).name;

  const pools = resolvePools(config);
  const systemPools = pools.filter((p) => p.mode === "system");
  const entra = config.entraId;
  const cluster = new azure.containerservice.ManagedCluster(
    name,
    {
      resourceGroupName,
      resourceName: config.name,
      location: config.region,
      dnsPrefix: config.name,
      kubernetesVersion: config.version,
      identity: { type: "SystemAssigned" },
      enableRBAC: true,
      agentPoolProfiles: systemPools.map((p) => ({ name: p.name, ...aksPoolProfile(p, config) })),
      networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", loadBalancerSku: "standard" },
      aadProfile: entra
        ? {
            managed: true,
            enableAzureRBAC: entra.azureRbac,
            adminGroupObjectIDs: entra.adminGroupObjectIds,
            tenantID: entra.tenantId,
          }
        : undefined,
      disableLocalAccounts: entra ? entra.disableLocalAccounts : false,
      oidcIssuerProfile: { enabled: config.workloadIdentity },
      securityProfile: { workloadIdentity: { enabled: config.workloadIdentity } },
      tags,
    },
    // The autoscaler owns the node counts of autoscaled pools once they exist.
    { ...opts, ignoreChanges: systemPools.flatMap((p, i) => (isAutoscaled(p) ? [`agentPoolProfiles[${i}].count`] : [])) },
  );

  const userPools = pools
    .filter((p) => p.mode === "user")
    .map(
      (p) =>
        new azure.containerservice.AgentPool(
          `${name}-pool-${p.name}`,
          { resourceGroupName, resourceName: cluster.name, agentPoolName: p.name, ...aksPoolProfile(p, config) },
          { ...opts, ignoreChanges: isAutoscaled(p) ? ["count"] : [] },
        ),
    );

  const credentials = azure.containerservice.listManagedClusterUserCredentialsOutput(
    // "exec" asks AKS for a kubelogin kubeconfig; Pledge keeps its server and CA and sets a non-interactive login.
    { resourceGroupName, resourceName: cluster.name, ...(entra ? { format: "exec" } : {}) },
    { parent, provider },
  );
  const kubeconfig = pulumi.secret(
    credentials.kubeconfigs.apply((kubeconfigs) => {
      const encoded = kubeconfigs[0]?.value;
      if (!encoded) throw new Error(`AKS returned no user credentials for ${config.name}`);
      return aksKubeconfig(
        config.name,
        Buffer.from(encoded, "base64").toString("utf8"),
        entra ? { login: entra.login, tenantId: entra.tenantId } : undefined,
      );
    }),
  );
  return { provider, cluster, userPools, kubeconfig };
}
