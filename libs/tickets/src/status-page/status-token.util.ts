import { NotFoundException } from '@madoguchi/common';
import { hashSecretToken } from '@madoguchi/crypto';

/**
 * Only well-formed tokens reach the database; the lookup is by digest, never by the token.
 * In a file of its own so the services that open things by status token (the status page, its
 * attachments) can import it without importing each other.
 */
export function tokenHashOf(token: string): string {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new NotFoundException();
  return hashSecretToken(token);
}
