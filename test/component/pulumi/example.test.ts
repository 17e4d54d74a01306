// The example stack a user copies (examples/mixed-fleet/Pulumi.prod.yaml)
// must be valid and deploy as its comments say, under mocks.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { byType, runFleet } from "../mocks";

const examplePath = join(__dirname, "..", "..", "..", "examples", "mixed-fleet", "Pulumi.prod.yaml");

function exampleConfig(): Record<string, any> {
  const config = parseYaml(readFileSync(examplePath, "utf8")).config as Record<string, any>;
  // The on-prem cluster's kubeconfig file is the user's; inline a stand-in.
  const dc1 = config["pledge:clusters"].find((c: any) => c.name === "dc1");
  delete dc1.kubeconfigPath;
  dc1.kubeconfig =
    "apiVersion: v1\nkind: Config\nclusters: [{name: dc1, cluster: {server: https://dc1.invalid}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: dc1-admin, context: {cluster: dc1, user: u}}]\ncurrent-context: dc1-admin\n";
  return config;
}

describe("the mixed-fleet example stack", () => {
  it("is valid config and provisions EKS, AKS and GKE next to the on-prem cluster", async () => {
    const { registered, error } = await runFleet(exampleConfig());
    assert.equal(error, undefined, String(error));
    assert.deepEqual(
      byType(registered, "pledge:index:Cluster")
        .map((c) => c.name)
        .sort(),
      ["aws-eu", "azure-we", "dc1", "gcp-ew1"],
    );
    assert.equal(byType(registered, "aws:eks/nodeGroup:NodeGroup").length, 3);
    assert.equal(byType(registered, "azure-native:containerservice:AgentPool").length, 2);
    assert.equal(byType(registered, "gcp:container/nodePool:NodePool").length, 2);
  });

  it("places as its comments say", async () => {
    const { outputs, registered } = await runFleet(exampleConfig());
    const placements = outputs!.placements;
    assert.deepEqual(placements["postgres/orders"], ["aws-eu"]);
    assert.equal(new Set(placements["redis/sessions"]).size, 2);
    assert.deepEqual(placements["redis/cache"], ["gcp-ew1"]);
    const charts = byType(registered, "kubernetes:helm.sh/v4:Chart")
      .map((r) => r.name.split("@")[1]!.split("/")[0])
      .sort();
    assert.deepEqual(charts, ["aws-eu", "azure-we", "dc1"]);
  });
});
