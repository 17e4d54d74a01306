// What `pledge status` reads from a stack's exported state: each Kubernetes
// object with its cluster and what put it there (a request, a promise's
// dependencies, a team's environment), secrets as the program gave them, and
// each cluster's kubeconfig from its provider.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  appliedObjects,
  clusterOfProvider,
  ownerOfName,
  plainValue,
  providerKubeconfigs,
  type StateResource,
} from "../../../src/cli/stack/state-objects";

const stack = "urn:pulumi:dev::pledge::";
const clusterUrn = `${stack}pledge:index:Cluster::local-1`;
const providerUrn = (cluster: string) => `${stack}pledge:index:Cluster$pulumi:providers:kubernetes::${cluster}-k8s`;
const providerRef = (cluster: string) => `${providerUrn(cluster)}::0a1b2c3d-${cluster}`;
/** A --show-secrets export of a secret: the signature and the value as JSON. */
const secret = (value: unknown) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  plaintext: JSON.stringify(value),
});

describe("ownerOfName", () => {
  it("a request's objects are named <promise>/<request>@<cluster>/...", () => {
    assert.deepEqual(ownerOfName("redis/cache@local-1/Deployment/ns/x"), { kind: "request", request: "redis/cache" });
  });

  it("a promise's dependencies are named <promise>@<cluster>/...", () => {
    assert.deepEqual(ownerOfName("postgres@local-1/HelmChart/ns/op"), { kind: "dependency", promise: "postgres" });
  });

  it("a team's environment is named <cluster>/<kind>/<team>...", () => {
    assert.deepEqual(ownerOfName("local-1/Namespace/shop"), { kind: "team", team: "shop" });
    assert.deepEqual(ownerOfName("local-1/RoleBinding/shop/pledge-team"), { kind: "team", team: "shop" });
    assert.deepEqual(ownerOfName("local-1/NetworkPolicy/shop/pledge-default-deny"), { kind: "team", team: "shop" });
  });

  it("anything else has no owner", () => {
    for (const name of [
      "local-1-k8s",
      "local-1",
      "local-1/ConfigMap/shop/settings",
      "op:pledge-postgres/op-operator",
      "a/b/c@local-1/ConfigMap/shop/x",
      "",
    ])
      assert.equal(ownerOfName(name), undefined, name);
  });
});

describe("clusterOfProvider", () => {
  it("reads the cluster from the provider reference's name", () => {
    assert.equal(clusterOfProvider(providerRef("local-1")), "local-1");
    assert.equal(
      clusterOfProvider("urn:pulumi:dev::pledge::pledge:index:Cluster$pulumi:providers:kubernetes::local-1-k8s::<id>"),
      "local-1",
    );
  });

  it("a provider that is not a cluster's, or none, is no cluster", () => {
    assert.equal(clusterOfProvider(`${stack}pulumi:providers:aws::default_7_48_0::1234`), undefined);
    assert.equal(clusterOfProvider(undefined), undefined);
  });
});

