// One local cluster: etcd, kube-apiserver (RBAC, token auth), controller
// manager, scheduler and kwok with one fake Node, so Deployments really become
// Available and Pulumi's await logic runs unchanged. All data in one directory.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { localKubeconfigFile } from "../../src/run/local-fleet-files";
import { controlPlaneTools, type ControlPlaneTools } from "./binaries";
import { KubeConfig } from "@kubernetes/client-node";
import { kubeConfigFromFile, kubeRequest } from "./kube-api";
import { renderKubeconfig } from "./kubeconfig";
import { freePort, isPortFree } from "./ports";
import { isOurProcess, startDaemon, stopDaemon } from "./processes";
import { FatalWaitError, waitFor } from "./wait";

/** Users with their own tokens besides the admin, for tenancy tests. */
export const localTeams = ["team-a", "team-b"] as const;

export const clusterComponents = ["etcd", "apiserver", "controllerManager", "scheduler", "kwok"] as const;
export type ClusterComponent = (typeof clusterComponents)[number];

export interface LocalClusterRecord {
  name: string;
  dir: string;
  ports: { etcdClient: number; etcdPeer: number; apiserver: number };
  pids: Partial<Record<ClusterComponent, number>>;
}

export const fakeNodeName = "kwok-node-0";

export function kubeconfigPath(
  record: Pick<LocalClusterRecord, "dir">,
  user: "admin" | (typeof localTeams)[number] = "admin",
): string {
  return localKubeconfigFile(record.dir, user);
}

export function adminKubeConfig(record: LocalClusterRecord): KubeConfig {
  return kubeConfigFromFile(kubeconfigPath(record));
}

export async function newClusterRecord(name: string, dir: string): Promise<LocalClusterRecord> {
  return {
    name,
    dir,
    ports: { etcdClient: await freePort(), etcdPeer: await freePort(), apiserver: await freePort() },
    pids: {},
  };
}

/** Secrets of a cluster, created once: service-account signing key and user tokens (files are 0600). */
function ensureCredentials(dir: string): void {
  mkdirSync(join(dir, "pki"), { recursive: true, mode: 0o700 });
  const saKey = join(dir, "pki", "sa.key");
  if (!existsSync(saKey)) {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileSync(saKey, privateKey.export({ type: "pkcs1", format: "pem" }), { mode: 0o600 });
  }
  const tokens = join(dir, "tokens.csv");
  if (!existsSync(tokens)) {
    const token = () => randomBytes(24).toString("hex");
    const lines = [`${token()},admin,admin,"system:masters"`, ...localTeams.map((t) => `${token()},${t},${t},"pledge:${t}"`)];
    writeFileSync(tokens, `${lines.join("\n")}\n`, { mode: 0o600 });
  }
}

function tokenOf(dir: string, user: string): string {
  const line = readFileSync(join(dir, "tokens.csv"), "utf8")
    .split("\n")
    .find((l) => l.split(",")[1] === user);
  if (!line) throw new Error(`${dir}/tokens.csv has no token for ${user}`);
  return line.split(",")[0]!;
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, "utf8").trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Ports still ours or free; a port taken by someone else gets replaced (the kubeconfig is rewritten). */
async function reclaimPorts(record: LocalClusterRecord): Promise<void> {
  for (const key of ["etcdClient", "etcdPeer", "apiserver"] as const) {
    if (!(await isPortFree(record.ports[key]))) record.ports[key] = await freePort();
  }
}

