// Flux's two controllers as a cluster runs them, at the version Pledge is
// tested with (v1.9.6, Flux 2.7): what `pledge bootstrap` adds for a cluster
// that has no Flux yet. Modelled on Flux's own install manifests: namespace
// flux-system, one ServiceAccount each, kustomize-controller with
// cluster-admin (it applies whatever the cluster's directory holds),
// source-controller reading sources and serving artifacts on its Service.
// The CRDs come from the controllers' modules (setup's PLEDGE_FLUX_CRDS). Pure.
import type { Manifest } from "../promise/manifest";
import { fluxNamespace } from "./bootstrap";

export const fluxVersion = "v1.9.6";

const labels = (name: string) => ({ "app.kubernetes.io/part-of": "flux", "app.kubernetes.io/component": name, app: name });

function deployment(
  name: string,
  args: string[],
  extra: { ports: object[]; volumes: { name: string; path: string }[] },
): Manifest {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: fluxNamespace, labels: labels(name) },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: labels(name) },
        spec: {
          serviceAccountName: name,
          terminationGracePeriodSeconds: 10,
          securityContext: { fsGroup: 1337 },
          containers: [
            {
              name: "manager",
              image: `ghcr.io/fluxcd/${name}:${fluxVersion}`,
              args: [
                "--watch-all-namespaces=true",
                "--log-level=info",
                "--log-encoding=json",
                "--enable-leader-election",
                ...args,
              ],
              env: [{ name: "RUNTIME_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } }],
              ports: [...extra.ports, { containerPort: 8080, name: "http-prom" }, { containerPort: 9440, name: "healthz" }],
              livenessProbe: { httpGet: { port: "healthz", path: "/healthz" } },
              readinessProbe: { httpGet: { port: "healthz", path: "/readyz" } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: extra.volumes.map((v) => ({ name: v.name, mountPath: v.path })),
            },
          ],
          volumes: extra.volumes.map((v) => ({ name: v.name, emptyDir: {} })),
        },
      },
    },
  };
}

/** Namespace, service accounts, RBAC, the two Deployments and source-controller's Service. */
export function fluxControllers(): Manifest[] {
  const controllers = ["source-controller", "kustomize-controller"];
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: fluxNamespace } },
    ...controllers.map((name): Manifest => ({
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name, namespace: fluxNamespace },
    })),
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "pledge-flux-reconciler" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subjects: controllers.map((name) => ({ kind: "ServiceAccount", name, namespace: fluxNamespace })),
    },
    deployment(
      "source-controller",
      ["--storage-path=/data", `--storage-adv-addr=source-controller.$(RUNTIME_NAMESPACE).svc.cluster.local.`],
      {
        ports: [{ containerPort: 9090, name: "http" }],
        volumes: [
          { name: "data", path: "/data" },
          { name: "tmp", path: "/tmp" },
        ],
      },
    ),
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "source-controller", namespace: fluxNamespace, labels: labels("source-controller") },
      spec: {
        type: "ClusterIP",
        selector: { app: "source-controller" },
        ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: "http" }],
      },
    },
    deployment("kustomize-controller", [], { ports: [], volumes: [{ name: "tmp", path: "/tmp" }] }),
  ];
}
