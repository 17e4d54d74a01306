// The bootstrap objects a Git-delivered cluster gets, as Kratix's worker setup
// describes them: its two paths of the store, `resources` after
// `dependencies`, pruning on, SOPS decryption only with an age Secret.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bootstrapObjects, credentialSecrets, kustomizationPath, type BootstrapOptions } from "../../../src/gitops/bootstrap";
import type { Manifest } from "../../../src/promise/manifest";

const base: BootstrapOptions = {
  cluster: "local-1",
  storeName: "fleet",
  url: "http://127.0.0.1:9418/fleet.git",
  branch: "main",
  path: "clusters/local-1",
  gitSecretName: "pledge-git-read",
};

const named = (objects: Manifest[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
  return found as Manifest & { spec: Record<string, any> };
};

describe("bootstrapObjects", () => {
  it("makes the flux-system Namespace, one GitRepository and two Kustomizations, in applicable order", () => {
    assert.deepEqual(
      bootstrapObjects(base).map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? "-"}/${o.metadata.name}`),
      [
        "v1 Namespace -/flux-system",
        "source.toolkit.fluxcd.io/v1 GitRepository flux-system/pledge-fleet",
        "kustomize.toolkit.fluxcd.io/v1 Kustomization flux-system/pledge-dependencies",
        "kustomize.toolkit.fluxcd.io/v1 Kustomization flux-system/pledge-resources",
      ],
    );
  });

  it("points the GitRepository at the store's branch with the read credentials, every 10s by default", () => {
    assert.deepEqual(named(bootstrapObjects(base), "GitRepository", "pledge-fleet").spec, {
      url: "http://127.0.0.1:9418/fleet.git",
      ref: { branch: "main" },
      interval: "10s",
      secretRef: { name: "pledge-git-read" },
    });
  });

  it("pulls dependencies/ and resources/ of the cluster's path, resources after dependencies, pruning, not waiting", () => {
    const objects = bootstrapObjects({ ...base, interval: "5s" });
    const deps = named(objects, "Kustomization", "pledge-dependencies").spec;
    const resources = named(objects, "Kustomization", "pledge-resources").spec;
    assert.deepEqual(deps, {
      interval: "5s",
      path: "./clusters/local-1/dependencies",
      sourceRef: { kind: "GitRepository", name: "pledge-fleet" },
      prune: true,
      wait: false,
    });
    assert.deepEqual(resources, { ...deps, path: "./clusters/local-1/resources", dependsOn: [{ name: "pledge-dependencies" }] });
    assert.equal(named(objects, "GitRepository", "pledge-fleet").spec.interval, "5s");
  });

  it("decrypts SOPS files with the age Secret only when one is given", () => {
    const withAge = bootstrapObjects({ ...base, ageSecretName: "sops-age" });
    for (const name of ["pledge-dependencies", "pledge-resources"]) {
      assert.deepEqual(named(withAge, "Kustomization", name).spec.decryption, {
        provider: "sops",
        secretRef: { name: "sops-age" },
      });
      assert.equal(named(bootstrapObjects(base), "Kustomization", name).spec.decryption, undefined);
    }
  });

  const paths: [string, string][] = [
    ["clusters/a", "./clusters/a/resources"],
    ["./clusters/a/", "./clusters/a/resources"],
    ["a", "./a/resources"],
  ];
  for (const [path, wanted] of paths) {
    it(`writes store path "${path}" as ${wanted}`, () => {
      assert.equal(kustomizationPath(path, "resources", "a"), wanted);
    });
  }

  for (const path of ["", ".", "/etc", "clusters/../..", "clusters//a"]) {
    it(`refuses store path "${path}", which is not a directory inside the repository`, () => {
      assert.throws(
        () => bootstrapObjects({ ...base, path }),
        new RegExp(`gitops bootstrap for local-1: path "${path.replace(/[./]/g, "\\$&")}" must be a relative directory`),
      );
    });
  }

  it("refuses an interval that is not a duration, naming it", () => {
    assert.throws(() => bootstrapObjects({ ...base, interval: "10" }), /interval "10" is not a duration like 10s or 1m/);
  });
});

describe("credentialSecrets", () => {
  const creds = { cluster: "local-1", gitSecretName: "pledge-git-read", username: "flux", password: "pw" };

  it("holds the reader's basic-auth credentials in flux-system", () => {
    assert.deepEqual(credentialSecrets(creds), [
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: "pledge-git-read",
          namespace: "flux-system",
          labels: { "app.kubernetes.io/managed-by": "pledge", "pledge.dev/cluster": "local-1" },
        },
        type: "Opaque",
        stringData: { username: "flux", password: "pw" },
      },
    ]);
  });

  it("adds sops-age with the identity under age.agekey when an age identity is given", () => {
    const age = credentialSecrets({ ...creds, ageIdentity: "AGE-SECRET-KEY-1XYZ" })[1];
    assert.equal(age?.metadata.name, "sops-age");
    assert.equal(age?.metadata.namespace, "flux-system");
    assert.deepEqual(age?.stringData, { "age.agekey": "AGE-SECRET-KEY-1XYZ" });
  });

  it("refuses an age Secret name without an identity", () => {
    assert.throws(() => credentialSecrets({ ...creds, ageSecretName: "sops-age" }), /given without an ageIdentity/);
  });
});
