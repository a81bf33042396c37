import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What every log line written while serving a request carries. */
export interface RequestContext {
  requestId: string;
  /** The app serving it (tests run several apps in one process; production one per process). */
  app: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The request being served by the current async call chain, if any. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Runs `fn` (a Fastify hook's `done`) with `context` as the current request. */
export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The response header that carries the request id (and the one a trusted proxy may send). */
export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * A request id a proxy may hand over: 8 to 128 letters, digits, `-`, `_`, `.` or `:` (nginx's
 * `$request_id` is 32 hex digits, AWS's and others' are UUIDs). Anything else, including a
 * value that could forge a log line, is replaced by a fresh id.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Fastify's `genReqId`: a random UUID, or the proxy's `X-Request-Id` when the app trusts a
 * proxy (TRUST_PROXY) and the value is sane, so the proxy's and the app's lines share one id.
 * Without a trusted proxy a client could choose its own id; it is ignored.
 */
export function requestIdGenerator(
  trustProxyHeader: boolean,
): (request: IncomingMessage) => string {
  return (request) => {
    const header = request.headers[REQUEST_ID_HEADER];
    if (trustProxyHeader && typeof header === 'string' && SANE_REQUEST_ID.test(header)) {
      return header;
    }
    return randomUUID();
  };
}
