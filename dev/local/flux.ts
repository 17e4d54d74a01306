// Flux out of cluster for a local cluster: its CRDs applied to the cluster,
// source-controller and kustomize-controller run as daemons on loopback
// ports with the cluster's admin kubeconfig, tracked by pid in fleet.json.
import { mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import { fluxNamespace } from "../../src/gitops/bootstrap";
import type { Manifest } from "../../src/promise/manifest";
import { awaitFluxTools, fluxTools, type FluxTools } from "./binaries";
import { kubeconfigPath, type LocalClusterRecord } from "./cluster";
import { applyManifests, waitForCrds } from "./kube-apply";
import { freePort, isPortFree } from "./ports";
import { isOurProcess, startDaemon, stopDaemon } from "./processes";
import { FatalWaitError, waitFor } from "./wait";

export const fluxControllers = ["sourceController", "kustomizeController"] as const;
export type FluxController = (typeof fluxControllers)[number];

export interface FluxRecord {
  ports: Record<FluxController, { metrics: number; health: number }> & { storage: number };
  pids: Partial<Record<FluxController, number>>;
}

export const fluxControllerBinary = {
  sourceController: "source-controller",
  kustomizeController: "kustomize-controller",
} as const;
const binaryOf = fluxControllerBinary;

export async function newFluxRecord(): Promise<FluxRecord> {
  const pair = async () => ({ metrics: await freePort(), health: await freePort() });
  return { ports: { sourceController: await pair(), kustomizeController: await pair(), storage: await freePort() }, pids: {} };
}

function fluxDir(cluster: LocalClusterRecord): string {
  return join(cluster.dir, "flux");
}

export function runningFluxControllers(cluster: LocalClusterRecord, flux: FluxRecord): FluxController[] {
  return fluxControllers.filter((c) => isOurProcess(flux.pids[c], cluster.dir));
}

/** Every Flux CRD: source-controller will not start until all of its kinds exist. */
export async function installFluxCrds(conn: KubeConfig, tools: FluxTools = fluxTools()): Promise<void> {
  const crds = tools.crdFiles.flatMap((file) =>
    parseAllDocuments(readFileSync(file, "utf8"))
      .map((doc) => doc.toJS() as Manifest | null)
      .filter((m): m is Manifest => m !== null),
  );
  await applyManifests(conn, crds);
  await waitForCrds(
    conn,
    crds.map((c) => c.metadata.name),
  );
}

function controllerArgs(cluster: LocalClusterRecord, flux: FluxRecord, controller: FluxController): string[] {
  const { metrics, health } = flux.ports[controller];
  const common = [`--metrics-addr=127.0.0.1:${metrics}`, `--health-addr=127.0.0.1:${health}`, "--log-level=info"];
  if (controller === "sourceController") {
    const storage = `127.0.0.1:${flux.ports.storage}`;
    return [
      ...common,
      `--storage-path=${join(fluxDir(cluster), "storage")}`,
      `--storage-addr=${storage}`,
      // kustomize-controller downloads artifacts from the advertised address.
      `--storage-adv-addr=${storage}`,
    ];
  }
  // The default 30 s would hold every commit to resources/ 30 s behind dependencies/.
  return [...common, "--requeue-dependency=2s"];
}

/**
 * The controllers run from links in the cluster's directory: kustomize-controller
 * has no path flag, and the command line must name the cluster dir for the pid
 * check (isOurProcess) to tell our process from a reused pid.
 */
function linkedBinary(cluster: LocalClusterRecord, tools: FluxTools, controller: FluxController): string {
  const link = join(fluxDir(cluster), "bin", binaryOf[controller]);
  mkdirSync(join(fluxDir(cluster), "bin"), { recursive: true });
  rmSync(link, { force: true }); // re-pointed on every start: a rebuilt toolset lives in a new directory
  symlinkSync(tools.bin(binaryOf[controller]), link);
  return link;
}

async function reclaimPorts(flux: FluxRecord, controller: FluxController): Promise<void> {
  const ports = flux.ports[controller];
  for (const key of ["metrics", "health"] as const) if (!(await isPortFree(ports[key]))) ports[key] = await freePort();
  if (controller === "sourceController" && !(await isPortFree(flux.ports.storage))) flux.ports.storage = await freePort();
}

/**
 * Starts whichever controller is not running (CRDs first) and waits for each
 * one's /readyz; onStarted records a pid before anything can interrupt.
 */
export async function ensureFlux(
  cluster: LocalClusterRecord,
  flux: FluxRecord,
  conn: KubeConfig,
  options: { onStarted?: () => void; timeoutMs?: number } = {},
): Promise<void> {
  const tools = await awaitFluxTools();
  await installFluxCrds(conn, tools);
  const running = runningFluxControllers(cluster, flux);
  mkdirSync(join(fluxDir(cluster), "storage"), { recursive: true, mode: 0o700 });
  for (const controller of fluxControllers.filter((c) => !running.includes(c))) {
    await reclaimPorts(flux, controller);
    flux.pids[controller] = startDaemon({
      command: linkedBinary(cluster, tools, controller),
      args: controllerArgs(cluster, flux, controller),
      logFile: join(cluster.dir, `${binaryOf[controller]}.log`),
      // Neither controller has a --kubeconfig flag.
      env: { ...process.env, KUBECONFIG: kubeconfigPath(cluster), RUNTIME_NAMESPACE: fluxNamespace },
    });
    options.onStarted?.();
  }
  for (const controller of fluxControllers) {
    await waitFor(
      `${cluster.name}: ${binaryOf[controller]} /readyz`,
      async () => {
        if (!isOurProcess(flux.pids[controller], cluster.dir))
          throw new FatalWaitError(`${binaryOf[controller]} exited; see ${join(cluster.dir, `${binaryOf[controller]}.log`)}`);
        return (await isControllerReady(flux, controller)) ? true : undefined;
      },
      options.timeoutMs ?? 60_000,
    );
  }
}

export async function isControllerReady(flux: FluxRecord, controller: FluxController): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${flux.ports[controller].health}/readyz`, { signal: AbortSignal.timeout(2_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Stops both controllers by pid (kustomize-controller first: it reads from source-controller). */
export async function stopFlux(cluster: LocalClusterRecord, flux: FluxRecord): Promise<void> {
  for (const controller of [...fluxControllers].reverse()) {
    await stopDaemon(flux.pids[controller], cluster.dir);
    delete flux.pids[controller];
  }
}
