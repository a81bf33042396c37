import type { FastifyReply } from 'fastify';

/** For a fingerprinted asset URL: its content never changes, so a year and no revalidation. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** For the bare path or an older version's URL: the current file, kept only briefly. */
export const UNVERSIONED_CACHE_CONTROL = 'public, max-age=300';

/**
 * Sends a file served from code (libs/ui's StaticAsset). Immutable only when the request names
 * the file's current version (`?v=<hash>`, the URL pages link): a page from an older build asks
 * for an older version and gets today's file, so that URL must not pin it for a year.
 */
export function sendStaticAsset(
  reply: FastifyReply,
  asset: { contentType: string; body: string; version: string },
  requestedVersion: unknown,
): void {
  const current = requestedVersion === asset.version;
  void reply
    .header('cache-control', current ? IMMUTABLE_CACHE_CONTROL : UNVERSIONED_CACHE_CONTROL)
    .type(asset.contentType)
    .send(asset.body);
}
