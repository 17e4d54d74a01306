// What `pledge status` says about a live object: ready or not, and why, by the
// rules kubectl rollout status uses for workloads, by phase or condition for
// jobs, claims and pods, and by the Ready condition for anything else.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readinessOf } from "../../../src/cli/clusters/readiness";

describe("Deployments", () => {
  it("are ready when every wanted replica is available and updated", () => {
    assert.deepEqual(
      readinessOf({
        kind: "Deployment",
        metadata: { generation: 3 },
        spec: { replicas: 3 },
        status: { observedGeneration: 3, availableReplicas: 3, updatedReplicas: 3 },
      }),
      { ready: true, detail: "3/3 replicas available" },
    );
  });

  it("are not ready while fewer replicas are available than wanted", () => {
    assert.deepEqual(
      readinessOf({
        kind: "Deployment",
        metadata: { generation: 1 },
        spec: { replicas: 1000 },
        status: { observedGeneration: 1, availableReplicas: 0, updatedReplicas: 1000 },
      }),
      { ready: false, detail: "0/1000 replicas available" },
    );
  });

  it("are not ready while old replicas are still the available ones", () => {
    const r = readinessOf({
      kind: "Deployment",
      metadata: { generation: 2 },
      spec: { replicas: 2 },
      status: { observedGeneration: 2, availableReplicas: 2, updatedReplicas: 1 },
    });
    assert.equal(r.ready, false);
  });

  it("are not ready while a new replica that never becomes ready stands beside the old one still serving", () => {
    // What the API server reports for a Deployment whose new pod cannot be scheduled (the rollout test's canary).
    assert.deepEqual(
      readinessOf({
        kind: "Deployment",
        metadata: { generation: 2 },
        spec: { replicas: 1 },
        status: { observedGeneration: 2, replicas: 2, availableReplicas: 1, updatedReplicas: 1, unavailableReplicas: 1 },
      }),
      { ready: false, detail: "1/1 replicas available, 1 of the previous version still running" },
    );
  });

  it("want one replica when the spec names none", () => {
    assert.deepEqual(readinessOf({ kind: "Deployment", spec: {}, status: { availableReplicas: 0 } }), {
      ready: false,
      detail: "0/1 replicas available",
    });
  });

  it("are not ready while the controller has not seen the latest generation, whatever the replicas say", () => {
    assert.deepEqual(
      readinessOf({
        kind: "Deployment",
        metadata: { generation: 5 },
        spec: { replicas: 1 },
        status: { observedGeneration: 4, availableReplicas: 1, updatedReplicas: 1 },
      }),
      { ready: false, detail: "its controller has not seen the latest change yet" },
    );
  });

  it("count a status without observedGeneration as not caught up", () => {
    const r = readinessOf({ kind: "Deployment", metadata: { generation: 1 }, spec: { replicas: 1 }, status: {} });
    assert.deepEqual(r, { ready: false, detail: "its controller has not seen the latest change yet" });
  });

  it("name the failing condition's message when not ready", () => {
    assert.deepEqual(
      readinessOf({
        kind: "Deployment",
        metadata: { generation: 1 },
        spec: { replicas: 2 },
        status: {
          observedGeneration: 1,
          availableReplicas: 0,
          updatedReplicas: 2,
          conditions: [
            { type: "Available", status: "True", message: "fine" },
            { type: "ReplicaFailure", status: "False", message: 'pods "web-" is forbidden: exceeded quota: pledge-team' },
          ],
        },
      }),
      {
        ready: false,
        detail: '0/2 replicas available (pods "web-" is forbidden: exceeded quota: pledge-team)',
      },
    );
  });

  it("leave a failing condition's message out once ready", () => {
    const r = readinessOf({
      kind: "Deployment",
      spec: { replicas: 1 },
      status: {
        availableReplicas: 1,
        updatedReplicas: 1,
        conditions: [{ type: "Progressing", status: "False", message: "stale" }],
      },
    });
    assert.deepEqual(r, { ready: true, detail: "1/1 replicas available" });
  });
});

