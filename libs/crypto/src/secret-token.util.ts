import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe: the only key to an end user's status page. */
export function generateSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored as SHA-256 digests: they are random, so no salt or slow hash is needed. */
export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function secretTokenMatches(token: string, storedHash: string): boolean {
  const candidate = Buffer.from(hashSecretToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}

/**
 * A keyed digest (HMAC-SHA256) of any request body, to tell a repeated Idempotency-Key with
 * another body. Keyed, so a reader of a database dump cannot confirm a guessed submission by
 * hashing it: {@link BlindIndex.requestDigest} passes the blind-index key.
 */
export function keyedDigestOf(key: Buffer, value: unknown): string {
  return createHmac('sha256', key)
    .update(`idempotency_request\u0000${JSON.stringify(value)}`)
    .digest('hex');
}
