/**
 * The one HTTP server (docs/design.md §3): every inbound path on one port — Slack `/slack/events`, Teams
 * `/api/messages`, ingest `/api/v1/events`, `/healthz`. Adapters contribute route handlers;
 * this file only routes, answers health and turns an unexpected failure into a 500.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface Route {
  readonly path: string;
  readonly handler: RouteHandler;
}

export interface Health {
  /** False while the store is opening or the demo is loading: /healthz answers 503. */
  ready(): boolean;
  detail(): Record<string, unknown>;
}

export interface HttpServer {
  readonly server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function createHttpServer(options: { routes: Route[]; health: Health; logger: Logger }): HttpServer {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/healthz') {
      const ready = options.health.ready();
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ok' : 'starting', ...options.health.detail() });
      return;
    }
    const handler = options.routes.find((r) => r.path === path)?.handler;
    if (!handler) {
      sendJson(res, 404, { error: { code: 'not_found', message: `No route for ${path}` } });
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        options.logger.error({ err: error, path }, 'http.failed');
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'Internal error' } });
        else res.destroy();
      });
  });
  // Slack expects an answer within 3 s; keep-alive from load balancers is fine.
  server.keepAliveTimeout = 65_000;
  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
