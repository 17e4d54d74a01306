// The local fleet's requests to its API servers (dev/local/kube-api.ts), against
// a stand-in server on loopback: any path answered as status and body, the
// kubeconfig's token sent, and a connection per request, closed with its
// response, so an API server that drops a kept-alive connection (as
// kube-apiserver did during a long update, answering its reuse with
// ECONNRESET) can never fail the next request.
import { KubeConfig } from "@kubernetes/client-node";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { kubeRequest } from "../../../../dev/local/kube-api";
import { waitFor } from "../../../../dev/local/wait";

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

/** An API server stand-in that records every request and every connection. */
function standIn(answer: (seen: Seen, res: ServerResponse) => void) {
  const seen: Seen[] = [];
  const connections: { socket: Socket; requests: number; closed: boolean }[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const connection = connections.find((c) => c.socket === req.socket)!;
    connection.requests++;
    if (connection.requests > 1) {
      // A kept-alive connection used again: dropped, as an API server does with one it already closed.
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request: Seen = {
        method: req.method!,
        url: req.url!,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        ...(req.headers["content-type"] ? { contentType: req.headers["content-type"] } : {}),
        body: Buffer.concat(chunks).toString("utf8"),
      };
      seen.push(request);
      answer(request, res);
    });
  });
  server.on("connection", (socket: Socket) => {
    const connection = { socket, requests: 0, closed: false };
    connections.push(connection);
    socket.on("close", () => (connection.closed = true));
  });
  return { server, seen, connections };
}

function kubeConfigFor(server: Server): KubeConfig {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: "stand-in", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: "admin", token: "secret-token" }],
    contexts: [{ name: "stand-in", cluster: "stand-in", user: "admin" }],
    currentContext: "stand-in",
  });
  return config;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
};

describe("requests to a local API server", () => {
  const api = standIn((request, res) => {
    if (request.url === "/readyz") {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("ok");
    } else if (request.url === "/api/v1/nodes") {
      json(res, 403, { kind: "Status", code: 403, message: 'nodes is forbidden: User "team-a" cannot list resource "nodes"' });
    } else if (request.url === "/api/v1/namespaces/gone") {
      json(res, 404, { kind: "Status", code: 404, reason: "NotFound" });
    } else if (request.method === "DELETE") {
      res.writeHead(200);
      res.end();
    } else {
      json(res, request.method === "POST" ? 201 : 200, { echo: request });
    }
  });
  let config: KubeConfig;

  before(async () => {
    await new Promise<void>((resolve) => api.server.listen(0, "127.0.0.1", resolve));
    config = kubeConfigFor(api.server);
  });
  after(() => api.server.close());

  it("answers with the status and the parsed JSON body, whatever the status", async () => {
    const forbidden = await kubeRequest(config, "GET", "/api/v1/nodes");
    assert.equal(forbidden.status, 403);
    assert.match(JSON.stringify(forbidden.body), /User \\"team-a\\" cannot list resource \\"nodes\\"/);
    assert.deepEqual(await kubeRequest(config, "GET", "/api/v1/namespaces/gone"), {
      status: 404,
      body: { kind: "Status", code: 404, reason: "NotFound" },
    });
  });

  it("gives a plain-text answer as text, and an empty one as undefined", async () => {
    assert.deepEqual(await kubeRequest(config, "GET", "/readyz"), { status: 200, body: "ok" });
    assert.deepEqual(await kubeRequest(config, "DELETE", "/api/v1/namespaces/a/configmaps/b?gracePeriodSeconds=0"), {
      status: 200,
      body: undefined,
    });
  });

  it("sends the kubeconfig's token, the query string, and a body as JSON or as given", async () => {
    const created = await kubeRequest(config, "POST", "/api/v1/namespaces?dryRun=All&fieldValidation=Strict", {
      kind: "Namespace",
    });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.echo, {
      method: "POST",
      url: "/api/v1/namespaces?dryRun=All&fieldValidation=Strict",
      authorization: "Bearer secret-token",
      contentType: "application/json",
      body: '{"kind":"Namespace"}',
    });
    const patched = await kubeRequest(
      config,
      "PATCH",
      "/apis/apps/v1/namespaces/a/deployments/b/scale",
      '{"spec":{"replicas":3}}',
      "application/merge-patch+json",
    );
    assert.equal(patched.body.echo.contentType, "application/merge-patch+json");
    assert.equal(patched.body.echo.body, '{"spec":{"replicas":3}}');
  });

  it("opens a connection per request and closes it with the response: a dropped kept-alive connection fails nothing", async () => {
    const before = api.connections.length;
    for (let i = 0; i < 5; i++) assert.equal((await kubeRequest(config, "GET", "/readyz")).status, 200, `request ${i + 1}`);
    const mine = api.connections.slice(before);
    assert.deepEqual(
      mine.map((c) => c.requests),
      [1, 1, 1, 1, 1],
      "each request on a connection of its own",
    );
    // Closed at once, not left idle for the API server to drop under the next request (undici keeps one 4 s).
    await waitFor("every connection closed", async () => (mine.every((c) => c.closed) ? true : undefined), 2_000, 20).catch(() =>
      assert.fail(`${mine.filter((c) => !c.closed).length} of 5 connections left open after their response`),
    );
  });

  it("says why a request could not be sent", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const config = kubeConfigFor(closed);
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(kubeRequest(config, "GET", "/readyz"), /GET http:\/\/127\.0\.0\.1:\d+\/readyz: .*ECONNREFUSED/);
  });
});
