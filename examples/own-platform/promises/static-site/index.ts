// A static web site per request: the page a team gives, served by nginx
// behind a Service in the team's namespace. Written against Pledge's public
// API only, as any platform team's promise would be.
import { definePromise, z } from "pledge";

export const staticSite = definePromise({
  name: "static-site",
  version: "1.0.0",
  description: "A static web site served by nginx at static-site-<name>.<team>.svc:80",
  schema: z
    .object({
      title: z.string().min(1).max(80).describe("the page's title"),
      replicas: z.number().int().min(1).max(5).default(1),
    })
    .strict(),
  // Only clusters the platform owner marked as serving web traffic.
  destinationSelectors: [{ matchLabels: { web: "true" } }],
  render(request, cluster) {
    const name = `static-site-${request.name}`;
    const labels = { "app.kubernetes.io/name": "static-site", "app.kubernetes.io/instance": name };
    return [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: request.namespace, labels },
        data: {
          "index.html": `<!doctype html><title>${request.spec.title}</title><h1>${request.spec.title}</h1><p>served from ${cluster.name}</p>\n`,
        },
      },
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
                  name: "nginx",
                  image: "nginx:1.29",
                  ports: [{ containerPort: 80, name: "http" }],
                  volumeMounts: [{ name: "site", mountPath: "/usr/share/nginx/html" }],
                },
              ],
              volumes: [{ name: "site", configMap: { name } }],
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
