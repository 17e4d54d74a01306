// pledge:index:EksCluster: an EKS cluster with its IAM roles, managed node
// groups (GPU and Arm included), access entries (not the aws-auth ConfigMap)
// and, unless subnets are given, its own VPC. Everything goes through an
// explicit AWS provider for the cluster's region; the kubeconfig runs
// `aws eks get-token`, so it holds no token.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EksClusterConfig } from "../config/schema";
import { defaultVpcCidr } from "../fleet/cloud-checks";
import { createEksVpc } from "./eks-vpc";
import { eksGetToken, execKubeconfig } from "../fleet/kubeconfig-exec";
import { isAutoscaled, resolvePools, upperSnakeEffect, type ResolvedPool } from "../fleet/node-pools";

export function awsPartition(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Amazon Linux 2023 images: the NVIDIA variant for GPU pools, the Arm one for Graviton. */
export function eksAmiType(pool: Pick<ResolvedPool, "arch" | "gpu">): string {
  const arch = pool.arch === "arm64" ? "ARM_64" : "x86_64";
  return `AL2023_${arch}_${pool.gpu ? "NVIDIA" : "STANDARD"}`;
}

export const eksClusterPolicies = ["AmazonEKSClusterPolicy"];
export const eksNodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"];
export const eksAdminAccessPolicy = "AmazonEKSClusterAdminPolicy";

/** Resource-name suffixes for admin principals: the role or user name, with the account when two collide. */
export function accessEntrySuffixes(arns: readonly string[]): string[] {
  const parse = (arn: string) => {
    const [, , , , account = "", resource = ""] = arn.split(":");
    const [kind = "", ...path] = resource.split("/");
    return { account, short: `${kind}-${path[path.length - 1] ?? ""}`.toLowerCase().replace(/[^a-z0-9-]/g, "-") };
  };
  const parsed = arns.map(parse);
  return parsed.map((p) => (parsed.filter((q) => q.short === p.short).length > 1 ? `${p.short}-${p.account}` : p.short));
}

function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
  });
}

