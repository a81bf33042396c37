import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, loadConfig } from '@madoguchi/config';
import {
  CryptoKeysInvalidError,
  buildCryptoKeys,
  parseFieldKeys,
  resolveCryptoKeys,
} from './crypto-keys';
import { FieldCipher } from './field-cipher';

const key32 = (): string => randomBytes(32).toString('base64');

function thrownBy(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('parseFieldKeys', () => {
  it('should read comma-separated `id:base64` pairs, ignoring spaces and empty entries', () => {
    const a = key32();
    const b = key32();

    const keys = parseFieldKeys(` k1:${a} , k_2-b:${b},`);

    expect([...keys.keys()]).toEqual(['k1', 'k_2-b']);
    expect(keys.get('k1')).toEqual(Buffer.from(a, 'base64'));
    expect(keys.get('k_2-b')).toEqual(Buffer.from(b, 'base64'));
  });

  it.each([
    ['an empty id', `:${key32()}`],
    ['no separator', key32()],
    ['a space in the id', `k 1:${key32()}`],
    ['a symbol in the id', `k!1:${key32()}`],
    ['a non-ASCII id', `鍵1:${key32()}`],
    ['an id over 16 characters', `${'k'.repeat(17)}:${key32()}`],
  ])('should reject %s', (_label, spec) => {
    expect(() => parseFieldKeys(spec)).toThrow(CryptoKeysInvalidError);
    expect(() => parseFieldKeys(spec)).toThrow(/bad key id/);
  });

  it.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['31 bytes', randomBytes(31).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['64 bytes', randomBytes(64).toString('base64')],
    ['no bytes', ''],
  ])('should reject a key of %s', (_label, key) => {
    expect(() => parseFieldKeys(`k1:${key}`)).toThrow(CryptoKeysInvalidError);
    expect(() => parseFieldKeys(`k1:${key}`)).toThrow('key "k1" must be 32 bytes');
  });

  it('should reject a bad key among good ones', () => {
    expect(() => parseFieldKeys(`k1:${key32()},k2:${randomBytes(24).toString('base64')}`)).toThrow(
      CryptoKeysInvalidError,
    );
  });

  it('should reject a repeated key id instead of silently dropping one of the keys', () => {
    expect(() => parseFieldKeys(`k1:${key32()},k1:${key32()}`)).toThrow(CryptoKeysInvalidError);
    expect(() => parseFieldKeys(`k1:${key32()},k1:${key32()}`)).toThrow(/repeated/);
  });

  it.each([[''], ['   '], [','], [' , ,']])('should reject the empty spec %j', (spec) => {
    expect(() => parseFieldKeys(spec)).toThrow(CryptoKeysInvalidError);
    expect(() => parseFieldKeys(spec)).toThrow('holds no key');
  });

  it('should not echo the key material in its errors', () => {
    const secret = randomBytes(24).toString('base64');

    const error = thrownBy(() => parseFieldKeys(`k1:${secret}`));

    expect(error).toBeInstanceOf(CryptoKeysInvalidError);
    expect(error.message).not.toContain(secret);
  });
});

describe('buildCryptoKeys', () => {
  it('should take the first listed key as active when none is named', () => {
    const keys = buildCryptoKeys(`k1:${key32()},k2:${key32()}`, key32());

    expect(keys.activeKeyId).toBe('k1');
    expect(keys.fieldKeys.size).toBe(2);
  });

  it('should use the named active key', () => {
    expect(buildCryptoKeys(`k1:${key32()},k2:${key32()}`, key32(), 'k2').activeKeyId).toBe('k2');
  });

  it('should reject an active key id that is not listed', () => {
    expect(() => buildCryptoKeys(`k1:${key32()},k2:${key32()}`, key32(), 'k3')).toThrow(
      CryptoKeysInvalidError,
    );
    expect(() => buildCryptoKeys(`k1:${key32()}`, key32(), 'k3')).toThrow(
      'FIELD_ENCRYPTION_ACTIVE_KEY "k3" is not among FIELD_ENCRYPTION_KEYS',
    );
  });

  it('should reject a blind-index key shorter than 32 bytes', () => {
    for (const short of [
      '',
      randomBytes(16).toString('base64'),
      randomBytes(31).toString('base64'),
    ]) {
      expect(() => buildCryptoKeys(`k1:${key32()}`, short)).toThrow(CryptoKeysInvalidError);
      expect(() => buildCryptoKeys(`k1:${key32()}`, short)).toThrow(/BLIND_INDEX_KEY/);
    }
  });

  it('should accept a blind-index key of 32 bytes or more', () => {
    const long = randomBytes(64);

    expect(buildCryptoKeys(`k1:${key32()}`, long.toString('base64')).blindIndexKey).toEqual(long);
    expect(buildCryptoKeys(`k1:${key32()}`, key32()).blindIndexKey).toHaveLength(32);
  });
});

