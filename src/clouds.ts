// Cloud cluster components, for platform programs that compose their own
// clusters (`import { EksCluster } from "pledge/clouds"`). A separate entry:
// it loads the AWS, Azure and Google Cloud SDKs, which pledgeProgram only loads
// when the fleet has cloud clusters.
export { AksCluster } from "./pulumi/aks";
export { EksCluster } from "./pulumi/eks";
export { GkeCluster } from "./pulumi/gke";
export type { AksClusterConfig, EksClusterConfig, GkeClusterConfig } from "./config/schema";
