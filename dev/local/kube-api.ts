// Requests to the local fleet's API servers on @kubernetes/client-node (its
// kubeconfig loading, token and CA, and HTTP library): enough for the fleet's
// readiness checks and for tests that verify objects through the API servers
// themselves rather than through Pulumi outputs. Any path (readyz,
// subresources, dry runs) and any answer, as status and body, so a test can
// assert a 403 or a 404 as plainly as a 200.
import { HttpMethod, IsomorphicFetchHttpLibrary, KubeConfig, RequestContext } from "@kubernetes/client-node";

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
}

const http = new IsomorphicFetchHttpLibrary();
const timeoutMs = 15_000;

/** A client config from a kubeconfig file, at its current context. */
export function kubeConfigFromFile(file: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(file);
  return config;
}

export async function kubeRequest<T = any>(
  config: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
): Promise<KubeResponse<T>> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error(`no current cluster in the kubeconfig (context ${config.getCurrentContext()})`);
  const url = new URL(path, cluster.server);
  const request = new RequestContext(url.toString(), method.toUpperCase() as HttpMethod);
  await config.applySecurityAuthentication(request);
  request.setHeaderParam("Accept", "application/json");
  // A connection per request, closed with its response: an API server that closed a kept-alive connection
  // during a long update answers its reuse with ECONNRESET ("socket hang up").
  request.setHeaderParam("Connection", "close");
  if (body !== undefined) {
    request.setHeaderParam("Content-Type", contentType);
    request.setBody(typeof body === "string" ? body : JSON.stringify(body));
  }
  request.setSignal(AbortSignal.timeout(timeoutMs));
  let text: string;
  let status: number;
  try {
    const response = await http.send(request).toPromise();
    status = response.httpStatusCode;
    text = await response.body.text();
  } catch (err) {
    if (err instanceof Error && err.name === "TimeoutError") throw new Error(`${method} ${url} timed out`);
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, a reset, a certificate) is its cause.
    const reason = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    throw new Error(`${method} ${url}: ${reason}`, { cause: err });
  }
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // readyz and friends answer in plain text
  }
  return { status, body: parsed as T };
}
