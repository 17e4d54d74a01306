// The local fleet itself: up is idempotent, a cluster half-killed by a crash is
// restarted from its data with its objects intact, team tokens are real RBAC
// users, and down stops every process it started, by pid.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { adminKubeConfig, clusterComponents, kubeconfigPath } from "../../dev/local/cluster";
import { fleetDown, fleetUp, readFleet } from "../../dev/local/fleet";
import { kubeConfigFromFile, kubeRequest } from "../../dev/local/kube-api";
import { isOurProcess } from "../../dev/local/processes";

describe("local fleet", { timeout: 10 * 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-fleet-test-"));

  before(async () => {
    await fleetUp(dir, { clusters: 1 });
  });

  after(async () => {
    await fleetDown(dir, { purge: true });
  });

  const record = () => readFleet(dir).clusters[0]!;

  it("up twice is a no-op: same processes", async () => {
    const before = { ...record().pids };
    await fleetUp(dir, { clusters: 1 });
    assert.deepEqual(record().pids, before);
  });

  it("restarts a cluster whose API server died, keeping its objects", async () => {
    const conn = adminKubeConfig(record());
    const created = await kubeRequest(conn, "POST", "/api/v1/namespaces/default/configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "survivor" },
      data: { a: "b" },
    });
    assert.equal(created.status, 201);
    const dead = record().pids.apiserver!;
    process.kill(dead, "SIGKILL"); // our own process, by its recorded pid
    while (isOurProcess(dead, record().dir)) await new Promise((resolve) => setTimeout(resolve, 50));
    await fleetUp(dir, { clusters: 1 });
    assert.notEqual(record().pids.apiserver, dead);
    const survivor = await kubeRequest(adminKubeConfig(record()), "GET", "/api/v1/namespaces/default/configmaps/survivor");
    assert.equal(survivor.status, 200);
    assert.equal(survivor.body.data.a, "b");
  });

  it("gives teams real users that RBAC governs", async () => {
    const team = kubeConfigFromFile(kubeconfigPath(record(), "team-a"));
    const res = await kubeRequest(team, "GET", "/api/v1/namespaces");
    assert.equal(res.status, 403, "a team user has no rights until granted");
    assert.match(JSON.stringify(res.body), /User \\"team-a\\" cannot list resource \\"namespaces\\"/);
  });

  it("down stops every process by pid", async () => {
    const pids = clusterComponents.map((c) => record().pids[c]!);
    const clusterDir = record().dir;
    assert.ok(pids.every((pid) => isOurProcess(pid, clusterDir)));
    await fleetDown(dir);
    assert.deepEqual(
      pids.filter((pid) => isOurProcess(pid, clusterDir)),
      [],
    );
    await fleetUp(dir, { clusters: 1 }); // back up for the purge in after()
  });
});
