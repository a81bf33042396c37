import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { metricsRegistry, workerIndex } from '@madoguchi/common';
import type { AppConfig } from '@madoguchi/config';

/** Each app's offset from METRICS_PORT, so the three processes of one host do not collide. */
export const METRICS_PORT_OFFSET = { intake: 0, desk: 1, telephony: 2, app: 0 } as const;
export type MetricsApp = keyof typeof METRICS_PORT_OFFSET;

/**
 * The side port of this process: METRICS_PORT + the app's offset, and 3 more per worker with
 * WORKERS > 1 (each worker's figures are its own: one scrape target per worker).
 */
export function metricsPortOf(port: number, app: MetricsApp): number {
  return port + METRICS_PORT_OFFSET[app] + 3 * workerIndex();
}

/** Refreshes figures read at scrape time (the desk: the outbox backlog from the database). */
export type MetricsCollector = () => Promise<void>;

const listeners = new WeakMap<object, Server>();

/** The Prometheus text of this process, after the app's collector has refreshed its gauges. */
export async function renderMetrics(
  collect?: MetricsCollector,
): Promise<{ contentType: string; body: string }> {
  if (collect) await collect();
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time. */
export function hasMetricsToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1]), digest(token));
}

/**
 * Serves `/metrics` the ways the configuration asks (docs/operations.md, "Metrics"):
 *
 * - METRICS_PORT (the primary way): a listener of its own on METRICS_HOST (loopback by default)
 *   at METRICS_PORT plus the app's offset, started when the app is ready and closed with it.
 *   Nothing else answers there, and the public port has no `/metrics`.
 * - METRICS_TOKEN: `/metrics` on the public port as well, for `Authorization: Bearer <token>`
 *   only (401 otherwise). Without a token configured, the public port answers 404.
 */
export function installMetrics(
  fastify: FastifyInstance,
  config: AppConfig,
  app: MetricsApp,
  collect?: () => MetricsCollector | undefined,
): void {
  const { token, port, host } = config.metrics;
  if (token) {
    fastify.get('/metrics', async (request, reply) => {
      if (!hasMetricsToken(request.headers.authorization, token)) {
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer')
          .header('cache-control', 'no-store')
          .send({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'metrics token required' });
      }
      const metrics = await renderMetrics(collect?.());
      return reply.header('cache-control', 'no-store').type(metrics.contentType).send(metrics.body);
    });
  }
  if (port === undefined) return;
  fastify.addHook('onReady', async () => {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      renderMetrics(collect?.()).then(
        (metrics) =>
          response.writeHead(200, { 'content-type': metrics.contentType }).end(metrics.body),
        () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // Port 0 (tests): any free port; metricsAddress() tells which.
      server.listen(port === 0 ? 0 : metricsPortOf(port, app), host, () => resolve());
    });
    listeners.set(fastify, server);
  });
  fastify.addHook('onClose', async () => {
    const server = listeners.get(fastify);
    if (!server) return;
    listeners.delete(fastify);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

/** Where this app's separate metrics listener listens (null when METRICS_PORT is unset). */
export function metricsAddress(fastify: object): AddressInfo | null {
  const address = listeners.get(fastify)?.address();
  return address && typeof address === 'object' ? address : null;
}
