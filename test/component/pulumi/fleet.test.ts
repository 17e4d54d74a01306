// A mixed fleet under Pulumi mocks: EKS, AKS, GKE and an on-prem kubeconfig
// cluster, registered alike, with promises fanned out by labels, user and
// derived, exactly as over the local fleet.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { byType, providerName, runFleet, secretValue } from "../mocks";

const onpremKubeconfig = `apiVersion: v1
kind: Config
clusters: [{name: dc1, cluster: {server: "https://k8s.dc1.example.internal:6443"}}]
users: [{name: admin, user: {token: onprem-token}}]
contexts: [{name: dc1, context: {cluster: dc1, user: admin}}]
current-context: dc1
`;

const fleet = [
  { name: "eks-data", source: "eks", region: "eu-west-1", labels: { workload: "data" } },
  {
    name: "aks-general",
    source: "aks",
    region: "westeurope",
    labels: { workload: "general" },
    entraId: { adminGroupObjectIds: ["11111111-2222-3333-4444-555555555555"] },
  },
  { name: "gke-edge", source: "gke", project: "acme-prod-123", region: "europe-west1", labels: { workload: "edge" } },
  { name: "dc1", source: "kubeconfig", kubeconfig: onpremKubeconfig, labels: { workload: "data" } },
  // Only GPU pools: the cluster carries their taint, which postgres does not tolerate.
  {
    name: "eks-gpu",
    source: "eks",
    region: "us-east-1",
    labels: { workload: "data" },
    nodePools: [{ name: "gpu", instanceType: "g5.xlarge", gpu: { type: "nvidia-a10g" } }],
  },
];

const chartType = "kubernetes:helm.sh/v4:Chart";
const clusterOf = (objectName: string) => (objectName.includes("@") ? objectName.split("@")[1]! : objectName).split("/")[0]!;

describe("a mixed fleet", () => {
  it("fans a promise's dependencies out by labels across clouds and on-prem", async () => {
    const { registered, error, outputs } = await runFleet({ "pledge:clusters": fleet, "pledge:promises": { postgres: {} } });
    assert.equal(error, undefined, String(error));
    // postgres targets workload In (data, general): EKS, AKS and on-prem; not GKE (edge), not the GPU-only cluster (tainted).
    const charts = byType(registered, chartType)
      .map((r) => clusterOf(r.name))
      .sort();
    assert.deepEqual(charts, ["aks-general", "dc1", "eks-data"]);
    const eligible = outputs!.promises.postgres!.eligible;
    assert.deepEqual([...eligible].sort(), ["aks-general", "dc1", "eks-data"]);
  });

  it("sends every object to its own cluster's provider, whatever the source", async () => {
    const { registered } = await runFleet({ "pledge:clusters": fleet, "pledge:promises": { postgres: {}, redis: {} } });
    const objects = registered.filter((r) => r.type.startsWith("kubernetes:"));
    assert.ok(objects.length > 0);
    for (const o of objects)
      assert.equal(providerName(o.provider), `${clusterOf(o.name)}-k8s`, `${o.name} went to the wrong provider`);
  });

  it("places requests by derived labels: cloud, region, GPU", async () => {
    const { registered, outputs, error } = await runFleet({
      "pledge:clusters": fleet,
      "pledge:promises": { redis: { tolerations: [{ key: "nvidia.com/gpu", operator: "Exists" }] } },
      "pledge:requests": [
        { promise: "redis", name: "on-gcp", team: "shop", selector: { matchLabels: { "pledge.dev/cloud": "gcp" } } },
        {
          promise: "redis",
          name: "in-westeurope",
          team: "shop",
          selector: { matchLabels: { "topology.kubernetes.io/region": "westeurope" } },
        },
        { promise: "redis", name: "next-to-gpus", team: "ml", selector: { matchLabels: { "pledge.dev/gpu": "true" } } },
        { promise: "redis", name: "on-prem", team: "ops", selector: { matchLabels: { "pledge.dev/cloud": "onprem" } } },
      ],
    });
    assert.equal(error, undefined, String(error));
    assert.deepEqual(outputs!.placements, {
      "redis/on-gcp": ["gke-edge"],
      "redis/in-westeurope": ["aks-general"],
      "redis/next-to-gpus": ["eks-gpu"],
      "redis/on-prem": ["dc1"],
    });
    assert.ok(registered.some((r) => r.name === "gke-edge/Namespace/shop"));
  });

  it("gives every cluster a provider with a secret kubeconfig and its name as clusterIdentifier", async () => {
    const { registered } = await runFleet({ "pledge:clusters": fleet });
    const providers = byType(registered, "pulumi:providers:kubernetes");
    assert.deepEqual(providers.map((p) => p.name).sort(), fleet.map((c) => `${c.name}-k8s`).sort());
    for (const p of providers) {
      assert.ok(secretValue(p.inputs.kubeconfig), `${p.name} got a plaintext kubeconfig`);
      assert.equal(p.inputs.clusterIdentifier, p.name.replace(/-k8s$/, ""));
    }
  });

  it("only cloud clusters get exec kubeconfigs; no cloud token is ever in one", async () => {
    const { registered } = await runFleet({ "pledge:clusters": fleet });
    for (const p of byType(registered, "pulumi:providers:kubernetes").filter((p) => p.name !== "dc1-k8s")) {
      const kubeconfig = secretValue(p.inputs.kubeconfig)!;
      assert.doesNotMatch(kubeconfig, /"token"|client-key|password/, `${p.name} holds credentials`);
      assert.match(kubeconfig, /"exec"/);
    }
  });

  it("a bad cloud cluster stops the run before anything is registered", async () => {
    const { registered, error } = await runFleet({
      "pledge:clusters": [
        ...fleet.slice(0, 3),
        {
          name: "eks-bad",
          source: "eks",
          region: "eu-west-1",
          nodePools: [{ name: "arm", instanceType: "m7g.large", arch: "amd64" }],
        },
      ],
    });
    assert.ok(error instanceof Error);
    assert.match(error.message, /pledge:clusters\[3\]\.nodePools\[0\]\.arch: amd64 does not match m7g\.large/);
    assert.deepEqual(registered, []);
  });
});
