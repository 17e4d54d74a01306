// PostgreSQL through an operator: every eligible cluster gets the
// PostgresCluster CRD and the operator (the dependencies); each request becomes
// one PostgresCluster object the operator reconciles. Only clusters labelled
// workload=data or workload=general are eligible.
import { z } from "zod";
import { definePromise } from "../../src/promise/define";
import type { Manifest } from "../../src/promise/manifest";

const group = "pledge.dev";
const operatorNamespace = "pledge-postgres";

export const postgresSpec = z
  .object({
    version: z.enum(["16", "17", "18"]).default("17"),
    storageGi: z.number().int().min(1).max(1024).default(10).describe("disk per instance, GiB"),
    instances: z.number().int().min(1).max(5).default(1),
    backups: z.boolean().default(true),
  })
  .strict();

export type PostgresSpec = z.output<typeof postgresSpec>;

const crd: Manifest = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: `postgresclusters.${group}` },
  spec: {
    group,
    scope: "Namespaced",
    names: { plural: "postgresclusters", singular: "postgrescluster", kind: "PostgresCluster", shortNames: ["pgc"] },
    versions: [
      {
        name: "v1alpha1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                required: ["version", "storageGi", "instances"],
                properties: {
                  version: { type: "string" },
                  storageGi: { type: "integer", minimum: 1 },
                  instances: { type: "integer", minimum: 1 },
                  backups: { type: "boolean" },
                },
              },
              status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
            },
          },
        },
      },
    ],
  },
};

export const postgres = definePromise({
  name: "postgres",
  version: "1.0.0",
  description: "A PostgreSQL cluster run by the Pledge postgres operator",
  schema: postgresSpec,
  destinationSelectors: [{ matchExpressions: [{ key: "workload", operator: "In", values: ["data", "general"] }] }],
  dependencies(cluster) {
    const labels = { "app.kubernetes.io/name": "postgres-operator" };
    return [
      crd,
      { apiVersion: "v1", kind: "Namespace", metadata: { name: operatorNamespace } },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "postgres-operator", namespace: operatorNamespace, labels },
        spec: {
          // Production clusters get a standby operator.
          replicas: cluster.labels.env === "prod" ? 2 : 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: "operator", image: "registry.pledge.dev/postgres-operator:1.0.0", args: ["--watch-all-namespaces"] }] },
          },
        },
      },
    ];
  },
  render(request) {
    return [
      {
        apiVersion: `${group}/v1alpha1`,
        kind: "PostgresCluster",
        metadata: { name: `pg-${request.name}`, namespace: request.namespace },
        spec: { ...request.spec },
      },
    ];
  },
});