describe('resolveCryptoKeys', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'madoguchi-crypto-keys-'));
  });

  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  const devConfig = (env: Record<string, string | undefined> = {}, varDir = tmp): AppConfig =>
    loadConfig({ NODE_ENV: 'development', MADOGUCHI_VAR_DIR: varDir, ...env });

  it('should throw in production when no keys are configured, and write no key file', () => {
    const config = devConfig();
    config.nodeEnv = 'production';

    expect(() => resolveCryptoKeys(config)).toThrow(CryptoKeysInvalidError);
    expect(() => resolveCryptoKeys(config)).toThrow(/required in production/);
    expect(existsSync(join(tmp, 'dev-keys.json'))).toBe(false);
  });

  it('should throw in production when only one of the two keys is configured', () => {
    for (const env of [{ FIELD_ENCRYPTION_KEYS: `k1:${key32()}` }, { BLIND_INDEX_KEY: key32() }]) {
      const config = devConfig(env);
      config.nodeEnv = 'production';

      expect(() => resolveCryptoKeys(config)).toThrow(CryptoKeysInvalidError);
    }
    expect(existsSync(join(tmp, 'dev-keys.json'))).toBe(false);
  });

  it('should use the environment keys in production', () => {
    const field = key32();
    const blind = key32();
    const config = loadConfig({
      NODE_ENV: 'production',
      MADOGUCHI_VAR_DIR: tmp,
      FIELD_ENCRYPTION_KEYS: `k1:${key32()},k2:${field}`,
      FIELD_ENCRYPTION_ACTIVE_KEY: 'k2',
      BLIND_INDEX_KEY: blind,
      DATABASE_URL: 'mysql://madoguchi@db/madoguchi',
      SMTP_URL: 'smtp://mail:25',
      TWILIO_AUTH_TOKEN: 'twilio-auth-token',
    });

    const keys = resolveCryptoKeys(config);

    expect(keys.activeKeyId).toBe('k2');
    expect(keys.fieldKeys.get('k2')).toEqual(Buffer.from(field, 'base64'));
    expect(keys.blindIndexKey).toEqual(Buffer.from(blind, 'base64'));
    expect(existsSync(join(tmp, 'dev-keys.json'))).toBe(false);
  });

  it('should generate <varDir>/dev-keys.json outside production, readable by its owner only', () => {
    const varDir = join(tmp, 'nested', 'var');

    const keys = resolveCryptoKeys(devConfig({}, varDir));

    const file = join(varDir, 'dev-keys.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(keys.activeKeyId).toBe('dev1');
    expect(keys.fieldKeys.get('dev1')).toHaveLength(32);
    expect(keys.blindIndexKey).toHaveLength(32);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(stored.fieldKeys).toBe(`dev1:${keys.fieldKeys.get('dev1')?.toString('base64')}`);
    expect(stored.blindIndexKey).toBe(keys.blindIndexKey.toString('base64'));
  });

  it('should reuse the generated keys on a second call, so earlier values still decrypt', () => {
    const first = resolveCryptoKeys(devConfig());
    const file = join(tmp, 'dev-keys.json');
    const written = readFileSync(file, 'utf8');
    const sealed = new FieldCipher(first).encrypt('山田 太郎');

    const second = resolveCryptoKeys(devConfig());

    expect(readFileSync(file, 'utf8')).toBe(written);
    expect(second.activeKeyId).toBe(first.activeKeyId);
    expect(second.fieldKeys).toEqual(first.fieldKeys);
    expect(second.blindIndexKey).toEqual(first.blindIndexKey);
    expect(new FieldCipher(second).decrypt(sealed)).toBe('山田 太郎');
  });

  it('should generate different keys for different var directories', () => {
    const a = resolveCryptoKeys(devConfig({}, join(tmp, 'a')));
    const b = resolveCryptoKeys(devConfig({}, join(tmp, 'b')));

    expect(a.fieldKeys.get('dev1')).not.toEqual(b.fieldKeys.get('dev1'));
    expect(a.blindIndexKey).not.toEqual(b.blindIndexKey);
  });

  it('should prefer the environment keys over the key file', () => {
    const fromFile = resolveCryptoKeys(devConfig());
    const field = key32();
    const blind = key32();

    const keys = resolveCryptoKeys(
      devConfig({ FIELD_ENCRYPTION_KEYS: `env1:${field}`, BLIND_INDEX_KEY: blind }),
    );

    expect([...keys.fieldKeys.keys()]).toEqual(['env1']);
    expect(keys.activeKeyId).toBe('env1');
    expect(keys.fieldKeys.get('env1')).toEqual(Buffer.from(field, 'base64'));
    expect(keys.blindIndexKey).toEqual(Buffer.from(blind, 'base64'));
    expect(keys.blindIndexKey).not.toEqual(fromFile.blindIndexKey);
  });

  it('should not create a key file when the environment gives both keys', () => {
    resolveCryptoKeys(
      devConfig({ FIELD_ENCRYPTION_KEYS: `k1:${key32()}`, BLIND_INDEX_KEY: key32() }),
    );

    expect(existsSync(join(tmp, 'dev-keys.json'))).toBe(false);
  });

  it('should take from the file only the key the environment leaves out', () => {
    const fromFile = resolveCryptoKeys(devConfig());
    const blind = key32();

    const keys = resolveCryptoKeys(devConfig({ BLIND_INDEX_KEY: blind }));

    expect(keys.fieldKeys).toEqual(fromFile.fieldKeys);
    expect(keys.blindIndexKey).toEqual(Buffer.from(blind, 'base64'));
  });

  it('should validate environment keys as strictly as parseFieldKeys does', () => {
    expect(() =>
      resolveCryptoKeys(
        devConfig({
          FIELD_ENCRYPTION_KEYS: `k1:${randomBytes(16).toString('base64')}`,
          BLIND_INDEX_KEY: key32(),
        }),
      ),
    ).toThrow(CryptoKeysInvalidError);
  });
});