function daemonArgs(record: LocalClusterRecord, tools: ControlPlaneTools): Record<ClusterComponent, string[]> {
  const d = record.dir;
  const { etcdClient, etcdPeer, apiserver } = record.ports;
  const kubeconfig = kubeconfigPath(record);
  const stages = readdirSync(tools.kwokStages).map((f) => `--config=${join(tools.kwokStages, f)}`);
  return {
    etcd: [
      "--name=node0",
      `--data-dir=${join(d, "etcd")}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=node0=http://127.0.0.1:${etcdPeer}`,
      // A dev fleet trades durability on power loss for speed.
      "--unsafe-no-fsync=true",
      "--quota-backend-bytes=1073741824",
      "--auto-compaction-retention=1",
    ],
    apiserver: [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${apiserver}`,
      // No cert given: the API server writes a self-signed CA+cert here, which the kubeconfigs trust.
      `--cert-dir=${join(d, "pki")}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${join(d, "pki", "sa.key")}`,
      `--service-account-signing-key-file=${join(d, "pki", "sa.key")}`,
      // Room for the scale benchmarks (1,000+ Services on a cluster); a /24 holds 254.
      "--service-cluster-ip-range=10.96.0.0/16",
      "--authorization-mode=RBAC",
      `--token-auth-file=${join(d, "tokens.csv")}`,
      "--allow-privileged=true",
      "--shutdown-delay-duration=0s",
    ],
    controllerManager: [
      `--kubeconfig=${kubeconfig}`,
      "--bind-address=127.0.0.1",
      "--secure-port=0",
      "--leader-elect=false",
      `--service-account-private-key-file=${join(d, "pki", "sa.key")}`,
      `--root-ca-file=${join(d, "pki", "apiserver.crt")}`,
      "--use-service-account-credentials=false",
    ],
    scheduler: [`--kubeconfig=${kubeconfig}`, "--bind-address=127.0.0.1", "--secure-port=0", "--leader-elect=false"],
    kwok: [
      `--kubeconfig=${kubeconfig}`,
      "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
      "--node-lease-duration-seconds=40",
      "--server-address=",
      ...stages,
    ],
  };
}

const binaryOf: Record<ClusterComponent, Parameters<ControlPlaneTools["bin"]>[0]> = {
  etcd: "etcd",
  apiserver: "kube-apiserver",
  controllerManager: "kube-controller-manager",
  scheduler: "kube-scheduler",
  kwok: "kwok",
};

/** Marker that proves a process is this cluster's: every daemon's command line names the cluster dir. */
function marker(record: LocalClusterRecord): string {
  return record.dir;
}

export function runningComponents(record: LocalClusterRecord): ClusterComponent[] {
  return clusterComponents.filter((c) => isOurProcess(record.pids[c], marker(record)));
}

/** A user's kubeconfig, trusting the CA the API server wrote at its first start. */
function kubeconfigText(record: LocalClusterRecord, user: "admin" | (typeof localTeams)[number]): string {
  return renderKubeconfig({
    clusterName: record.name,
    server: `https://127.0.0.1:${record.ports.apiserver}`,
    caPem: readFileSync(join(record.dir, "pki", "apiserver.crt"), "utf8"),
    user,
    token: tokenOf(record.dir, user),
  });
}

function writeKubeconfigs(record: LocalClusterRecord): void {
  for (const user of ["admin", ...localTeams] as const) {
    writeFileSync(kubeconfigPath(record, user), kubeconfigText(record, user), { mode: 0o600 });
  }
}

/**
 * kwok runs no containers, so the fake node's capacity is only what the
 * scheduler counts: large enough for the scale benchmarks (1,000+ pods on a
 * cluster), where a real node's 110 pods would leave Deployments unavailable.
 */
const fakeNodeCapacity = { cpu: "1000", memory: "4Ti", pods: "5000" };

