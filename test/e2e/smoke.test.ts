// Smoke test of the ground everything stands on: the real Pulumi engine, the
// Node language host and the Kubernetes provider plugin deploy to two real
// local API servers, checked through the API servers themselves.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { kubeRequest } from "../../dev/local/kube-api";
import { waitFor } from "../../dev/local/wait";
import {
  backendText,
  connectionOf,
  copyProject,
  ensureTestFleet,
  kubeconfigOf,
  newStack,
  type TestStack,
  uniqueName,
} from "./harness";

describe("smoke: real engine, two local clusters", { timeout: 15 * 60_000 }, () => {
  let clusters: string[];
  let test: TestStack;
  const namespace = uniqueName("smoke");

  before(async () => {
    clusters = await ensureTestFleet(2);
    test = await newStack(copyProject(join(__dirname, "fixtures", "smoke")));
    await test.stack.setConfig("clusters", { value: JSON.stringify(clusters) });
    await test.stack.setConfig("namespace", { value: namespace });
    for (const c of clusters) await test.stack.setConfig(`kubeconfig-${c}`, { value: kubeconfigOf(c), secret: true });
  });

  after(async () => {
    await test?.stack.workspace.removeStack(test.stack.name, { force: true }).catch(() => {});
  });

  it("creates a Namespace, a ConfigMap and an Available Deployment on each cluster", async () => {
    const result = await test.stack.up({ onOutput: () => {} });
    assert.equal(result.summary.result, "succeeded");
    for (const c of clusters) {
      const conn = connectionOf(c);
      const ns = await kubeRequest(conn, "GET", `/api/v1/namespaces/${namespace}`);
      assert.equal(ns.status, 200, `namespace on ${c}`);
      const cm = await kubeRequest(conn, "GET", `/api/v1/namespaces/${namespace}/configmaps/settings`);
      assert.equal(cm.status, 200, `configmap on ${c}`);
      assert.equal(cm.body.data.cluster, c, "each cluster got its own ConfigMap through its own provider");
      const deploy = await kubeRequest(conn, "GET", `/apis/apps/v1/namespaces/${namespace}/deployments/web`);
      assert.equal(deploy.status, 200, `deployment on ${c}`);
      const available = deploy.body.status.conditions.find((x: { type: string }) => x.type === "Available");
      assert.equal(available?.status, "True", `deployment Available on ${c}`);
      assert.equal(deploy.body.status.availableReplicas, 2);
    }
  });

  it("keeps kubeconfig tokens out of the state", () => {
    const text = backendText(test.backendDir);
    for (const c of clusters) {
      const token = connectionOf(c).getCurrentUser()!.token!;
      assert.ok(text.length > 0);
      assert.ok(!text.includes(token), `the admin token of ${c} appears in plaintext in the backend`);
    }
  });

  it("a second up with no change changes nothing", async () => {
    const result = await test.stack.up({ onOutput: () => {} });
    const changes = Object.entries(result.summary.resourceChanges ?? {}).filter(([op]) => op !== "same");
    assert.deepEqual(changes, []);
  });

  it("destroy removes everything from both clusters", async () => {
    const result = await test.stack.destroy({ onOutput: () => {} });
    assert.equal(result.summary.result, "succeeded");
    for (const c of clusters) {
      const conn = connectionOf(c);
      const gone = await waitFor(
        `namespace ${namespace} gone from ${c}`,
        async () => {
          const res = await kubeRequest(conn, "GET", `/api/v1/namespaces/${namespace}`);
          return res.status === 404 ? true : undefined;
        },
        5_000,
      );
      assert.equal(gone, true);
      const deploy = await kubeRequest(conn, "GET", `/apis/apps/v1/namespaces/${namespace}/deployments/web`);
      assert.equal(deploy.status, 404);
    }
  });
});
