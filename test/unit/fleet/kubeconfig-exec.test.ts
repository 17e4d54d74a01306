// Kubeconfigs for cloud clusters: an exec plugin for each cloud, never a token.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import {
  aksEntraServerId,
  aksKubeconfig,
  eksGetToken,
  execKubeconfig,
  gkeAuthPlugin,
  kubeloginGetToken,
} from "../../../src/fleet/kubeconfig-exec";

const endpoint = { server: "https://example.invalid", certificateAuthorityData: "Q0E=" };

function userOf(kubeconfig: string) {
  const doc = parseYaml(kubeconfig);
  assert.equal(doc["current-context"], doc.contexts[0].name);
  return doc.users[0].user;
}

describe("exec kubeconfigs", () => {
  it("EKS: aws eks get-token with cluster and region pinned", () => {
    const user = userOf(execKubeconfig("prod", endpoint, eksGetToken({ clusterName: "prod", region: "eu-west-1" })));
    assert.deepEqual(Object.keys(user), ["exec"]);
    assert.equal(user.exec.apiVersion, "client.authentication.k8s.io/v1beta1");
    assert.equal(user.exec.command, "aws");
    assert.deepEqual(user.exec.args, ["eks", "get-token", "--cluster-name", "prod", "--region", "eu-west-1", "--output", "json"]);
  });

  it("EKS: the role and the profile as arguments, not environment", () => {
    const plugin = eksGetToken({
      clusterName: "prod",
      region: "eu-west-1",
      roleArn: "arn:aws:iam::123456789012:role/deployer",
      profile: "platform",
    });
    assert.deepEqual(plugin.args.slice(-4), ["--role-arn", "arn:aws:iam::123456789012:role/deployer", "--profile", "platform"]);
    assert.equal(plugin.env, undefined);
  });

  it("GKE: gke-gcloud-auth-plugin with cluster info", () => {
    const user = userOf(execKubeconfig("g", endpoint, gkeAuthPlugin()));
    assert.equal(user.exec.command, "gke-gcloud-auth-plugin");
    assert.equal(user.exec.provideClusterInfo, true);
    assert.match(user.exec.installHint, /gcloud components install gke-gcloud-auth-plugin/);
  });

  it("the cluster entry carries server and CA", () => {
    const doc = parseYaml(execKubeconfig("g", endpoint, gkeAuthPlugin()));
    assert.deepEqual(doc.clusters[0].cluster, { server: "https://example.invalid", "certificate-authority-data": "Q0E=" });
  });

  it("kubelogin: a non-interactive login against the AKS server application", () => {
    assert.deepEqual(kubeloginGetToken({ login: "azurecli" }).args, [
      "get-token",
      "--login",
      "azurecli",
      "--server-id",
      aksEntraServerId,
    ]);
    assert.deepEqual(kubeloginGetToken({ login: "spn", tenantId: "t" }).args.slice(-2), ["--tenant-id", "t"]);
  });
});

describe("aksKubeconfig", () => {
  const credentials = (user: string) =>
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    certificate-authority-data: QUtTLUNB\n    server: https://c.hcp.westeurope.azmk8s.io:443\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\nusers:\n- name: u\n  user:\n${user}`;

  it("Entra ID: AKS's devicecode kubeconfig becomes a kubelogin azurecli one, same server and CA", () => {
    const aks = credentials(
      "    exec:\n      command: kubelogin\n      args: [get-token, --server-id, 11111111-0000-0000-0000-000000000000, --tenant-id, tenant-1, --login, devicecode]\n",
    );
    const doc = parseYaml(aksKubeconfig("c", aks, { login: "azurecli" }));
    assert.deepEqual(doc.clusters[0].cluster, {
      server: "https://c.hcp.westeurope.azmk8s.io:443",
      "certificate-authority-data": "QUtTLUNB",
    });
    assert.equal(doc.users[0].user.exec.command, "kubelogin");
    assert.deepEqual(doc.users[0].user.exec.args, [
      "get-token",
      "--login",
      "azurecli",
      "--server-id",
      "11111111-0000-0000-0000-000000000000",
    ]);
    assert.doesNotMatch(JSON.stringify(doc), /devicecode/);
  });

  it("local accounts: AKS's own kubeconfig, unchanged (the caller keeps it secret)", () => {
    const aks = credentials("    client-certificate-data: Y2VydA==\n    client-key-data: a2V5\n");
    assert.equal(aksKubeconfig("c", aks), aks);
  });
});
