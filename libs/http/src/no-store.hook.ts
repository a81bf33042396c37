import type { FastifyInstance } from 'fastify';

/**
 * Every answer is `Cache-Control: no-store` unless its route chose a caching policy of its own
 * (the stylesheet, the scripts, the OpenAPI document): tickets, status pages and API bodies hold
 * personal data that no browser cache or shared proxy may keep.
 */
export function addNoStoreDefault(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    return payload;
  });
}