describe("appliedObjects", () => {
  const chartUrn = `${stack}pledge:index:Cluster$kubernetes:helm.sh/v4:Chart::postgres@local-1/HelmChart/pledge-postgres/op`;
  const resources: StateResource[] = [
    { urn: `${stack}pulumi:pulumi:Stack::pledge-dev`, type: "pulumi:pulumi:Stack" },
    { urn: clusterUrn, type: "pledge:index:Cluster" },
    {
      urn: providerUrn("local-1"),
      type: "pulumi:providers:kubernetes",
      parent: clusterUrn,
      inputs: { kubeconfig: secret("apiVersion: v1\nkind: Config\n"), context: secret("kind-local-1") },
      outputs: { kind: "Config", apiVersion: "v1" },
    },
    {
      urn: `${stack}pledge:index:Cluster$kubernetes:core/v1:Namespace::local-1/Namespace/shop`,
      type: "kubernetes:core/v1:Namespace",
      parent: clusterUrn,
      provider: providerRef("local-1"),
      outputs: { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
    },
    {
      urn: `${stack}pledge:index:Cluster$kubernetes:apps/v1:Deployment::redis/cache@local-1/Deployment/shop/cache`,
      type: "kubernetes:apps/v1:Deployment",
      parent: clusterUrn,
      provider: providerRef("local-1"),
      outputs: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "cache", namespace: "shop" } },
    },
    {
      urn: chartUrn,
      type: "kubernetes:helm.sh/v4:Chart",
      parent: clusterUrn,
      provider: providerRef("local-1"),
      outputs: { resources: [] },
    },
    {
      urn: `${chartUrn}$kubernetes:apps/v1:Deployment::op-operator`,
      type: "kubernetes:apps/v1:Deployment",
      parent: chartUrn,
      provider: providerRef("local-1"),
      outputs: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "op-operator", namespace: "pledge-postgres" } },
    },
    {
      urn: `${stack}pledge:index:Cluster$kubernetes:yaml/v2:ConfigFile::cert@local-1/YamlFile/crds`,
      type: "kubernetes:yaml/v2:ConfigFile",
      parent: clusterUrn,
      provider: providerRef("local-1"),
      outputs: { apiVersion: "v1", kind: "List", metadata: { name: "crds" } },
    },
    {
      // Not Pledge's: no owner in its name or its parents' names.
      urn: `${stack}pledge:index:Cluster$kubernetes:core/v1:ConfigMap::stray`,
      type: "kubernetes:core/v1:ConfigMap",
      parent: clusterUrn,
      provider: providerRef("local-1"),
      outputs: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "stray", namespace: "shop" } },
    },
  ];

  it("lists each Kubernetes object with its cluster, identity and owner", () => {
    assert.deepEqual(appliedObjects(resources), [
      {
        urn: resources[3]!.urn,
        cluster: "local-1",
        apiVersion: "v1",
        kind: "Namespace",
        name: "shop",
        owner: { kind: "team", team: "shop" },
      },
      {
        urn: resources[4]!.urn,
        cluster: "local-1",
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "cache",
        namespace: "shop",
        owner: { kind: "request", request: "redis/cache" },
      },
      {
        urn: resources[6]!.urn,
        cluster: "local-1",
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "op-operator",
        namespace: "pledge-postgres",
        owner: { kind: "dependency", promise: "postgres" },
      },
    ]);
  });

  it("an object of a chart belongs to whoever owns the chart, found through its parent", () => {
    const child = appliedObjects(resources).find((o) => o.name === "op-operator");
    assert.deepEqual(child?.owner, { kind: "dependency", promise: "postgres" });
    // Without the chart in the state, nothing names its owner.
    assert.equal(
      appliedObjects(resources.filter((r) => r.urn !== chartUrn)).some((o) => o.name === "op-operator"),
      false,
    );
  });

  it("leaves out providers, charts and YAML files (components, not objects), even shaped like objects and owned", () => {
    const shaped = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "shop" } };
    const components: StateResource[] = [
      {
        urn: `${stack}pulumi:providers:kubernetes::redis/cache@local-1/ConfigMap/shop/x`,
        type: "pulumi:providers:kubernetes",
        provider: providerRef("local-1"),
        outputs: shaped,
      },
      {
        urn: `${stack}kubernetes:helm.sh/v4:Chart::redis/cache@local-1/HelmChart/shop/x`,
        type: "kubernetes:helm.sh/v4:Chart",
        provider: providerRef("local-1"),
        outputs: shaped,
      },
      {
        urn: `${stack}kubernetes:helm.sh/v3:Release::redis/cache@local-1/HelmChart/shop/y`,
        type: "kubernetes:helm.sh/v3:Release",
        provider: providerRef("local-1"),
        outputs: shaped,
      },
      {
        urn: `${stack}kubernetes:yaml/v2:ConfigFile::cert@local-1/YamlFile/crds`,
        type: "kubernetes:yaml/v2:ConfigFile",
        provider: providerRef("local-1"),
        outputs: shaped,
      },
    ];
    assert.deepEqual(appliedObjects(components), []);
    // The same resource as a ConfigMap is an object.
    assert.equal(appliedObjects([{ ...components[1]!, type: "kubernetes:core/v1:ConfigMap" }]).length, 1);
  });

  it("leaves out an object whose provider is not a cluster's, or that has no name yet", () => {
    const deployment = resources[4]!;
    assert.deepEqual(appliedObjects([{ ...deployment, provider: undefined }]), []);
    assert.deepEqual(
      appliedObjects([{ ...deployment, outputs: { apiVersion: "apps/v1", kind: "Deployment", metadata: {} } }]),
      [],
    );
    assert.deepEqual(appliedObjects([{ ...deployment, outputs: undefined }]), []);
  });

  it("a cluster-scoped object or an empty namespace has no namespace", () => {
    const [o] = appliedObjects([
      { ...resources[4]!, outputs: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "cache", namespace: "" } } },
    ]);
    assert.equal(o !== undefined && "namespace" in o, false);
  });
});

describe("plainValue", () => {
  it("a secret exported with --show-secrets is the value the program gave", () => {
    assert.equal(
      plainValue({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: '"abc"' }),
      "abc",
    );
    assert.deepEqual(plainValue(secret({ a: [1, 2] })), { a: [1, 2] });
  });

  it("a secret still encrypted has no plain value", () => {
    assert.equal(
      plainValue({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abcd" }),
      undefined,
    );
  });

  it("anything else is itself", () => {
    assert.equal(plainValue("abc"), "abc");
    assert.equal(plainValue(null), null);
    assert.deepEqual(plainValue({ plaintext: '"abc"' }), { plaintext: '"abc"' });
  });
});

describe("providerKubeconfigs", () => {
  it("gives each cluster's kubeconfig and context, decrypted, by cluster", () => {
    const found = providerKubeconfigs([
      {
        urn: providerUrn("local-1"),
        type: "pulumi:providers:kubernetes",
        inputs: { kubeconfig: secret("kubeconfig of local-1"), context: secret("kind-local-1") },
      },
      { urn: providerUrn("local-2"), type: "pulumi:providers:kubernetes", inputs: { kubeconfig: "kubeconfig of local-2" } },
    ]);
    assert.deepEqual(
      [...found],
      [
        ["local-1", { kubeconfig: "kubeconfig of local-1", context: "kind-local-1" }],
        ["local-2", { kubeconfig: "kubeconfig of local-2" }],
      ],
    );
  });

  it("skips providers that are not a cluster's, and kubeconfigs it cannot read", () => {
    const found = providerKubeconfigs([
      { urn: `${stack}pulumi:providers:kubernetes::default`, type: "pulumi:providers:kubernetes", inputs: { kubeconfig: "x" } },
      {
        urn: providerUrn("local-3"),
        type: "pulumi:providers:kubernetes",
        inputs: { kubeconfig: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:x" } },
      },
      {
        urn: `${stack}kubernetes:core/v1:Namespace::local-4-k8s`,
        type: "kubernetes:core/v1:Namespace",
        inputs: { kubeconfig: "x" },
      },
    ]);
    assert.deepEqual([...found], []);
  });
});
