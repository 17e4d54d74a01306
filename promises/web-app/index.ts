// A web application made of services: the team's container, and optionally a
// PostgreSQL database and a Redis cache, each a request of its own promise.
// The database goes where data lives (workload=data by default), the cache
// next to the app; the app is handed their addresses and credentials, across
// clusters when the database is elsewhere. A compound promise: see compose.
import { definePromise, z } from "../../src";
import { postgres } from "../postgres";
import { redis } from "../redis";

const labelMap = z.record(z.string(), z.string());

export const webAppSpec = z
  .object({
    image: z.string().min(1).describe("the container image, e.g. ghcr.io/acme/shop:1.4.2"),
    port: z.number().int().min(1).max(65535).default(8080).describe("the port the container listens on"),
    replicas: z.number().int().min(1).max(50).default(2),
    database: z
      .object({
        version: z.enum(["16", "17", "18"]).default("17"),
        storageGi: z.number().int().min(1).max(1024).default(10),
        /** Where the database may run, by cluster labels. */
        clusters: labelMap.default({ workload: "data" }).describe("cluster labels the database's cluster must have"),
      })
      .strict()
      .optional()
      .describe("a PostgreSQL database of its own"),
    cache: z
      .object({ size: z.enum(["small", "medium", "large"]).default("small") })
      .strict()
      .optional()
      .describe("a Redis cache beside the app"),
  })
  .strict();

export const webApp = definePromise({
  name: "web-app",
  version: "1.0.0",
  description:
    "A team's web application (Deployment and Service) with an optional PostgreSQL database and Redis cache, wired in through DATABASE_* and REDIS_* variables",
  schema: webAppSpec,
  destinationSelectors: [{ matchExpressions: [{ key: "workload", operator: "NotIn", values: ["gpu"] }] }],
  compose: (request) => ({
    db: request.spec.database
      ? postgres.part(
          { version: request.spec.database.version, storageGi: request.spec.database.storageGi },
          { selector: { matchLabels: request.spec.database.clusters } },
        )
      : undefined,
    cache: request.spec.cache ? redis.part({ size: request.spec.cache.size }, "with-parent") : undefined,
  }),
  outputs: (request) => ({
    host: `web-${request.name}.${request.namespace}.svc.cluster.local`,
    port: 80,
  }),
  render(request) {
    const name = `web-${request.name}`;
    const labels = { "app.kubernetes.io/name": "web-app", "app.kubernetes.io/instance": name };
    const { db, cache } = request.parts;
    const secretEnv = (variable: string, secret: string | undefined, key: string) =>
      secret ? [{ name: variable, valueFrom: { secretKeyRef: { name: secret, key } } }] : [];
    const env = [
      ...(db
        ? [
            { name: "DATABASE_HOST", value: db.host },
            { name: "DATABASE_PORT", value: String(db.port) },
            { name: "DATABASE_NAME", value: db.outputs.database },
            ...secretEnv("DATABASE_USER", db.credentialsSecret, "username"),
            ...secretEnv("DATABASE_PASSWORD", db.credentialsSecret, "password"),
          ]
        : []),
      ...(cache
        ? [
            { name: "REDIS_HOST", value: cache.host },
            { name: "REDIS_PORT", value: String(cache.port) },
            ...secretEnv("REDIS_PASSWORD", cache.credentialsSecret, "password"),
          ]
        : []),
    ];
    return [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: request.namespace, labels },
        spec: {
          replicas: request.spec.replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: "app",
                  image: request.spec.image,
                  ports: [{ containerPort: request.spec.port, name: "http" }],
                  env,
                  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
                },
              ],
            },
          },
        },
      },
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace: request.namespace, labels },
        spec: { selector: labels, ports: [{ port: 80, targetPort: "http", name: "http" }] },
      },
    ];
  },
});
