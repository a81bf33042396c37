import type { FastifyInstance } from 'fastify';
import { httpRequestDuration, httpRequestsTotal } from '@madoguchi/common';
import type { AppLogger } from './app-logger';
import { REQUEST_ID_HEADER, runInRequestContext } from './request-context';

/** The route label of a request no route matched (a 404 from the router): never its raw URL. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Probes: counted in the metrics, but no access-log line every few seconds per load balancer. */
const QUIET_ROUTES = new Set(['/healthz', '/metrics']);

/**
 * Request ids, the access log and the request metrics, as Fastify hooks on the root instance
 * (createFastifyApp adds them before any route exists, so they apply to every route and to 404s).
 *
 * - Every reply carries `X-Request-Id`; every log line written while serving the request carries
 *   `reqId` (async context, re-entered after the body was read, as body parsing runs outside it).
 * - One access-log line per request: method, the matched route pattern (`/status/:token`, never
 *   the URL, whose path holds status and reply tokens and whose query is never logged), status,
 *   duration, request id. No body, cookie, header or client address (docs/operations.md).
 */
export function installRequestLogging(
  fastify: FastifyInstance,
  logger: AppLogger,
  app: string,
): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    runInRequestContext({ requestId: request.id, app }, done);
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    runInRequestContext({ requestId: request.id, app }, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const durationMs = reply.elapsedTime;
    httpRequestsTotal.inc({
      app,
      method: request.method,
      route,
      status: String(reply.statusCode),
    });
    httpRequestDuration.observe({ app, method: request.method, route }, durationMs / 1000);
    if (!QUIET_ROUTES.has(route)) {
      logger.info(
        {
          reqId: request.id,
          method: request.method,
          route,
          status: reply.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
        },
        'request completed',
      );
    }
    done();
  });
}