function serviceRole(name: string, service: string, policies: string[], partition: string, opts: pulumi.CustomResourceOptions) {
  const role = new aws.iam.Role(name, { assumeRolePolicy: assumeRolePolicy(service) }, opts);
  const attachments = policies.map(
    (policy) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-${policy}`,
        { role: role.name, policyArn: `arn:${partition}:iam::aws:policy/${policy}` },
        opts,
      ),
  );
  return { role, attachments };
}

/** Without zones in config: the region's first two that need no opt-in, known at deploy time (so not in labels). */
function firstTwoZones(region: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string>[] {
  const names = aws.getAvailabilityZonesOutput(
    { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
    opts,
  ).names;
  return [0, 1].map((i) =>
    names.apply((all) => {
      const zone = all[i];
      if (!zone)
        throw new Error(
          `${region} has fewer than two availability zones available to this account: list the subnets in vpc.subnetIds`,
        );
      return zone;
    }),
  );
}

export class EksCluster extends pulumi.ComponentResource {
  /** Exec kubeconfig (`aws eks get-token`), secret. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly cluster: aws.eks.Cluster;
  readonly nodePools: aws.eks.NodeGroup[];

  constructor(name: string, config: EksClusterConfig, opts?: pulumi.ComponentResourceOptions) {
    super("pledge:index:EksCluster", name, {}, opts);
    const parts = createEks(name, config, this);
    this.kubeconfig = parts.kubeconfig;
    this.cluster = parts.cluster;
    this.nodePools = parts.nodePools;
    this.registerOutputs({ clusterName: parts.cluster.name, endpoint: parts.cluster.endpoint });
  }
}

export function createEks(name: string, config: EksClusterConfig, parent: pulumi.Resource) {
  const provider = new aws.Provider(
    `${name}-aws`,
    {
      region: config.region as aws.Region,
      profile: config.profile,
      assumeRoles: config.roleArn ? [{ roleArn: config.roleArn, sessionName: "pledge" }] : undefined,
      defaultTags: { tags: { "pledge.dev/cluster": config.name, "pledge.dev/managed-by": "pledge" } },
    },
    { parent },
  );
  const opts: pulumi.CustomResourceOptions = { parent, provider };
  const partition = awsPartition(config.region);

  let clusterSubnets: pulumi.Input<string>[];
  let nodeSubnets: pulumi.Input<string>[];
  if (config.vpc.subnetIds) {
    clusterSubnets = nodeSubnets = config.vpc.subnetIds;
  } else {
    const zones = config.zones ?? firstTwoZones(config.region, { parent, provider });
    const vpc = createEksVpc(name, { cidr: config.vpc.cidr ?? defaultVpcCidr, zones }, opts);
    nodeSubnets = vpc.privateSubnetIds;
    clusterSubnets = [...vpc.privateSubnetIds, ...vpc.publicSubnetIds];
  }

  const clusterRole = serviceRole(`${name}-cluster-role`, "eks.amazonaws.com", eksClusterPolicies, partition, opts);
  const cluster = new aws.eks.Cluster(
    name,
    {
      name: config.name,
      version: config.version,
      roleArn: clusterRole.role.arn,
      vpcConfig: { subnetIds: clusterSubnets, endpointPublicAccess: true, endpointPrivateAccess: true },
      // Access entries only: the identity running Pulumi is admin from creation, others are listed below.
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
    },
    { ...opts, dependsOn: clusterRole.attachments },
  );

  const suffixes = accessEntrySuffixes(config.adminPrincipals);
  config.adminPrincipals.forEach((principalArn, i) => {
    const entry = new aws.eks.AccessEntry(
      `${name}-admin-${suffixes[i]}`,
      { clusterName: cluster.name, principalArn, type: "STANDARD" },
      opts,
    );
    new aws.eks.AccessPolicyAssociation(
      `${name}-admin-${suffixes[i]}`,
      {
        clusterName: cluster.name,
        principalArn,
        policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${eksAdminAccessPolicy}`,
        accessScope: { type: "cluster" },
      },
      { ...opts, dependsOn: [entry] },
    );
  });

  const nodeRole = serviceRole(`${name}-node-role`, "ec2.amazonaws.com", eksNodePolicies, partition, opts);
  const nodePools = resolvePools(config).map(
    (pool) =>
      new aws.eks.NodeGroup(
        `${name}-pool-${pool.name}`,
        {
          clusterName: cluster.name,
          nodeRoleArn: nodeRole.role.arn,
          subnetIds: nodeSubnets,
          instanceTypes: [pool.machineType],
          amiType: eksAmiType(pool),
          capacityType: pool.spot ? "SPOT" : "ON_DEMAND",
          diskSize: pool.diskSizeGb,
          scalingConfig: { minSize: pool.min, maxSize: pool.max, desiredSize: pool.desired },
          labels: pool.nodeLabels,
          taints: pool.taints.map((t) => ({ key: t.key, value: t.value, effect: upperSnakeEffect(t.effect) })),
        },
        // An autoscaler owns the node count of an autoscaled pool once it exists.
        { ...opts, dependsOn: nodeRole.attachments, ignoreChanges: isAutoscaled(pool) ? ["scalingConfig.desiredSize"] : [] },
      ),
  );

  const token = eksGetToken({
    clusterName: config.name,
    region: config.region,
    roleArn: config.roleArn,
    profile: config.profile,
  });
  const kubeconfig = pulumi.secret(
    pulumi
      .all([cluster.endpoint, cluster.certificateAuthority])
      .apply(([server, ca]) => execKubeconfig(config.name, { server, certificateAuthorityData: ca.data ?? "" }, token)),
  );
  return { provider, cluster, nodePools, kubeconfig };
}
