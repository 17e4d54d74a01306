// pledge:stateStores and clusters' delivery.gitops: what a platform owner is
// told for each mistake, with the key path, and the model when it is right.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { catalogue } from "../../../promises";
import { formatIssue } from "../../../src/issues";
import type { RawStackConfig } from "../../../src/config/parse";
import { clusterStorePath } from "../../../src/config/state-stores";
import { buildStackModel } from "../../../src/promise/stack-model";

const recipient = "age1qnunujr057gudaplylwa7kjr6sfeuxe9aawxx4htwawxz3s2ts2qapwfz9";
const store = { name: "fleet", url: "https://git.example.com/acme/fleet.git", path: "clusters" };
const edge = (extra: object = {}) => ({
  name: "edge-1",
  source: "kubeconfig",
  delivery: { gitops: { store: "fleet", ageRecipient: recipient, ...extra } },
});

function issuesOf(raw: RawStackConfig): string[] {
  const result = buildStackModel(raw, catalogue);
  assert.equal(result.ok, false, "expected the config to be rejected");
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe("state stores and Git delivery in stack config", () => {
  it("models a Git-only cluster (no kubeconfig) with its store, directory and defaults", () => {
    const result = buildStackModel({ clusters: [edge(), { name: "dc-1", source: "local" }], stateStores: [store] }, catalogue);
    if (!result.ok) assert.fail(result.issues.map(formatIssue).join("\n"));
    const [stored] = result.model.stateStores;
    assert.equal(stored!.branch, "main", "branch defaults to main");
    assert.equal(stored!.configPath, "pledge:stateStores[0]");
    const cluster = result.model.clusters.find((c) => c.name === "edge-1")!;
    assert.equal(clusterStorePath(stored!, cluster), "clusters/edge-1");
    assert.equal(
      clusterStorePath({ path: "" }, { name: "x", delivery: { gitops: { store: "s", path: "a/b", ageRecipient: recipient } } }),
      "a/b",
    );
  });

  it("refuses a kubeconfig cluster with no kubeconfig that is not Git-delivered, pointing at delivery.gitops", () => {
    const issues = issuesOf({ clusters: [{ name: "dc-1", source: "kubeconfig" }] });
    assert.equal(issues.length, 1);
    assert.match(issues[0]!, /pledge:clusters\[0\]: give kubeconfig \(contents, as a secret\) or kubeconfigPath/);
    assert.match(issues[0]!, /delivery: \{gitops:/);
  });

  it("names the key path of each bad store and delivery value", () => {
    const issues = issuesOf({
      clusters: [
        edge({ store: "fleeet" }),
        { ...edge({ path: "../up" }), name: "edge-2" },
        { ...edge(), name: "edge-3", delivery: { gitops: { store: "fleet", ageRecipient: "age1short" } } },
      ],
      stateStores: [
        store,
        { name: "fleet", url: "git@git.example.com:acme/fleet.git" },
        { name: "Other", url: "https://x/y.git", path: "/abs" },
        { name: "leaky", url: "https://pledge:hunter2@git.example.com/fleet.git" },
      ],
    });
    const text = issues.join("\n");
    assert.match(
      text,
      /pledge:clusters\[0\]\.delivery\.gitops\.store: "fleeet" is not a state store of pledge:stateStores \(did you mean fleet\?\)/,
    );
    assert.match(text, /pledge:clusters\[1\]\.delivery\.gitops\.path: "\.\.\/up" must be a relative path/);
    assert.match(text, /pledge:clusters\[2\]\.delivery\.gitops\.ageRecipient: "age1short": must be an age public key/);
    assert.match(
      text,
      /pledge:stateStores\[1\]\.url: "git@git\.example\.com:acme\/fleet\.git": must be an http\(s\):\/\/ Git URL/,
    );
    assert.match(text, /pledge:stateStores\[2\]\.name: "Other" must be a DNS label/);
    assert.match(text, /pledge:stateStores\[2\]\.path: "\/abs" must be a relative path/);
    assert.match(text, /pledge:stateStores\[3\]\.url: holds a password: put it in credentials/);
    assert.doesNotMatch(text, /hunter2/, "the password is never echoed");
  });

  it("refuses a duplicate store and two clusters whose directories overlap", () => {
    const issues = issuesOf({
      clusters: [edge({ path: "eu" }), { ...edge({ path: "eu/edge-2" }), name: "edge-2" }],
      stateStores: [store, { ...store }],
    });
    const text = issues.join("\n");
    assert.match(text, /pledge:stateStores\[1\]\.name: duplicate state store "fleet" \(also at pledge:stateStores\[0\]\)/);
    assert.match(
      text,
      /pledge:clusters\[1\]\.delivery\.gitops\.path: directory clusters\/eu\/edge-2 of store fleet overlaps clusters\/eu/,
    );
  });
});