async function ensureFakeNode(conn: KubeConfig): Promise<void> {
  const node = {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: fakeNodeName,
      annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
      labels: {
        "kubernetes.io/hostname": fakeNodeName,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        type: "kwok",
      },
    },
    status: {
      allocatable: fakeNodeCapacity,
      capacity: fakeNodeCapacity,
    },
  };
  const res = await kubeRequest(conn, "POST", "/api/v1/nodes", node);
  if (res.status !== 201 && res.status !== 409)
    throw new Error(`creating the fake node failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
}

export interface StartOptions {
  log?: (message: string) => void;
  timeoutMs?: number;
  /** Called after each process starts, to record its pid durably before anything can interrupt. */
  onStarted?: () => void;
}

/**
 * Starts whatever part of the cluster is not running. A cluster whose
 * processes all run and whose API server is ready is left alone (idempotent);
 * one left half-dead by a crash has its survivors stopped and is restarted
 * from its data directory, so its objects survive.
 */
export async function startCluster(record: LocalClusterRecord, options: StartOptions = {}): Promise<void> {
  const log = options.log ?? (() => {});
  const timeoutMs = options.timeoutMs ?? 90_000;
  const tools = controlPlaneTools();
  const running = runningComponents(record);
  if (running.length === clusterComponents.length && (await isReady(record))) return;
  if (running.length > 0) {
    log(`${record.name}: restarting (running: ${running.join(", ") || "none"})`);
    await stopCluster(record);
  }
  mkdirSync(record.dir, { recursive: true, mode: 0o700 });
  ensureCredentials(record.dir);
  await reclaimPorts(record);
  const args = daemonArgs(record, tools);
  const start = (c: ClusterComponent) => {
    record.pids[c] = startDaemon({ command: tools.bin(binaryOf[c]), args: args[c], logFile: join(record.dir, `${c}.log`) });
    options.onStarted?.();
  };
  const failed = (c: ClusterComponent, err: unknown) =>
    new Error(
      `${record.name}: ${c} did not become ready: ${err instanceof Error ? err.message : err}\n--- ${join(record.dir, `${c}.log`)} (last lines):\n${tail(join(record.dir, `${c}.log`))}`,
    );

  start("etcd");
  try {
    await waitFor(
      "etcd /health",
      async () => {
        if (!isOurProcess(record.pids.etcd, marker(record))) throw new FatalWaitError("etcd exited");
        const res = await fetch(`http://127.0.0.1:${record.ports.etcdClient}/health`);
        return res.ok ? true : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    throw failed("etcd", err);
  }

  start("apiserver");
  try {
    await waitFor(
      "kube-apiserver /readyz",
      async () => {
        if (!isOurProcess(record.pids.apiserver, marker(record))) throw new FatalWaitError("kube-apiserver exited");
        if (!existsSync(join(record.dir, "pki", "apiserver.crt"))) return undefined;
        // Before the kubeconfig files are written: the admin's, in memory.
        const admin = new KubeConfig();
        admin.loadFromString(kubeconfigText(record, "admin"));
        const res = await kubeRequest(admin, "GET", "/readyz");
        return res.status === 200 ? true : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    throw failed("apiserver", err);
  }
  writeKubeconfigs(record);
  const conn = adminKubeConfig(record);

  start("controllerManager");
  start("scheduler");
  start("kwok");
  await ensureFakeNode(conn);
  try {
    await waitFor(
      `node ${fakeNodeName} Ready`,
      async () => {
        const res = await kubeRequest(conn, "GET", `/api/v1/nodes/${fakeNodeName}`);
        const ready = res.body?.status?.conditions?.find((c: any) => c.type === "Ready");
        return ready?.status === "True" ? true : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    throw failed("kwok", err);
  }
  try {
    // Pods need the namespace's default ServiceAccount (admission), made by the controller manager.
    await waitFor(
      "ServiceAccount default/default",
      async () => {
        const res = await kubeRequest(conn, "GET", "/api/v1/namespaces/default/serviceaccounts/default");
        return res.status === 200 ? true : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    throw failed("controllerManager", err);
  }
  for (const c of clusterComponents) {
    if (!isOurProcess(record.pids[c], marker(record))) throw failed(c, new Error("exited after start"));
  }
  log(`${record.name}: ready at https://127.0.0.1:${record.ports.apiserver}`);
}

export async function isReady(record: LocalClusterRecord): Promise<boolean> {
  try {
    const res = await kubeRequest(adminKubeConfig(record), "GET", "/readyz");
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Stops the cluster's processes by pid, dependents first. Data stays. */
export async function stopCluster(record: LocalClusterRecord): Promise<void> {
  for (const c of [...clusterComponents].reverse()) {
    await stopDaemon(record.pids[c], marker(record));
    delete record.pids[c];
  }
}
