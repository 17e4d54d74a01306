// A Git-delivered local cluster: `fleet up --gitops` runs the fleet's Git
// server and Flux beside the cluster, and what is pushed to the cluster's path
// of the fleet repository reaches the cluster: dependencies/ and resources/,
// deletions pruned, SOPS files decrypted with the cluster's own age identity.
// `fleet down` stops every process it started, by pid.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { adminKubeConfig, clusterComponents } from "../../dev/local/cluster";
import { fleetDown, fleetUp, readFleet } from "../../dev/local/fleet";
import { FleetRepoClone } from "../../dev/local/fleet-repo";
import { fleetStatus } from "../../dev/local/fleet-status";
import { fluxControllers } from "../../dev/local/flux";
import { kubeRequest } from "../../dev/local/kube-api";
import { isOurProcess } from "../../dev/local/processes";
import { waitFor } from "../../dev/local/wait";

const cluster = "local-1";
const appliedWithin = 60_000;

describe("a Git-delivered local cluster", { timeout: 10 * 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "pledge-gitops-test-"));
  const cloneDir = mkdtempSync(join(tmpdir(), "pledge-gitops-clone-"));
  let repo: FleetRepoClone;
  const record = () => readFleet(dir).clusters.find((c) => c.name === cluster)!;
  const get = (path: string) => kubeRequest(adminKubeConfig(record()), "GET", path);
  const untilStatus = (path: string, status: number) =>
    waitFor(
      `GET ${path} answering ${status}`,
      async () => ((await get(path)).status === status ? true : undefined),
      appliedWithin,
      500,
    );

  before(async () => {
    await fleetUp(dir, { clusters: 1, gitops: [cluster] });
    const { git } = await fleetStatus(dir);
    repo = await FleetRepoClone.clone(git!, cloneDir);
  });

  after(async () => {
    await fleetDown(dir, { purge: true });
    for (const d of [dir, cloneDir]) rmSync(d, { recursive: true, force: true });
  });

  it("runs the Git server and both Flux controllers, ready, and reports them without passwords", async () => {
    const status = await fleetStatus(dir);
    assert.equal(status.git?.running, true);
    assert.ok(isOurProcess(readFleet(dir).git?.pid, readFleet(dir).git!.dir));
    const gitops = status.clusters[0]!.gitops!;
    assert.equal(gitops.path, `clusters/${cluster}`);
    assert.match(gitops.ageRecipient, /^age1[a-z0-9]+$/);
    assert.deepEqual(
      gitops.controllers.map((c) => [c.name, c.running, c.ready]),
      fluxControllers.map((name) => [name, true, true]),
    );
    const users = JSON.parse(readFileSync(status.git!.usersFile, "utf8")) as { password: string }[];
    const printed = JSON.stringify(status);
    assert.deepEqual(
      users.filter((u) => printed.includes(u.password)),
      [],
      "fleet status shows no password",
    );
  });

  it("applies a Namespace pushed to dependencies/ and a ConfigMap pushed to resources/", async () => {
    repo.write(
      `clusters/${cluster}/dependencies/namespace.yaml`,
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: delivered\n",
    );
    repo.write(
      `clusters/${cluster}/resources/configmap.yaml`,
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-git\n  namespace: delivered\ndata:\n  greeting: hello\n",
    );
    await repo.commitAndPush("a namespace and a config map");
    await untilStatus("/api/v1/namespaces/delivered", 200);
    await untilStatus("/api/v1/namespaces/delivered/configmaps/from-git", 200);
    assert.equal((await get("/api/v1/namespaces/delivered/configmaps/from-git")).body.data.greeting, "hello");
  });

  it("up restarts a Flux controller that died, and delivery goes on", async () => {
    const dead = record().gitops!.flux.pids.kustomizeController!;
    process.kill(dead, "SIGKILL"); // our own process, by its recorded pid
    while (isOurProcess(dead, record().dir)) await new Promise((resolve) => setTimeout(resolve, 50));
    const sourceBefore = record().gitops!.flux.pids.sourceController;
    await fleetUp(dir, { clusters: 1 });
    const { pids } = record().gitops!.flux;
    assert.notEqual(pids.kustomizeController, dead);
    assert.ok(isOurProcess(pids.kustomizeController, record().dir));
    assert.equal(pids.sourceController, sourceBefore, "the running controller is left alone");
    assert.ok((await fleetStatus(dir)).clusters[0]!.gitops!.controllers.every((c) => c.ready));
  });

  it("prunes the object whose file was removed from the repository", async () => {
    repo.remove(`clusters/${cluster}/resources/configmap.yaml`);
    await repo.commitAndPush("remove the config map");
    await untilStatus("/api/v1/namespaces/delivered/configmaps/from-git", 404);
    assert.equal((await get("/api/v1/namespaces/delivered")).status, 200, "the namespace in dependencies/ stays");
  });

  it("decrypts a Secret encrypted with sops to the cluster's age recipient", async () => {
    const recipient = record().gitops!.ageRecipient;
    const plaintext =
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: sealed\n  namespace: delivered\nstringData:\n  token: s3cr3t-from-git\n";
    // sops reads a file (not a pipe); its name's .yaml says the format.
    const work = mkdtempSync(join(tmpdir(), "pledge-gitops-sops-"));
    writeFileSync(join(work, "secret.yaml"), plaintext, { mode: 0o600 });
    const sops = spawnSync(
      "sops",
      ["--encrypt", "--age", recipient, "--encrypted-regex", "^(data|stringData)$", join(work, "secret.yaml")],
      { encoding: "utf8", cwd: work },
    );
    rmSync(work, { recursive: true, force: true });
    assert.equal(sops.status, 0, sops.stderr);
    assert.ok(!sops.stdout.includes("s3cr3t-from-git"), "the repository gets only ciphertext");
    repo.write(`clusters/${cluster}/resources/secret.yaml`, sops.stdout);
    await repo.commitAndPush("an encrypted secret");
    await untilStatus("/api/v1/namespaces/delivered/secrets/sealed", 200);
    const secret = (await get("/api/v1/namespaces/delivered/secrets/sealed")).body;
    assert.equal(Buffer.from(secret.data.token, "base64").toString("utf8"), "s3cr3t-from-git");
  });

  it("down stops the Git server, both controllers and the cluster, by pid", async () => {
    const fleet = readFleet(dir);
    const c = fleet.clusters[0]!;
    const pids = [...clusterComponents.map((x) => c.pids[x]), ...fluxControllers.map((x) => c.gitops!.flux.pids[x])].map(
      (pid) => [pid, c.dir] as const,
    );
    pids.push([fleet.git!.pid, fleet.git!.dir]);
    assert.ok(pids.every(([pid, marker]) => isOurProcess(pid, marker)));
    await fleetDown(dir);
    assert.deepEqual(
      pids.filter(([pid, marker]) => isOurProcess(pid, marker)),
      [],
    );
  });
});
