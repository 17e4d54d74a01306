// PostgreSQL through an operator: every eligible cluster gets the operator's
// Helm chart (the PostgresCluster CRD and the operator, shipped in ./chart) as
// the dependencies; each request becomes one PostgresCluster object the
// operator reconciles. Only clusters labelled workload=data or workload=general
// are eligible.
import { join } from "node:path";
import { definePromise, helmChart, z } from "../../src";

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

export const postgres = definePromise({
  name: "postgres",
  version: "1.0.0",
  description: "A PostgreSQL cluster run by the Pledge postgres operator",
  schema: postgresSpec,
  // A database: deleting or moving a request loses its data, so it needs confirmation.
  stateful: true,
  destinationSelectors: [{ matchExpressions: [{ key: "workload", operator: "In", values: ["data", "general"] }] }],
  dependencies(cluster) {
    return [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: operatorNamespace } },
      helmChart({
        name: "postgres-operator",
        namespace: operatorNamespace,
        chart: { path: join(__dirname, "chart") },
        // Production clusters get a standby operator.
        values: { operator: { replicas: cluster.labels.env === "prod" ? 2 : 1 } },
      }),
    ];
  },
  outputs: (request) => ({
    host: `pg-${request.name}.${request.namespace}.svc.cluster.local`,
    port: 5432,
    database: request.name,
    credentialsSecret: `pg-${request.name}-credentials`,
  }),
  // From another cluster: the cluster's own name under the multi-cluster services domain
  // (KEP-1645, clusterset.local), which the fleet's network (Submariner, Cilium ClusterMesh, ...) serves.
  remote: (request, cluster) => ({
    host: `${cluster.name}.pg-${request.name}.${request.namespace}.svc.clusterset.local`,
    port: 5432,
    credentialsSecret: `pg-${request.name}-credentials`,
  }),
  render(request) {
    return [
      {
        // The application's credentials; the operator creates the role with them.
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: `pg-${request.name}-credentials`, namespace: request.namespace },
        stringData: { username: request.name, password: request.password("app"), database: request.name },
      },
      {
        apiVersion: `${group}/v1alpha1`,
        kind: "PostgresCluster",
        metadata: { name: `pg-${request.name}`, namespace: request.namespace },
        spec: { ...request.spec, credentialsSecret: `pg-${request.name}-credentials` },
      },
    ];
  },
});
