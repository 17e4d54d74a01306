// The drift check's rule: an object is refreshed before an update when it is
// gone, its spec changed (generation), or for kinds without a generation when
// anything changed (resourceVersion), or when a label or annotation Pledge set
// is gone or different; otherwise it is as Pledge left it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appliedStates, hasDrifted, type AppliedState } from "../../../src/cli/clusters/drift-check";

const provider = "urn:pulumi:dev::pledge::pledge:index:Cluster$pulumi:providers:kubernetes::local-1-k8s::0a1b";
const deployment: AppliedState = {
  urn: "urn:d",
  cluster: "local-1",
  apiVersion: "apps/v1",
  kind: "Deployment",
  name: "redis-a",
  namespace: "shop",
  generation: 2,
  resourceVersion: "100",
  owned: { labels: { "pledge.dev/team": "shop" }, annotations: { "pulumi.com/patchForce": "true" } },
};
const live = {
  generation: 2,
  resourceVersion: "180",
  labels: { "pledge.dev/team": "shop", extra: "x" },
  annotations: { "pulumi.com/patchForce": "true", "deployment.kubernetes.io/revision": "1" },
};

describe("hasDrifted", () => {
  it("a Deployment whose status moved on (resourceVersion) but not its spec (generation) has not drifted", () => {
    assert.equal(hasDrifted(deployment, live), false);
  });

  it("a spec changed by hand (kubectl scale bumps the generation) has drifted", () => {
    assert.equal(hasDrifted(deployment, { ...live, generation: 3 }), true);
  });

  it("a deleted object has drifted", () => {
    assert.equal(hasDrifted(deployment, undefined), true);
  });

  it("a label or annotation Pledge set that is gone or different has drifted; labels others added have not", () => {
    assert.equal(hasDrifted(deployment, { ...live, labels: { extra: "x" } }), true);
    assert.equal(hasDrifted(deployment, { ...live, labels: { "pledge.dev/team": "other" } }), true);
    assert.equal(hasDrifted(deployment, { ...live, annotations: {} }), true);
  });

  it("kinds without a generation are compared by resourceVersion", () => {
    const configMap = { ...deployment, kind: "ConfigMap", apiVersion: "v1", generation: undefined };
    assert.equal(hasDrifted(configMap, { ...live, generation: undefined, resourceVersion: "100" }), false);
    assert.equal(hasDrifted(configMap, { ...live, generation: undefined, resourceVersion: "101" }), true);
    assert.equal(
      hasDrifted({ ...configMap, resourceVersion: undefined }, { ...live, generation: undefined }),
      true,
      "unknown: refresh",
    );
  });
});

describe("appliedStates", () => {
  it("reads each object's cluster, identity, generation, resourceVersion and the labels Pledge set, and skips chart components", () => {
    const states = appliedStates([
      { urn: "urn:p", type: "pulumi:providers:kubernetes", inputs: {} },
      { urn: "urn:chart", type: "kubernetes:helm.sh/v4:Chart", provider, outputs: {} },
      {
        urn: "urn:d",
        type: "kubernetes:apps/v1:Deployment",
        provider,
        inputs: { metadata: { labels: { "pledge.dev/team": "shop" }, annotations: { "pulumi.com/patchForce": "true" } } },
        outputs: {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "redis-a", namespace: "shop", generation: 2, resourceVersion: "100" },
        },
      },
      {
        urn: "urn:ns",
        type: "kubernetes:core/v1:Namespace",
        provider,
        inputs: {},
        outputs: { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop", resourceVersion: "7" } },
      },
    ]);
    assert.deepEqual(states, [
      deployment,
      {
        urn: "urn:ns",
        cluster: "local-1",
        apiVersion: "v1",
        kind: "Namespace",
        name: "shop",
        resourceVersion: "7",
        owned: { labels: {}, annotations: {} },
      },
    ]);
  });
});
