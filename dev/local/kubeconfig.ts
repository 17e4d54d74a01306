// Kubeconfig files of the local fleet: one admin, one per team, all with the
// API server's own self-signed CA so clients verify TLS (no insecure flag).
import { stringify } from "yaml";

export interface KubeconfigParams {
  clusterName: string;
  server: string;
  caPem: string;
  user: string;
  token: string;
}

export function renderKubeconfig(p: KubeconfigParams): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: p.clusterName,
        cluster: { server: p.server, "certificate-authority-data": Buffer.from(p.caPem).toString("base64") },
      },
    ],
    users: [{ name: `${p.clusterName}-${p.user}`, user: { token: p.token } }],
    contexts: [{ name: p.clusterName, context: { cluster: p.clusterName, user: `${p.clusterName}-${p.user}` } }],
    "current-context": p.clusterName,
  });
}
