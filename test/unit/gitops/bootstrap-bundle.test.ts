// What `pledge bootstrap` hands a Git-delivered cluster: Flux's CRDs and
// controllers (unless Flux is there), the GitRepository on the cluster's
// directory and the two Kustomizations, one flux-system namespace, and never
// a secret's value (the admin creates the two Secrets the instructions name).
import assert from "node:assert/strict";
import { it } from "node:test";
import { parseAllDocuments } from "yaml";
import type { ClusterEntry } from "../../../src/config/parse";
import type { StateStoreEntry } from "../../../src/config/state-stores";
import { bootstrapBundle, bundleText } from "../../../src/gitops/bootstrap-bundle";

const recipient = "age1qnunujr057gudaplylwa7kjr6sfeuxe9aawxx4htwawxz3s2ts2qapwfz9";
const cluster = {
  name: "edge-1",
  source: "kubeconfig",
  labels: {},
  taints: [],
  cloud: "onprem",
  configPath: "pledge:clusters[0]",
  delivery: { gitops: { store: "fleet", ageRecipient: recipient } },
} as unknown as ClusterEntry;
const store: StateStoreEntry = {
  name: "fleet",
  url: "https://git.example.com/acme/fleet.git",
  branch: "main",
  path: "clusters",
  credentials: { username: "pledge", password: "writer-secret" },
  readCredentials: { username: "flux", password: "reader-secret" },
  configPath: "pledge:stateStores[0]",
};
const crd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "gitrepositories.source.toolkit.fluxcd.io" },
};

it("holds the CRDs, the controllers, one flux-system namespace and the cluster's source and Kustomizations", () => {
  const bundle = bootstrapBundle({ cluster, store, crds: [crd], withControllers: true });
  const kinds = bundle.objects.map((o) => `${o.kind}/${o.metadata.name}`);
  assert.equal(kinds.filter((k) => k === "Namespace/flux-system").length, 1);
  for (const wanted of [
    "CustomResourceDefinition/gitrepositories.source.toolkit.fluxcd.io",
    "Deployment/source-controller",
    "Deployment/kustomize-controller",
    "GitRepository/pledge-fleet",
    "Kustomization/pledge-dependencies",
    "Kustomization/pledge-resources",
  ])
    assert.ok(kinds.includes(wanted), `${wanted} missing from ${kinds.join(", ")}`);
  const source = bundle.objects.find((o) => o.kind === "GitRepository")!;
  assert.deepEqual(source.spec, {
    url: store.url,
    ref: { branch: "main" },
    interval: "10s",
    secretRef: { name: bundle.gitSecretName },
  });
  const resources = bundle.objects.find((o) => o.metadata.name === "pledge-resources")!;
  assert.equal((resources.spec as { path: string }).path, "./clusters/edge-1/resources");
});

it("leaves Flux out when it is there, and never writes a secret's value", () => {
  const bundle = bootstrapBundle({ cluster, store, crds: [crd], withControllers: false });
  assert.ok(!bundle.objects.some((o) => o.kind === "Deployment" || o.kind === "CustomResourceDefinition"));
  const text = bundleText(bundle, "edge-1");
  assert.doesNotMatch(text, /writer-secret|reader-secret|AGE-SECRET-KEY/);
  assert.ok(!parseAllDocuments(text).some((d) => d.toJS()?.kind === "Secret"));
  assert.match(text, /create secret generic pledge-fleet-read/);
  assert.match(text, new RegExp(`create secret generic sops-age .*${recipient}`));
});
