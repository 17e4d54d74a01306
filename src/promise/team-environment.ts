// A team's environment on a cluster it uses: its namespace, its people bound
// to the namespace (no cluster-wide rights), what it may use there (quota and
// container defaults), and a default-deny network policy. Enforced by the API
// servers, not by Pledge. Pure: plain manifests the render plan orders first.
import type { TeamEntry } from "../config/parse";
import type { Manifest } from "./manifest";

export const teamLabel = "pledge.dev/team";
export const promiseLabel = "pledge.dev/promise";
export const requestLabel = "pledge.dev/request";

/** The built-in role a team gets in its namespace: read and write of workloads, never roles, quotas or anything cluster-wide. */
export const teamRole = "edit";

const rbac = "rbac.authorization.k8s.io";

/**
 * The objects of a team's environment on one cluster. A team the stack does
 * not declare (no pledge:teams) gets its namespace only.
 */
export function teamEnvironment(namespace: string, team: TeamEntry | undefined): Manifest[] {
  const labels = { [teamLabel]: namespace };
  const meta = (name: string) => ({ name, namespace, labels });
  const objects: Manifest[] = [{ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels } }];
  if (!team) return objects;
  objects.push({
    apiVersion: `${rbac}/v1`,
    kind: "RoleBinding",
    metadata: meta("pledge-team"),
    roleRef: { apiGroup: rbac, kind: "ClusterRole", name: teamRole },
    subjects: [
      ...team.users.map((name) => ({ apiGroup: rbac, kind: "User", name })),
      ...team.groups.map((name) => ({ apiGroup: rbac, kind: "Group", name })),
    ],
  });
  const quota = team.quota;
  if (quota) {
    const hard: Record<string, string> = {};
    if (quota.cpu !== undefined) hard["requests.cpu"] = String(quota.cpu);
    if (quota.memory !== undefined) hard["requests.memory"] = String(quota.memory);
    if (quota.pods !== undefined) hard.pods = String(quota.pods);
    for (const [resource, count] of Object.entries(quota.objects)) hard[`count/${resource}`] = String(count);
    objects.push({ apiVersion: "v1", kind: "ResourceQuota", metadata: meta("pledge-team"), spec: { hard } });
  }
  const defaults = { cpu: String(team.defaults.cpu), memory: String(team.defaults.memory) };
  objects.push({
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: meta("pledge-team-defaults"),
    // Requests only: a default limit would refuse a container that asks for more than it and names no limit.
    spec: { limits: [{ type: "Container", defaultRequest: defaults }] },
  });
  if (team.isolated) {
    objects.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("pledge-default-deny"),
      spec: {
        // Every pod of the namespace: traffic only from and to the namespace's own pods, plus DNS anywhere.
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [
          { to: [{ podSelector: {} }] },
          {
            to: [{ namespaceSelector: {} }],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
        ],
      },
    });
  }
  return objects;
}

/** A manifest with Pledge's labels added (Pledge's win over a render's own), so anyone on the cluster can tell what put it there. */
export function withPledgeLabels(manifest: Manifest, labels: Record<string, string>): Manifest {
  return { ...manifest, metadata: { ...manifest.metadata, labels: { ...manifest.metadata.labels, ...labels } } };
}
