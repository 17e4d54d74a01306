// An EKS cluster under Pulumi mocks: the resource graph Pledge registers, the
// kubeconfig it hands the Kubernetes provider, and what it never does.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { byType, one, providerName, runFleet, secretValue, type Registered } from "../mocks";

const cluster = {
  name: "prod-eu",
  source: "eks",
  region: "eu-west-1",
  roleArn: "arn:aws:iam::123456789012:role/pledge-deployer",
  adminPrincipals: ["arn:aws:iam::123456789012:role/platform-admins", "arn:aws:iam::123456789012:user/alice"],
  nodePools: [
    { name: "general", instanceType: "m6i.large", min: 2, max: 6, desired: 3 },
    { name: "gpu", instanceType: "g5.xlarge", gpu: { type: "nvidia-a10g" }, min: 0, max: 4, labels: { accelerator: "a10g" } },
    { name: "arm", instanceType: "m7g.large", min: 1, max: 3 },
  ],
};

async function graph(overrides: Record<string, unknown> = {}) {
  const run = await runFleet({ "pledge:clusters": [{ ...cluster, ...overrides }] });
  assert.equal(run.error, undefined, String(run.error));
  return run;
}

const policyOf = (r: Registered) => String(r.inputs.policyArn).split("/").pop();

describe("EKS cluster", () => {
  it("creates the cluster and node roles with the AWS managed policies attached", async () => {
    const { registered } = await graph();
    const roles = byType(registered, "aws:iam/role:Role");
    assert.deepEqual(roles.map((r) => r.name).sort(), ["prod-eu-cluster-role", "prod-eu-node-role"]);
    const trusted = (name: string) =>
      JSON.parse(one(registered, "aws:iam/role:Role", name).inputs.assumeRolePolicy).Statement[0].Principal.Service;
    assert.equal(trusted("prod-eu-cluster-role"), "eks.amazonaws.com");
    assert.equal(trusted("prod-eu-node-role"), "ec2.amazonaws.com");
    const attachments = byType(registered, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    const attachedTo = (role: string) =>
      attachments
        .filter((a) => a.inputs.role === `${role}-1234567`)
        .map(policyOf)
        .sort();
    assert.deepEqual(attachedTo("prod-eu-cluster-role"), ["AmazonEKSClusterPolicy"]);
    assert.deepEqual(attachedTo("prod-eu-node-role"), [
      "AmazonEC2ContainerRegistryReadOnly",
      "AmazonEKSWorkerNodePolicy",
      "AmazonEKS_CNI_Policy",
    ]);
    assert.ok(attachments.every((a) => String(a.inputs.policyArn).startsWith("arn:aws:iam::aws:policy/")));
  });

  it("grants admins through access entries, never the aws-auth ConfigMap", async () => {
    const { registered } = await graph();
    const eks = one(registered, "aws:eks/cluster:Cluster", "prod-eu");
    assert.deepEqual(eks.inputs.accessConfig, { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
    assert.deepEqual(
      byType(registered, "aws:eks/accessEntry:AccessEntry").map((e) => [e.inputs.principalArn, e.inputs.type]),
      [
        ["arn:aws:iam::123456789012:role/platform-admins", "STANDARD"],
        ["arn:aws:iam::123456789012:user/alice", "STANDARD"],
      ],
    );
    const associations = byType(registered, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
    assert.deepEqual(
      associations.map((a) => [a.inputs.principalArn, policyOf(a), a.inputs.accessScope.type]),
      [
        ["arn:aws:iam::123456789012:role/platform-admins", "AmazonEKSClusterAdminPolicy", "cluster"],
        ["arn:aws:iam::123456789012:user/alice", "AmazonEKSClusterAdminPolicy", "cluster"],
      ],
    );
    assert.ok(
      !registered.some((r) => r.type === "kubernetes:core/v1:ConfigMap" && JSON.stringify(r.inputs).includes("aws-auth")),
    );
  });

  it("creates one managed node group per pool with its sizes", async () => {
    const { registered } = await graph();
    const groups = byType(registered, "aws:eks/nodeGroup:NodeGroup");
    assert.deepEqual(groups.map((g) => [g.name, g.inputs.instanceTypes, g.inputs.scalingConfig]).sort(), [
      ["prod-eu-pool-arm", ["m7g.large"], { minSize: 1, desiredSize: 1, maxSize: 3 }],
      ["prod-eu-pool-general", ["m6i.large"], { minSize: 2, desiredSize: 3, maxSize: 6 }],
      ["prod-eu-pool-gpu", ["g5.xlarge"], { minSize: 0, desiredSize: 0, maxSize: 4 }],
    ]);
    assert.ok(
      groups.every(
        (g) =>
          g.inputs.clusterName === "prod-eu" &&
          g.inputs.nodeRoleArn === "arn:aws:iam::123456789012:role/prod-eu-node-role-1234567",
      ),
    );
  });

  it("taints and labels the GPU pool and gives it the NVIDIA image; Arm gets the Arm image", async () => {
    const { registered } = await graph();
    const gpu = one(registered, "aws:eks/nodeGroup:NodeGroup", "prod-eu-pool-gpu");
    assert.deepEqual(gpu.inputs.taints, [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
    assert.deepEqual(gpu.inputs.labels, { accelerator: "a10g", "pledge.dev/pool": "gpu" });
    assert.equal(gpu.inputs.amiType, "AL2023_x86_64_NVIDIA");
    assert.equal(one(registered, "aws:eks/nodeGroup:NodeGroup", "prod-eu-pool-arm").inputs.amiType, "AL2023_ARM_64_STANDARD");
    assert.deepEqual(one(registered, "aws:eks/nodeGroup:NodeGroup", "prod-eu-pool-general").inputs.taints, []);
  });

  it("builds a new VPC in the region's first two zones: nodes in private subnets, the cluster in all", async () => {
    const { registered, invoked } = await graph();
    assert.equal(one(registered, "aws:ec2/vpc:Vpc", "prod-eu-vpc").inputs.cidrBlock, "10.0.0.0/16");
    const subnets = byType(registered, "aws:ec2/subnet:Subnet");
    assert.deepEqual(subnets.map((s) => [s.name, s.inputs.availabilityZone, s.inputs.cidrBlock]).sort(), [
      ["prod-eu-private-0", "eu-west-1a", "10.0.0.0/18"],
      ["prod-eu-private-1", "eu-west-1b", "10.0.64.0/18"],
      ["prod-eu-public-0", "eu-west-1a", "10.0.192.0/20"],
      ["prod-eu-public-1", "eu-west-1b", "10.0.208.0/20"],
    ]);
    assert.equal(byType(registered, "aws:ec2/natGateway:NatGateway").length, 1);
    assert.deepEqual(one(registered, "aws:eks/nodeGroup:NodeGroup", "prod-eu-pool-general").inputs.subnetIds, [
      "prod-eu-private-0-id",
      "prod-eu-private-1-id",
    ]);
    assert.equal(one(registered, "aws:eks/cluster:Cluster", "prod-eu").inputs.vpcConfig.subnetIds.length, 4);
    assert.deepEqual(
      invoked.map((i) => [i.token, providerName(i.provider)]),
      [["aws:index/getAvailabilityZones:getAvailabilityZones", "prod-eu-aws"]],
    );
  });

  it("uses given subnets as they are: no VPC, no zone lookup", async () => {
    const { registered, invoked } = await graph({ vpc: { subnetIds: ["subnet-a", "subnet-b"] } });
    assert.equal(byType(registered, "aws:ec2/vpc:Vpc").length, 0);
    assert.equal(invoked.length, 0);
    assert.deepEqual(one(registered, "aws:eks/cluster:Cluster", "prod-eu").inputs.vpcConfig.subnetIds, ["subnet-a", "subnet-b"]);
  });

  it("sends every AWS resource through the cluster's own provider for its region", async () => {
    const { registered } = await graph({ profile: "platform" });
    const provider = one(registered, "pulumi:providers:aws", "prod-eu-aws");
    assert.equal(provider.inputs.region, "eu-west-1");
    assert.equal(provider.inputs.profile, "platform");
    assert.match(provider.inputs.assumeRoles, /pledge-deployer/);
    const awsResources = registered.filter((r) => r.type.startsWith("aws:"));
    assert.ok(awsResources.length > 10);
    for (const r of awsResources) assert.equal(providerName(r.provider), "prod-eu-aws", `${r.type} ${r.name}`);
  });

  it("hands Kubernetes a secret exec kubeconfig: aws eks get-token with cluster, region, role and profile", async () => {
    const { registered } = await graph({ profile: "platform" });
    const k8s = one(registered, "pulumi:providers:kubernetes", "prod-eu-k8s");
    const kubeconfig = secretValue(k8s.inputs.kubeconfig);
    assert.ok(kubeconfig, "the kubeconfig reached the provider in plain text");
    const doc = parseYaml(kubeconfig);
    assert.equal(doc.clusters[0].cluster.server, "https://prod-eu-a.gr7.eu-west-1.eks.amazonaws.com");
    assert.equal(doc.clusters[0].cluster["certificate-authority-data"], Buffer.from("eks-ca-prod-eu-a").toString("base64"));
    const user = doc.users[0].user;
    assert.deepEqual(Object.keys(user), ["exec"], "no token or certificate in the kubeconfig");
    assert.equal(user.exec.command, "aws");
    assert.deepEqual(user.exec.args, [
      "eks",
      "get-token",
      "--cluster-name",
      "prod-eu",
      "--region",
      "eu-west-1",
      "--output",
      "json",
      "--role-arn",
      "arn:aws:iam::123456789012:role/pledge-deployer",
      "--profile",
      "platform",
    ]);
  });

  it("keeps the provider's clusterIdentifier when the endpoint and CA change", async () => {
    const before = await runFleet({ "pledge:clusters": [cluster] }, { endpointVariant: "a" });
    const after = await runFleet({ "pledge:clusters": [cluster] }, { endpointVariant: "rotated" });
    const [p1, p2] = [before, after].map((r) => one(r.registered, "pulumi:providers:kubernetes", "prod-eu-k8s").inputs);
    assert.notEqual(secretValue(p1.kubeconfig), secretValue(p2.kubeconfig));
    assert.equal(p1.clusterIdentifier, "prod-eu");
    assert.equal(p2.clusterIdentifier, "prod-eu");
  });

  it("nests the cloud resources under pledge:index:EksCluster", async () => {
    const { registered } = await graph();
    const group = one(registered, "aws:eks/nodeGroup:NodeGroup", "prod-eu-pool-gpu");
    // A provider reference is its URN, which spells the provider's parent type (mock URNs show the nearest one).
    assert.match(group.provider!, /::pledge:index:EksCluster\$pulumi:providers:aws::prod-eu-aws::/);
  });
});
