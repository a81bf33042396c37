import { randomBytes } from 'node:crypto';
import { buildCryptoKeys } from './crypto-keys';
import { FieldCipher, FieldDecryptionError } from './field-cipher';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const blindIndexKey = randomBytes(32).toString('base64');

/** A cipher holding k1 and k2 with k2 active, as after a rotation. */
const rotated = (): FieldCipher =>
  new FieldCipher(buildCryptoKeys(`k1:${k1},k2:${k2}`, blindIndexKey, 'k2'));
const beforeRotation = (): FieldCipher =>
  new FieldCipher(buildCryptoKeys(`k1:${k1}`, blindIndexKey, 'k1'));

const STORED = /^enc1:([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)$/;

function partsOf(stored: string): { keyId: string; raw: Buffer } {
  const match = STORED.exec(stored);
  if (!match) throw new Error(`not in the stored format: ${stored}`);
  return { keyId: match[1], raw: Buffer.from(match[2], 'base64url') };
}

const seal = (keyId: string, raw: Buffer): string => `enc1:${keyId}:${raw.toString('base64url')}`;

describe('FieldCipher', () => {
  it.each([
    ['ASCII', 'taro.yamada@example.jp'],
    ['Japanese', '山田 太郎、東京都千代田区丸の内１－１－１'],
    ['emoji', '返品したい 🙇‍♀️📦 👍🏽'],
    ['an empty string', ''],
    ['a long text', 'あ'.repeat(10_000)],
  ])('should return %s unchanged after a round trip', (_label, plain) => {
    const cipher = rotated();

    expect(cipher.decrypt(cipher.encrypt(plain))).toBe(plain);
  });

  it('should produce a different value on each encryption of the same text (random IV)', () => {
    const cipher = rotated();
    const values = Array.from({ length: 50 }, () => cipher.encrypt('090-1234-5678'));

    expect(new Set(values).size).toBe(values.length);
    expect(
      new Set(values.map((value) => partsOf(value).raw.subarray(0, 12).toString('hex'))).size,
    ).toBe(values.length);
  });

  it('should store `enc1:<active key id>:<base64url>` holding a 12-byte IV, the ciphertext and a 16-byte tag', () => {
    const plain = '山田 太郎';
    const stored = rotated().encrypt(plain);

    expect(stored).toMatch(STORED);
    const { keyId, raw } = partsOf(stored);
    expect(keyId).toBe('k2');
    expect(raw.length).toBe(12 + Buffer.byteLength(plain, 'utf8') + 16);
  });

  it('should not reveal the plaintext in the stored value', () => {
    const plain = 'taro.yamada@example.jp';
    const stored = rotated().encrypt(plain);

    expect(stored).not.toContain(plain);
    expect(stored).not.toContain(Buffer.from(plain).toString('base64url'));
    expect(partsOf(stored).raw.includes(Buffer.from(plain))).toBe(false);
  });

  it('should refuse a value with any single byte of the payload altered', () => {
    const cipher = rotated();
    const { keyId, raw } = partsOf(cipher.encrypt('山田 太郎 🙇'));

    for (let index = 0; index < raw.length; index++) {
      const tampered = Buffer.from(raw);
      tampered[index] ^= 0x01;
      expect(() => cipher.decrypt(seal(keyId, tampered))).toThrow(FieldDecryptionError);
    }
  });

  it('should refuse a value whose key id was swapped for another known key', () => {
    const cipher = rotated();
    const stored = cipher.encrypt('山田 太郎');

    expect(() => cipher.decrypt(stored.replace(/^enc1:k2:/, 'enc1:k1:'))).toThrow(
      FieldDecryptionError,
    );
  });

  it('should refuse a value whose key id was changed to an unknown one', () => {
    const cipher = rotated();
    const stored = cipher.encrypt('山田 太郎');

    expect(() => cipher.decrypt(stored.replace(/^enc1:k2:/, 'enc1:k9:'))).toThrow(
      FieldDecryptionError,
    );
    expect(() => cipher.decrypt(stored.replace(/^enc1:k2:/, 'enc1:k9:'))).toThrow(
      /unknown field key id/,
    );
  });

  it('should refuse a truncated value', () => {
    const cipher = rotated();
    const stored = cipher.encrypt('山田 太郎');
    const { keyId, raw } = partsOf(stored);

    for (const length of [raw.length - 1, raw.length - 16, 28, 27, 12, 1]) {
      expect(() => cipher.decrypt(seal(keyId, raw.subarray(0, length)))).toThrow(
        FieldDecryptionError,
      );
    }
    expect(() => cipher.decrypt(stored.slice(0, -4))).toThrow(FieldDecryptionError);
    expect(() => cipher.decrypt(`enc1:${keyId}:`)).toThrow(FieldDecryptionError);
    expect(() => cipher.decrypt(`enc1:${keyId}`)).toThrow(FieldDecryptionError);
  });

  it('should refuse a value that is not in the stored format', () => {
    const cipher = rotated();
    const { raw } = partsOf(cipher.encrypt('山田 太郎'));

    for (const value of [
      '',
      '山田 太郎',
      'enc1',
      `enc2:k2:${raw.toString('base64url')}`,
      `:k2:x`,
    ]) {
      expect(() => cipher.decrypt(value)).toThrow(FieldDecryptionError);
    }
  });

  it('should still decrypt a value sealed under k1 after rotating to an active k2', () => {
    const old = beforeRotation().encrypt('旧鍵で暗号化 📞');
    const cipher = rotated();

    expect(cipher.keyIdOf(old)).toBe('k1');
    expect(cipher.decrypt(old)).toBe('旧鍵で暗号化 📞');
    expect(cipher.keyIdOf(cipher.encrypt('新しい値'))).toBe('k2');
  });

  it('should tell which values need re-encryption under the active key', () => {
    const old = beforeRotation().encrypt('山田 太郎');
    const cipher = rotated();
    const current = cipher.encrypt('山田 太郎');

    expect(cipher.isUnderActiveKey(old)).toBe(false);
    expect(cipher.isUnderActiveKey(current)).toBe(true);
    const reEncrypted = cipher.encrypt(cipher.decrypt(old));
    expect(cipher.isUnderActiveKey(reEncrypted)).toBe(true);
    expect(cipher.decrypt(reEncrypted)).toBe('山田 太郎');
  });

  it('should throw FieldDecryptionError for a value under a key id it does not hold', () => {
    const onlyK2 = new FieldCipher(buildCryptoKeys(`k2:${k2}`, blindIndexKey));
    const old = beforeRotation().encrypt('山田 太郎');

    expect(() => onlyK2.decrypt(old)).toThrow(FieldDecryptionError);
    expect(() => onlyK2.decrypt(old)).toThrow('unknown field key id "k1"');
  });

  it('should not open a value sealed with other key material under the same key id', () => {
    const other = new FieldCipher(
      buildCryptoKeys(`k2:${randomBytes(32).toString('base64')}`, blindIndexKey),
    );

    expect(() => rotated().decrypt(other.encrypt('山田 太郎'))).toThrow(FieldDecryptionError);
  });

  it('should pass null and undefined through encryptNullable and decryptNullable', () => {
    const cipher = rotated();

    expect(cipher.encryptNullable(null)).toBeNull();
    expect(cipher.encryptNullable(undefined)).toBeNull();
    expect(cipher.decryptNullable(null)).toBeNull();
    expect(cipher.decryptNullable(undefined)).toBeNull();
  });

  it('should encrypt non-null values through encryptNullable, the empty string included', () => {
    const cipher = rotated();
    const empty = cipher.encryptNullable('');
    const name = cipher.encryptNullable('山田 太郎');

    expect(empty).toMatch(STORED);
    expect(name).toMatch(STORED);
    expect(cipher.decryptNullable(empty)).toBe('');
    expect(cipher.decryptNullable(name)).toBe('山田 太郎');
  });
});
