// pledge:index:GkeCluster: a GKE Standard cluster without its default pool,
// Pledge's node pools (GPU with accelerators, Arm), Workload Identity, and a
// new VPC network unless one is given. Everything goes through an explicit
// gcp provider for the project; the kubeconfig runs gke-gcloud-auth-plugin.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { GkeClusterConfig } from "../config/schema";
import { defaultGkeSubnetCidr } from "../fleet/cloud-checks";
import { execKubeconfig, gkeAuthPlugin } from "../fleet/kubeconfig-exec";
import { resolvePools, upperSnakeEffect } from "../fleet/node-pools";

/** GKE's usual number of zones for a regional cluster's nodes when none are given. */
export const defaultRegionalZones = 3;

/**
 * GKE sizes a pool's start per zone; Pledge's desired is for the whole pool.
 * Rounded up, so a regional pool starts with at least one node in each zone.
 */
export function gkeInitialNodeCount(desired: number, config: Pick<GkeClusterConfig, "zones" | "location" | "region">): number {
  const zonal = config.location !== undefined && config.location !== config.region;
  const zones = config.zones?.length ?? (zonal ? 1 : defaultRegionalZones);
  return Math.ceil(desired / zones);
}

export class GkeCluster extends pulumi.ComponentResource {
  /** Exec kubeconfig (gke-gcloud-auth-plugin), secret. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly cluster: gcp.container.Cluster;
  readonly nodePools: gcp.container.NodePool[];

  constructor(name: string, config: GkeClusterConfig, opts?: pulumi.ComponentResourceOptions) {
    super("pledge:index:GkeCluster", name, {}, opts);
    const parts = createGke(name, config, this);
    this.kubeconfig = parts.kubeconfig;
    this.cluster = parts.cluster;
    this.nodePools = parts.nodePools;
    this.registerOutputs({ clusterName: parts.cluster.name, endpoint: parts.cluster.endpoint });
  }
}

export function createGke(name: string, config: GkeClusterConfig, parent: pulumi.Resource) {
  const provider = new gcp.Provider(
    `${name}-gcp`,
    { project: config.project, region: config.region, defaultLabels: { "pledge-cluster": config.name, "managed-by": "pledge" } },
    { parent },
  );
  const opts: pulumi.CustomResourceOptions = { parent, provider };
  const location = config.location ?? config.region;

  let network: pulumi.Input<string>;
  let subnetwork: pulumi.Input<string> | undefined;
  if (config.network.name) {
    network = config.network.name;
    subnetwork = config.network.subnetwork;
  } else {
    const net = new gcp.compute.Network(`${name}-net`, { autoCreateSubnetworks: false }, opts);
    network = net.id;
    subnetwork = new gcp.compute.Subnetwork(
      `${name}-subnet`,
      {
        network: net.id,
        region: config.region,
        ipCidrRange: config.network.cidr ?? defaultGkeSubnetCidr,
        privateIpGoogleAccess: true,
      },
      opts,
    ).id;
  }

  const cluster = new gcp.container.Cluster(
    name,
    {
      name: config.name,
      location,
      minMasterVersion: config.version,
      releaseChannel: { channel: "REGULAR" },
      // Pools are Pledge's own resources: the default one goes as soon as the cluster exists.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      network,
      subnetwork,
      ipAllocationPolicy: {},
      workloadIdentityConfig: config.workloadIdentity ? { workloadPool: `${config.project}.svc.id.goog` } : undefined,
      deletionProtection: config.deletionProtection,
    },
    opts,
  );

  const nodePools = resolvePools(config).map(
    (pool) =>
      new gcp.container.NodePool(
        `${name}-pool-${pool.name}`,
        {
          name: pool.name,
          cluster: cluster.name,
          location,
          nodeLocations: config.zones,
          initialNodeCount: gkeInitialNodeCount(pool.desired, config),
          autoscaling: { totalMinNodeCount: pool.min, totalMaxNodeCount: pool.max, locationPolicy: "BALANCED" },
          management: { autoRepair: true, autoUpgrade: true },
          nodeConfig: {
            machineType: pool.machineType,
            diskSizeGb: pool.diskSizeGb,
            spot: pool.spot,
            labels: pool.nodeLabels,
            taints: pool.taints.map((t) => ({ key: t.key, value: t.value ?? "", effect: upperSnakeEffect(t.effect) })),
            guestAccelerators: pool.gpu
              ? [{ type: pool.gpu.type, count: pool.gpu.count, gpuDriverInstallationConfig: { gpuDriverVersion: "DEFAULT" } }]
              : undefined,
            oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
            workloadMetadataConfig: config.workloadIdentity ? { mode: "GKE_METADATA" } : undefined,
          },
        },
        // Changing GKE's initial count would recreate the pool; the autoscaler owns the size anyway.
        { ...opts, ignoreChanges: ["initialNodeCount"] },
      ),
  );

  const kubeconfig = pulumi.secret(
    pulumi
      .all([cluster.endpoint, cluster.masterAuth])
      .apply(([endpoint, auth]) =>
        execKubeconfig(
          config.name,
          { server: `https://${endpoint}`, certificateAuthorityData: auth.clusterCaCertificate },
          gkeAuthPlugin(),
        ),
      ),
  );
  return { provider, cluster, nodePools, kubeconfig };
}
