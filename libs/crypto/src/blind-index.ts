import { createHmac } from 'node:crypto';
import type { CryptoKeys } from './crypto-keys';
import { normaliseEmail, normaliseOrderNumber, normalisePhoneE164 } from './normalise.util';

/** `leak_check_code`: the keyed hash of a mailed one-time code (libs/tickets leak-check). */
export type BlindIndexPurpose = 'email' | 'phone' | 'order' | 'leak_check_code';

/**
 * HMAC-SHA256 of a normalised value, for exact-match lookups of encrypted fields without
 * decrypting. The purpose is part of the input, so equal strings in different fields differ.
 */
export class BlindIndex {
  constructor(private readonly keys: CryptoKeys) {}

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
}