describe("StatefulSets", () => {
  it("count ready replicas, not available ones", () => {
    assert.deepEqual(
      readinessOf({
        kind: "StatefulSet",
        metadata: { generation: 1 },
        spec: { replicas: 3 },
        status: { observedGeneration: 1, readyReplicas: 2, availableReplicas: 3, updatedReplicas: 3 },
      }),
      { ready: false, detail: "2/3 replicas ready" },
    );
    assert.deepEqual(
      readinessOf({
        kind: "StatefulSet",
        metadata: { generation: 1 },
        spec: { replicas: 3 },
        status: { observedGeneration: 1, readyReplicas: 3, updatedReplicas: 3 },
      }),
      { ready: true, detail: "3/3 replicas ready" },
    );
  });

  it("wait for the controller like Deployments", () => {
    assert.equal(
      readinessOf({
        kind: "StatefulSet",
        metadata: { generation: 2 },
        spec: { replicas: 1 },
        status: { observedGeneration: 1, readyReplicas: 1 },
      }).detail,
      "its controller has not seen the latest change yet",
    );
  });
});

describe("DaemonSets", () => {
  it("are ready when every scheduled pod is ready", () => {
    const status = { desiredNumberScheduled: 4, updatedNumberScheduled: 4 };
    assert.deepEqual(readinessOf({ kind: "DaemonSet", status: { ...status, numberReady: 4 } }), {
      ready: true,
      detail: "4/4 pods ready",
    });
    assert.deepEqual(readinessOf({ kind: "DaemonSet", status: { ...status, numberReady: 1 } }), {
      ready: false,
      detail: "1/4 pods ready",
    });
    // The API leaves out zero counts: no updatedNumberScheduled means none updated yet.
    assert.equal(readinessOf({ kind: "DaemonSet", status: { desiredNumberScheduled: 4, numberReady: 4 } }).ready, false);
  });
});

describe("Jobs", () => {
  it("are ready once complete", () => {
    assert.deepEqual(readinessOf({ kind: "Job", status: { conditions: [{ type: "Complete", status: "True" }] } }), {
      ready: true,
      detail: "complete",
    });
  });

  it("are not ready when failed, with the failure's message", () => {
    assert.deepEqual(
      readinessOf({
        kind: "Job",
        status: {
          conditions: [
            {
              type: "Failed",
              status: "True",
              reason: "BackoffLimitExceeded",
              message: "Job has reached the specified backoff limit",
            },
          ],
        },
      }),
      { ready: false, detail: "failed: Job has reached the specified backoff limit" },
    );
  });

  it("fall back to the failure's reason when it has no message", () => {
    assert.deepEqual(
      readinessOf({ kind: "Job", status: { conditions: [{ type: "Failed", status: "True", reason: "DeadlineExceeded" }] } }),
      { ready: false, detail: "failed: DeadlineExceeded" },
    );
  });

  it("are running while neither complete nor failed (a condition that is not True does not count)", () => {
    assert.deepEqual(readinessOf({ kind: "Job", status: {} }), { ready: false, detail: "running" });
    assert.deepEqual(readinessOf({ kind: "Job", status: { conditions: [{ type: "Complete", status: "False" }] } }), {
      ready: false,
      detail: "running",
    });
  });
});

describe("PersistentVolumeClaims", () => {
  it("are ready when bound", () => {
    assert.deepEqual(readinessOf({ kind: "PersistentVolumeClaim", status: { phase: "Bound" } }), {
      ready: true,
      detail: "bound",
    });
  });

  it("are pending until bound, also before they have a status", () => {
    assert.deepEqual(readinessOf({ kind: "PersistentVolumeClaim", status: { phase: "Pending" } }), {
      ready: false,
      detail: "pending",
    });
    assert.deepEqual(readinessOf({ kind: "PersistentVolumeClaim" }), { ready: false, detail: "pending" });
  });

  it("are not ready once their volume is lost", () => {
    assert.deepEqual(readinessOf({ kind: "PersistentVolumeClaim", status: { phase: "Lost" } }), {
      ready: false,
      detail: "lost",
    });
  });
});

