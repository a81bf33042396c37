import { createHmac } from 'node:crypto';
import type { CryptoKeys } from './crypto-keys';
import { normaliseEmail, normaliseOrderNumber, normalisePhoneE164 } from './normalise.util';
import { keyedDigestOf } from './secret-token.util';

/**
 * `leak_check_code`: the keyed hash of a mailed one-time code (libs/incident-response leak-check);
 * `message_id`: a mail's normalised Message-ID (libs/tickets mail-thread).
 */
export type BlindIndexPurpose = 'email' | 'phone' | 'order' | 'leak_check_code' | 'message_id';

/**
 * HMAC-SHA256 of a normalised value, for exact-match lookups of encrypted fields without
 * decrypting. The purpose is part of the input, so equal strings in different fields differ.
 */
export class BlindIndex {
  constructor(private readonly keys: CryptoKeys) {}

  /**
   * The same indexes computed in a worker thread (a large affected-customer list is hashed off
   * the event loop): a BlindIndex there, over a copy of this key only. Never logged or stored.
   */
  static forWorker(blindIndexKey: Uint8Array): BlindIndex {
    return new BlindIndex({ blindIndexKey: Buffer.from(blindIndexKey) } as CryptoKeys);
  }

  /** The key to hand to {@link BlindIndex.forWorker} (workerData copies it into the thread). */
  workerKey(): Uint8Array {
    return new Uint8Array(this.keys.blindIndexKey);
  }

  of(purpose: BlindIndexPurpose, normalised: string): string {
    return createHmac('sha256', this.keys.blindIndexKey)
      .update(`${purpose}\u0000${normalised}`)
      .digest('hex');
  }

  email(email: string): string {
    return this.of('email', normaliseEmail(email));
  }

  /** null when the number cannot be normalised to E.164: such values are not indexed. */
  phone(phone: string): string | null {
    const e164 = normalisePhoneE164(phone);
    return e164 === null ? null : this.of('phone', e164);
  }

  orderNumber(orderNumber: string): string {
    return this.of('order', normaliseOrderNumber(orderNumber));
  }

  /**
   * The idempotency record's request digest: an HMAC under the blind-index key with its own
   * purpose prefix, so it can neither be recomputed from a dump nor collide with an index.
   */
  requestDigest(body: unknown): string {
    return keyedDigestOf(this.keys.blindIndexKey, body);
  }
}
