import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CryptoKeys } from './crypto-keys';

const PREFIX = 'enc1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class FieldDecryptionError extends Error {}

/**
 * AES-256-GCM for personal fields. A stored value reads `enc1:<keyId>:<base64url(iv|ciphertext|tag)>`,
 * so keys can rotate: new values use the active key, old ones still open with theirs.
 */
export class FieldCipher {
  constructor(private readonly keys: CryptoKeys) {}

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.keys.activeKeyId), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}:${this.keys.activeKeyId}:${Buffer.concat([iv, body]).toString('base64url')}`;
  }

  encryptNullable(plain: string | null | undefined): string | null {
    return plain === null || plain === undefined ? null : this.encrypt(plain);
  }

  decrypt(stored: string): string {
    const [prefix, keyId, payload] = stored.split(':');
    if (prefix !== PREFIX || !keyId || !payload)
      throw new FieldDecryptionError('not an encrypted field value');
    const raw = Buffer.from(payload, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES)
      throw new FieldDecryptionError('encrypted field value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new FieldDecryptionError(`encrypted field value failed authentication (key ${keyId})`);
    }
  }

  decryptNullable(stored: string | null | undefined): string | null {
    return stored === null || stored === undefined ? null : this.decrypt(stored);
  }

  /** The key id a stored value was sealed with; a rotation re-encrypts those not under the active one. */
  keyIdOf(stored: string): string {
    return stored.split(':')[1] ?? '';
  }

  /** The key id new values are sealed with (FIELD_ENCRYPTION_ACTIVE_KEY, else the first listed). */
  get activeKeyId(): string {
    return this.keys.activeKeyId;
  }

  isUnderActiveKey(stored: string): boolean {
    return this.keyIdOf(stored) === this.keys.activeKeyId;
  }

  private key(keyId: string): Buffer {
    const key = this.keys.fieldKeys.get(keyId);
    if (!key) throw new FieldDecryptionError(`unknown field key id "${keyId}"`);
    return key;
  }
}