describe("Pods", () => {
  it("are ready by their Ready condition", () => {
    assert.deepEqual(
      readinessOf({ kind: "Pod", status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } }),
      { ready: true, detail: "ready" },
    );
  });

  it("otherwise say their phase", () => {
    assert.deepEqual(
      readinessOf({ kind: "Pod", status: { phase: "Running", conditions: [{ type: "Ready", status: "False" }] } }),
      { ready: false, detail: "running" },
    );
    assert.deepEqual(readinessOf({ kind: "Pod" }), { ready: false, detail: "pending" });
  });
});

describe("other kinds", () => {
  it("a custom resource with a True Ready condition is ready", () => {
    assert.deepEqual(
      readinessOf({
        kind: "Certificate",
        status: {
          conditions: [
            { type: "Issuing", status: "False" },
            { type: "Ready", status: "True" },
          ],
        },
      }),
      { ready: true, detail: "ready" },
    );
  });

  it("a custom resource with a False Ready condition is not, with its message or reason", () => {
    assert.deepEqual(
      readinessOf({
        kind: "Cluster",
        status: { conditions: [{ type: "Ready", status: "False", reason: "Init", message: "waiting for the primary" }] },
      }),
      { ready: false, detail: "not ready: waiting for the primary" },
    );
    assert.deepEqual(
      readinessOf({ kind: "Cluster", status: { conditions: [{ type: "Ready", status: "False", reason: "Init" }] } }),
      { ready: false, detail: "not ready: Init" },
    );
    assert.deepEqual(readinessOf({ kind: "Cluster", status: { conditions: [{ type: "Ready", status: "Unknown" }] } }), {
      ready: false,
      detail: "not ready: no reason given",
    });
  });

  it("an object that reports no conditions (a ConfigMap, a Service) exists, which is all it does", () => {
    assert.deepEqual(readinessOf({ kind: "ConfigMap" }), { ready: true, detail: "exists" });
    assert.deepEqual(
      readinessOf({ kind: "Widget", status: { conditions: [{ type: "Synced", status: "False", message: "x" }] } }),
      { ready: true, detail: "exists" },
    );
  });
});

describe("objects being deleted", () => {
  it("are not ready, whatever their kind and status say", () => {
    const deleting = { deletionTimestamp: "2025-01-01T00:00:00Z" };
    for (const o of [
      { kind: "ConfigMap", metadata: deleting },
      { kind: "Deployment", metadata: deleting, spec: { replicas: 1 }, status: { availableReplicas: 1, updatedReplicas: 1 } },
      { kind: "Pod", metadata: deleting, status: { conditions: [{ type: "Ready", status: "True" }] } },
    ])
      assert.deepEqual(readinessOf(o), { ready: false, detail: "being deleted" }, o.kind);
  });
});

describe("a DaemonSet in a rollout", () => {
  it("is not ready until its controller saw the change and every pod is updated", () => {
    const rolling = readinessOf({
      kind: "DaemonSet",
      metadata: { generation: 2 },
      status: { observedGeneration: 1, desiredNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 0 },
    });
    assert.equal(rolling.ready, false);
    const updating = readinessOf({
      kind: "DaemonSet",
      metadata: { generation: 2 },
      status: { observedGeneration: 2, desiredNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 1 },
    });
    assert.deepEqual(updating, { ready: false, detail: "3/3 pods ready, 1 updated" });
    assert.equal(readinessOf({ kind: "DaemonSet", metadata: { generation: 1 }, status: {} }).ready, false, "just created");
  });
});

describe("a Deployment whose new pods are refused", () => {
  it("is not ready when the status leaves out updatedReplicas (none updated), old pods available or not", () => {
    const stuck = readinessOf({
      kind: "Deployment",
      metadata: { generation: 3 },
      spec: { replicas: 2 },
      status: { observedGeneration: 3, availableReplicas: 2 },
    });
    assert.equal(stuck.ready, false);
  });
});
