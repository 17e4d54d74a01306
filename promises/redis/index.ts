// Redis as a service: one Deployment + Service per request in the team's
// namespace, sized by the request. No dependencies: any cluster can run it.
import { createHash } from "node:crypto";
import { definePromise, z } from "../../src";

const sizes = {
  small: { cpu: "100m", memory: "128Mi", maxmemory: "100mb" },
  medium: { cpu: "500m", memory: "512Mi", maxmemory: "400mb" },
  large: { cpu: "2", memory: "2Gi", maxmemory: "1600mb" },
} as const;

export const redisSpec = z
  .object({
    size: z.enum(["small", "medium", "large"]).default("small").describe("memory and CPU of the instance"),
    version: z.enum(["7.4", "8.0"]).default("8.0").describe("Redis major.minor version"),
    evictionPolicy: z.enum(["noeviction", "allkeys-lru", "volatile-lru"]).default("allkeys-lru"),
  })
  .strict();

export type RedisSpec = z.output<typeof redisSpec>;

export const redis = definePromise({
  name: "redis",
  version: "1.0.0",
  description:
    "An in-memory Redis cache for one team, reachable at redis-<name>.<team>.svc:6379 with the password in Secret redis-<name>-auth",
  schema: redisSpec,
  outputs: (request) => ({
    host: `redis-${request.name}.${request.namespace}.svc.cluster.local`,
    port: 6379,
    passwordSecret: `redis-${request.name}-auth`,
  }),
  // From another cluster: the cluster's own name under the multi-cluster services domain (KEP-1645).
  remote: (request, cluster) => ({
    host: `${cluster.name}.redis-${request.name}.${request.namespace}.svc.clusterset.local`,
    port: 6379,
    credentialsSecret: `redis-${request.name}-auth`,
  }),
  render(request, cluster) {
    const size = sizes[request.spec.size];
    const name = `redis-${request.name}`;
    const labels = { "app.kubernetes.io/name": "redis", "app.kubernetes.io/instance": name };
    const password = request.password("auth");
    // Redis reads its password when it starts: a new password (a rotated seed) changes this hash, which restarts it.
    const passwordHash = createHash("sha256").update(password).digest("hex").slice(0, 16);
    return [
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: `${name}-auth`, namespace: request.namespace, labels },
        // Generated, stable across runs; Pledge keeps Secret data as Pulumi secrets.
        stringData: { password },
      },
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `${name}-config`, namespace: request.namespace, labels },
        data: {
          "redis.conf": `maxmemory ${size.maxmemory}\nmaxmemory-policy ${request.spec.evictionPolicy}\n# cluster ${cluster.name}\n`,
        },
      },
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: request.namespace, labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels, annotations: { "pledge.dev/password-hash": passwordHash } },
            spec: {
              containers: [
                {
                  name: "redis",
                  image: `redis:${request.spec.version}`,
                  args: ["/etc/redis/redis.conf", "--requirepass", "$(REDIS_PASSWORD)"],
                  env: [{ name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: `${name}-auth`, key: "password" } } }],
                  ports: [{ containerPort: 6379, name: "redis" }],
                  resources: { requests: { cpu: size.cpu, memory: size.memory }, limits: { memory: size.memory } },
                  volumeMounts: [{ name: "config", mountPath: "/etc/redis" }],
                },
              ],
              volumes: [{ name: "config", configMap: { name: `${name}-config` } }],
            },
          },
        },
      },
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace: request.namespace, labels },
        spec: { selector: labels, ports: [{ port: 6379, targetPort: "redis", name: "redis" }] },
      },
    ];
  },
});
