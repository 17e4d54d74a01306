// Cross-field checks of cloud clusters that the schema cannot express: a
// region and its zones, a network given twice, ARNs and IDs in the wrong
// shape. Each issue has the key path and what would be right. Pure.
import type { Issue } from "../issues";
import type { AksClusterConfig, CloudClusterConfig, EksClusterConfig, GkeClusterConfig } from "../config/schema";
import { checkNodePools } from "./node-pools";
import { maxVpcZones, vpcCidrProblem } from "./subnets";

const awsRegion = /^[a-z]{2}(-[a-z]+)+-\d$/;
const iamPrincipal = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
const iamRole = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const azureLocation = /^[a-z]+[a-z0-9]*$/;
const gcpRegion = /^[a-z]+-[a-z]+\d+$/;
const gcpProject = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

function checkEks(c: EksClusterConfig, path: string, issues: Issue[]): void {
  if (!awsRegion.test(c.region))
    issues.push({
      path: `${path}.region`,
      message: `${JSON.stringify(c.region)} is not an AWS region`,
      hint: "e.g. eu-west-1, us-east-2",
    });
  c.zones?.forEach((zone, i) => {
    if (!zone.startsWith(c.region) || zone.length === c.region.length)
      issues.push({
        path: `${path}.zones[${i}]`,
        message: `${JSON.stringify(zone)} is not a zone of ${c.region}`,
        hint: `e.g. ${c.region}a`,
      });
  });
  if (c.vpc.subnetIds !== undefined) {
    if (c.vpc.cidr !== undefined)
      issues.push({ path: `${path}.vpc`, message: "give either cidr (a new VPC) or subnetIds (an existing one), not both" });
    if (c.vpc.subnetIds.length < 2)
      issues.push({
        path: `${path}.vpc.subnetIds`,
        message: "EKS needs subnets in at least two availability zones",
        hint: "list two or more private subnet IDs",
      });
  } else {
    const problem = vpcCidrProblem(c.vpc.cidr ?? defaultVpcCidr);
    if (problem) issues.push({ path: `${path}.vpc.cidr`, message: problem });
    if (c.zones && (c.zones.length < 2 || c.zones.length > maxVpcZones)) {
      issues.push({
        path: `${path}.zones`,
        message: `a new VPC spans 2 to ${maxVpcZones} zones, not ${c.zones.length}`,
        hint: "EKS needs two zones at least",
      });
    }
  }
  c.adminPrincipals.forEach((arn, i) => {
    if (!iamPrincipal.test(arn)) {
      issues.push({
        path: `${path}.adminPrincipals[${i}]`,
        message: `${JSON.stringify(arn)} is not an IAM role or user ARN`,
        hint: "e.g. arn:aws:iam::123456789012:role/platform-admins (not an assumed-role session ARN)",
      });
    }
  });
  if (c.roleArn !== undefined && !iamRole.test(c.roleArn)) {
    issues.push({
      path: `${path}.roleArn`,
      message: `${JSON.stringify(c.roleArn)} is not an IAM role ARN`,
      hint: "e.g. arn:aws:iam::123456789012:role/pledge-deployer",
    });
  }
}

function checkAks(c: AksClusterConfig, path: string, issues: Issue[]): void {
  if (!azureLocation.test(c.region))
    issues.push({
      path: `${path}.region`,
      message: `${JSON.stringify(c.region)} is not an Azure location name`,
      hint: "e.g. westeurope, eastus2 (lowercase, no spaces)",
    });
  c.zones?.forEach((zone, i) => {
    if (!["1", "2", "3"].includes(zone))
      issues.push({
        path: `${path}.zones[${i}]`,
        message: `${JSON.stringify(zone)} is not an Azure availability zone`,
        hint: 'Azure zones are "1", "2" and "3"',
      });
  });
  if (c.subscriptionId !== undefined && !guid.test(c.subscriptionId))
    issues.push({
      path: `${path}.subscriptionId`,
      message: `${JSON.stringify(c.subscriptionId)} is not a subscription ID (a GUID)`,
    });
  if (c.entraId) {
    c.entraId.adminGroupObjectIds.forEach((id, i) => {
      if (!guid.test(id))
        issues.push({
          path: `${path}.entraId.adminGroupObjectIds[${i}]`,
          message: `${JSON.stringify(id)} is not an Entra group object ID (a GUID)`,
        });
    });
    if (c.entraId.adminGroupObjectIds.length === 0 && !c.entraId.azureRbac) {
      issues.push({
        path: `${path}.entraId.adminGroupObjectIds`,
        message: "nobody could administer this cluster, Pledge included: Pledge reaches it as the identity running `pulumi up`",
        hint: "add the object ID of a group that identity is in, or set azureRbac: true and grant it Azure Kubernetes Service RBAC Cluster Admin",
      });
    }
  }
}

function checkGke(c: GkeClusterConfig, path: string, issues: Issue[]): void {
  if (!gcpProject.test(c.project))
    issues.push({
      path: `${path}.project`,
      message: `${JSON.stringify(c.project)} is not a Google Cloud project ID`,
      hint: "the ID, not the display name: 6 to 30 lowercase letters, digits and '-'",
    });
  if (!gcpRegion.test(c.region))
    issues.push({
      path: `${path}.region`,
      message: `${JSON.stringify(c.region)} is not a Google Cloud region`,
      hint: "e.g. europe-west1, us-central1",
    });
  if (c.location !== undefined && c.location !== c.region && !c.location.startsWith(`${c.region}-`)) {
    issues.push({
      path: `${path}.location`,
      message: `${JSON.stringify(c.location)} is neither ${c.region} nor one of its zones`,
      hint: `e.g. ${c.region} (regional) or ${c.region}-b (zonal)`,
    });
  }
  c.zones?.forEach((zone, i) => {
    if (!zone.startsWith(`${c.region}-`))
      issues.push({
        path: `${path}.zones[${i}]`,
        message: `${JSON.stringify(zone)} is not a zone of ${c.region}`,
        hint: `e.g. ${c.region}-b`,
      });
  });
  const { name, subnetwork, cidr } = c.network;
  if (subnetwork !== undefined && name === undefined)
    issues.push({
      path: `${path}.network.name`,
      message: "is required with network.subnetwork",
      hint: "the VPC network the subnetwork belongs to",
    });
  if (cidr !== undefined && name !== undefined)
    issues.push({ path: `${path}.network.cidr`, message: "applies only to a new network; remove it or network.name" });
  if (name === undefined) {
    const problem = vpcCidrProblem(cidr ?? defaultGkeSubnetCidr);
    if (problem) issues.push({ path: `${path}.network.cidr`, message: problem });
  }
}

export const defaultVpcCidr = "10.0.0.0/16";
export const defaultGkeSubnetCidr = "10.10.0.0/20";

/** Every problem with a cloud cluster's own fields and its node pools. */
export function checkCloudCluster(cluster: CloudClusterConfig, path: string, issues: Issue[]): void {
  switch (cluster.source) {
    case "eks":
      checkEks(cluster, path, issues);
      break;
    case "aks":
      checkAks(cluster, path, issues);
      break;
    case "gke":
      checkGke(cluster, path, issues);
      break;
  }
  checkNodePools(cluster, path, issues);
}
