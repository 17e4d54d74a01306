// How a compound request's render meets its parts on one cluster. A part on
// the same cluster is used directly: its declared address and Secret. A part
// on another cluster is brought here: a Service of type ExternalName, named
// after the part, pointing at the address the part's promise declares for
// other clusters, and a copy of the part's credentials Secret whose data the
// Pulumi shell takes from the source Secret's live data (a Pulumi secret, so
// never in plaintext; rotated on the source, rotated here on the next update).
// Pure: views for the render and the bridge objects, or issues.
import type { RequestPlacement } from "../core/outcome";
import type { Issue } from "../issues";
import type { PartView, RequestOutputs, RequestView } from "./define";
import type { ClusterView, Manifest } from "./manifest";
import { objectId } from "./manifest";
import type { OfferedPromise, RequestModel } from "./model-types";

/** An object Pledge adds to a compound request's cluster for a part that runs elsewhere. */
export interface Bridge {
  manifest: Manifest;
  /** For a credentials copy: the resource name of the source Secret, whose data the copy takes. */
  secretDataFrom?: string;
}

export interface PartContext {
  placements: ReadonlyMap<string, RequestPlacement>;
  offered: ReadonlyMap<string, OfferedPromise>;
  views: ReadonlyMap<string, ClusterView>;
  /** A request as its promise's functions see it (with its password source). */
  viewOf: (request: RequestModel) => RequestView<unknown>;
  /** Declared outputs of a request on one of its clusters (computed once). */
  outputsOf: (request: RequestModel, cluster: string) => RequestOutputs | undefined;
  /** Resource names planned so far (parts are planned before their parents). */
  planned: ReadonlySet<string>;
}

const text = (value: unknown) => (typeof value === "string" ? value : undefined);
const number = (value: unknown) => (typeof value === "number" ? value : undefined);

export function wireParts(
  parent: RequestModel,
  parts: readonly RequestModel[],
  clusterName: string,
  ctx: PartContext,
  issues: Issue[],
): { views: Record<string, PartView>; bridges: Bridge[] } {
  const parentKey = `${parent.promise}/${parent.name}`;
  const views: Record<string, PartView> = {};
  const bridges: Bridge[] = [];
  for (const part of parts) {
    const role = part.parent!.role;
    const key = `${part.promise}/${part.name}`;
    const placement = ctx.placements.get(key);
    const offer = ctx.offered.get(part.promise);
    if (!placement || !offer || placement.clusters.length === 0) continue;
    const where = `${parent.configPath} (${parentKey} on ${clusterName}, part ${role} ${key})`;
    const view = ctx.viewOf(part);
    if (placement.clusters.includes(clusterName)) {
      const outputs = ctx.outputsOf(part, clusterName) ?? {};
      const remote = offer.promise.remote(view, ctx.views.get(clusterName)!);
      const host = text(outputs.host) ?? remote?.host;
      const port = number(outputs.port) ?? remote?.port;
      if (host === undefined || port === undefined) {
        issues.push({
          kind: "promise",
          path: where,
          message: `promise ${part.promise} declares no address (outputs host and port, or remote)`,
          hint: "this is a bug in the part's promise",
        });
        continue;
      }
      const credentialsSecret = remote?.credentialsSecret;
      views[role] = {
        key,
        clusters: placement.clusters,
        sameCluster: true,
        host,
        port,
        outputs,
        ...(credentialsSecret ? { credentialsSecret } : {}),
      };
      continue;
    }
    // Elsewhere: reached through the first cluster it runs on.
    const source = placement.clusters[0]!;
    const remote = offer.promise.remote(view, ctx.views.get(source)!);
    if (!remote) {
      issues.push({
        kind: "promise",
        path: where,
        message: `the part runs on ${source}, another cluster, and promise ${part.promise} declares no remote address`,
        hint: `give ${part.promise} a remote(request, cluster), or place the part with its parent`,
      });
      continue;
    }
    const labels = { "pledge.dev/part-of": parent.name, "pledge.dev/part": role };
    const metadata = (name: string) => ({ name, namespace: parent.namespace, labels });
    bridges.push({
      manifest: {
        apiVersion: "v1",
        kind: "Service",
        metadata: metadata(part.name),
        spec: { type: "ExternalName", externalName: remote.host, ports: [{ name: "service", port: remote.port }] },
      },
    });
    let credentialsSecret: string | undefined;
    if (remote.credentialsSecret) {
      const copy: Manifest = { apiVersion: "v1", kind: "Secret", metadata: metadata(remote.credentialsSecret), type: "Opaque" };
      const from = `${key}@${source}/${objectId({ ...copy, metadata: { name: remote.credentialsSecret, namespace: part.namespace } })}`;
      if (!ctx.planned.has(from)) {
        issues.push({
          kind: "promise",
          path: where,
          message: `promise ${part.promise} names Secret ${remote.credentialsSecret} for its credentials, but does not render it on ${source}`,
          hint: "Pledge copies only Secrets the part's promise renders",
        });
        continue;
      }
      bridges.push({ manifest: copy, secretDataFrom: from });
      credentialsSecret = remote.credentialsSecret;
    }
    views[role] = {
      key,
      clusters: placement.clusters,
      sameCluster: false,
      host: `${part.name}.${parent.namespace}.svc.cluster.local`,
      port: remote.port,
      outputs: ctx.outputsOf(part, source) ?? {},
      ...(credentialsSecret ? { credentialsSecret } : {}),
    };
  }
  return { views, bridges };
}
