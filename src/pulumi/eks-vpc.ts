// A VPC for an EKS cluster: per zone a private subnet (nodes, pods) and a
// public one (load balancers), an internet gateway, and one NAT gateway for
// the private subnets' egress. One NAT, not one per zone: cheaper, at the
// price of egress depending on one zone (docs/clouds.md).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planVpcSubnets } from "../fleet/subnets";

export interface EksVpcArgs {
  cidr: string;
  /** Zone names; Outputs when they come from getAvailabilityZones. */
  zones: pulumi.Input<string>[];
}

export interface EksVpc {
  vpc: aws.ec2.Vpc;
  privateSubnetIds: pulumi.Output<string>[];
  publicSubnetIds: pulumi.Output<string>[];
}

export function createEksVpc(name: string, args: EksVpcArgs, opts: pulumi.CustomResourceOptions): EksVpc {
  const plan = planVpcSubnets(args.cidr, args.zones.length);
  const vpc = new aws.ec2.Vpc(
    `${name}-vpc`,
    { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } },
    opts,
  );
  const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: name } }, opts);
  const publicRoutes = new aws.ec2.RouteTable(
    `${name}-public`,
    { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }], tags: { Name: `${name}-public` } },
    opts,
  );
  const publicSubnets = args.zones.map((zone, i) => {
    const subnet = new aws.ec2.Subnet(
      `${name}-public-${i}`,
      {
        vpcId: vpc.id,
        cidrBlock: plan.public[i]!,
        availabilityZone: zone,
        mapPublicIpOnLaunch: true,
        tags: { Name: `${name}-public-${i}`, "kubernetes.io/role/elb": "1" },
      },
      opts,
    );
    new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, opts);
    return subnet;
  });
  const natAddress = new aws.ec2.Eip(`${name}-nat`, { domain: "vpc", tags: { Name: `${name}-nat` } }, opts);
  const nat = new aws.ec2.NatGateway(
    `${name}-nat`,
    { allocationId: natAddress.id, subnetId: publicSubnets[0]!.id, tags: { Name: name } },
    { ...opts, dependsOn: [gateway] },
  );
  const privateRoutes = new aws.ec2.RouteTable(
    `${name}-private`,
    { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }], tags: { Name: `${name}-private` } },
    opts,
  );
  const privateSubnets = args.zones.map((zone, i) => {
    const subnet = new aws.ec2.Subnet(
      `${name}-private-${i}`,
      {
        vpcId: vpc.id,
        cidrBlock: plan.private[i]!,
        availabilityZone: zone,
        tags: { Name: `${name}-private-${i}`, "kubernetes.io/role/internal-elb": "1" },
      },
      opts,
    );
    new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: privateRoutes.id }, opts);
    return subnet;
  });
  return { vpc, privateSubnetIds: privateSubnets.map((s) => s.id), publicSubnetIds: publicSubnets.map((s) => s.id) };
}
