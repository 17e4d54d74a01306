// An existing cluster registered by kubeconfig (source: kubeconfig), for real:
// promises reach it, its kubeconfig stays secret in state, and a credential
// change updates the provider in place without replacing any workload.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { kubeRequest } from "../../dev/local/kube-api";
import {
  backendText,
  changesOf,
  connectionOf,
  ensureTestFleet,
  kubeconfigOf,
  newPledgeStack,
  type TestStack,
  uniqueName,
} from "./harness";

/**
 * The same credentials under other names and another address of the same
 * endpoint (127.0.0.1 written as IPv4-mapped IPv6): the kubeconfig and its
 * server URL change, the cluster does not, as when a load balancer is renamed.
 */
function renamed(kubeconfig: string, suffix: string): string {
  const doc = parse(kubeconfig);
  doc.clusters[0].cluster.server = doc.clusters[0].cluster.server.replace("https://127.0.0.1:", "https://[::ffff:127.0.0.1]:");
  const rename = (name: string) => `${name}-${suffix}`;
  doc.clusters[0].name = rename(doc.clusters[0].name);
  doc.users[0].name = rename(doc.users[0].name);
  doc.contexts[0] = { name: rename(doc.contexts[0].name), context: { cluster: doc.clusters[0].name, user: doc.users[0].name } };
  doc["current-context"] = doc.contexts[0].name;
  return stringify(doc);
}

describe("existing cluster by kubeconfig", { timeout: 15 * 60_000 }, () => {
  let fleet: string[];
  let test: TestStack;
  const team = uniqueName("onprem");
  const deploymentPath = `/apis/apps/v1/namespaces/${team}/deployments/redis-cache`;

  const configure = async (kubeconfig: string) => {
    await test.stack.setAllConfig({
      // The whole clusters key is secret because it holds the kubeconfig, as `pulumi config set --secret --path` makes it.
      "pledge:clusters": {
        value: JSON.stringify([
          { name: "dc1", source: "kubeconfig", kubeconfig, clusterIdentifier: "dc1", labels: { site: "dc1" } },
        ]),
        secret: true,
      },
      "pledge:promises": { value: JSON.stringify({ redis: {} }) },
      "pledge:requests": {
        value: JSON.stringify([{ promise: "redis", name: "cache", team, selector: { matchLabels: { site: "dc1" } } }]),
      },
    });
  };

  before(async () => {
    fleet = await ensureTestFleet(1);
    test = await newPledgeStack();
  });

  after(async () => {
    if (!test) return;
    await test.stack.destroy({ onOutput: () => {} }).catch(() => {});
    await test.stack.workspace.removeStack(test.stack.name, { force: true }).catch(() => {});
  });

  it("places a request on it through its own provider", async () => {
    await configure(kubeconfigOf(fleet[0]!));
    const result = await test.stack.up({ onOutput: () => {} });
    assert.equal(result.summary.result, "succeeded");
    const deployment = await kubeRequest(connectionOf(fleet[0]!), "GET", deploymentPath);
    assert.equal(deployment.status, 200);
    assert.equal(deployment.body.status.conditions.find((c: { type: string }) => c.type === "Available")?.status, "True");
    assert.ok(
      !backendText(test.backendDir).includes(connectionOf(fleet[0]!).getCurrentUser()!.token!),
      "the kubeconfig's token is in the state in plaintext",
    );
  });

  it("a kubeconfig change with the same clusterIdentifier replaces nothing", async () => {
    const before = await kubeRequest(connectionOf(fleet[0]!), "GET", deploymentPath);
    await configure(renamed(kubeconfigOf(fleet[0]!), "rotated"));
    const result = await test.stack.up({ onOutput: () => {} });
    const changes = changesOf(result.summary);
    assert.equal(changes.update, 1, `only the provider is updated: ${JSON.stringify(changes)}`);
    assert.deepEqual(Object.keys(changes), ["update"], JSON.stringify(changes));
    const after = await kubeRequest(connectionOf(fleet[0]!), "GET", deploymentPath);
    assert.equal(after.body.metadata.uid, before.body.metadata.uid, "the Deployment is the same object");
  });
});
