// Kubeconfigs for cloud clusters that hold no credentials: each runs an exec
// plugin (aws, gke-gcloud-auth-plugin, kubelogin) for a fresh short-lived
// token on every connection, so no token ever reaches Pulumi state and a long
// update never outlives its token. Pure: documents in, JSON text out.
import { parse as parseYaml } from "yaml";

export const execApiVersion = "client.authentication.k8s.io/v1beta1";

export interface ExecPlugin {
  command: string;
  args: string[];
  env?: { name: string; value: string }[];
  /** Shown by client-go when the command is missing. */
  installHint: string;
  provideClusterInfo?: boolean;
}

export interface ClusterEndpoint {
  /** https://... */
  server: string;
  /** Base64 PEM of the cluster CA. */
  certificateAuthorityData: string;
}

/** A one-context kubeconfig whose user is an exec plugin, as JSON (a kubeconfig is YAML; JSON is YAML). */
export function execKubeconfig(name: string, endpoint: ClusterEndpoint, plugin: ExecPlugin): string {
  const exec: Record<string, unknown> = {
    apiVersion: execApiVersion,
    command: plugin.command,
    args: plugin.args,
    installHint: plugin.installHint,
  };
  if (plugin.env && plugin.env.length > 0) exec.env = plugin.env;
  if (plugin.provideClusterInfo) exec.provideClusterInfo = true;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: endpoint.server, "certificate-authority-data": endpoint.certificateAuthorityData } }],
    users: [{ name, user: { exec } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
  });
}

export interface EksTokenOptions {
  clusterName: string;
  region: string;
  /** Assume this role for the token (`--role-arn`). */
  roleArn?: string;
  /** AWS CLI profile; an argument, not AWS_PROFILE, which ambient credentials could override. */
  profile?: string;
}

export function eksGetToken(o: EksTokenOptions): ExecPlugin {
  const args = ["eks", "get-token", "--cluster-name", o.clusterName, "--region", o.region, "--output", "json"];
  if (o.roleArn) args.push("--role-arn", o.roleArn);
  if (o.profile) args.push("--profile", o.profile);
  return {
    command: "aws",
    args,
    installHint:
      "Pledge's EKS kubeconfigs run `aws eks get-token`: install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) and configure credentials where pulumi runs.",
  };
}

export function gkeAuthPlugin(): ExecPlugin {
  return {
    command: "gke-gcloud-auth-plugin",
    args: [],
    installHint:
      "Pledge's GKE kubeconfigs run gke-gcloud-auth-plugin: `gcloud components install gke-gcloud-auth-plugin` (https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin), then `gcloud auth application-default login` or workload identity federation in CI.",
    provideClusterInfo: true,
  };
}

export type KubeloginLogin = "azurecli" | "workloadidentity" | "spn" | "msi";

/** The Entra application every AKS cluster's API server accepts tokens for. */
export const aksEntraServerId = "6dae42f8-4368-4678-94ff-3960e28e3630";

export function kubeloginGetToken(o: { login: KubeloginLogin; serverId?: string; tenantId?: string }): ExecPlugin {
  const args = ["get-token", "--login", o.login, "--server-id", o.serverId ?? aksEntraServerId];
  // spn reads the client id and secret from AAD_SERVICE_PRINCIPAL_CLIENT_ID/_SECRET, workloadidentity from AZURE_* variables.
  if (o.tenantId && o.login === "spn") args.push("--tenant-id", o.tenantId);
  return {
    command: "kubelogin",
    args,
    installHint:
      "Pledge's Entra ID AKS kubeconfigs run kubelogin: `az aks install-cli` or https://azure.github.io/kubelogin/install.html; with --login azurecli, run `az login` first.",
  };
}

interface KubeconfigDoc {
  clusters?: { name: string; cluster: { server?: string; "certificate-authority-data"?: string } }[];
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  users?: { name: string; user: { exec?: { args?: string[] } } }[];
  "current-context"?: string;
}

function flagValue(args: readonly string[] | undefined, flag: string): string | undefined {
  const i = args?.indexOf(flag) ?? -1;
  return i >= 0 ? args?.[i + 1] : undefined;
}

/**
 * The kubeconfig Pledge uses for an AKS cluster, from the user credentials
 * AKS returns (decoded). Entra ID clusters get a kubelogin exec kubeconfig
 * with a non-interactive login (AKS's own uses devicecode, which cannot run
 * inside `pulumi up`). Clusters with local accounts keep AKS's, which holds a
 * client certificate: it must stay a secret.
 */
export function aksKubeconfig(name: string, credentials: string, entra?: { login: KubeloginLogin; tenantId?: string }): string {
  if (!entra) return credentials;
  const doc = parseYaml(credentials) as KubeconfigDoc;
  const context = doc.contexts?.find((c) => c.name === doc["current-context"]) ?? doc.contexts?.[0];
  const cluster = doc.clusters?.find((c) => c.name === context?.context.cluster) ?? doc.clusters?.[0];
  const server = cluster?.cluster.server;
  const certificateAuthorityData = cluster?.cluster["certificate-authority-data"];
  if (!server || !certificateAuthorityData) throw new Error(`AKS returned credentials for ${name} without a server and CA`);
  const userArgs = doc.users?.find((u) => u.name === context?.context.user)?.user.exec?.args;
  const plugin = kubeloginGetToken({
    login: entra.login,
    serverId: flagValue(userArgs, "--server-id"),
    tenantId: entra.tenantId ?? flagValue(userArgs, "--tenant-id"),
  });
  return execKubeconfig(name, { server, certificateAuthorityData }, plugin);
}
