import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '@madoguchi/config';

/** The key material of the crypto lib: field keys by id, the active one, and the blind-index key. */
export interface CryptoKeys {
  fieldKeys: Map<string, Buffer>;
  activeKeyId: string;
  blindIndexKey: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;

export class CryptoKeysInvalidError extends Error {}

/** Parses `id:base64,id2:base64` pairs; each key must be exactly 32 bytes (AES-256). */
export function parseFieldKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const pair of spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = pair.indexOf(':');
    const id = pair.slice(0, separator);
    const key = Buffer.from(pair.slice(separator + 1), 'base64');
    if (separator < 1 || !KEY_ID.test(id)) {
      throw new CryptoKeysInvalidError(
        `FIELD_ENCRYPTION_KEYS: bad key id in "${id || pair.slice(0, 8)}…"`,
      );
    }
    if (key.length !== 32) {
      throw new CryptoKeysInvalidError(
        `FIELD_ENCRYPTION_KEYS: key "${id}" must be 32 bytes of base64`,
      );
    }
    // A repeated id would silently drop one key and leave the values sealed under it unreadable.
    if (keys.has(id))
      throw new CryptoKeysInvalidError(`FIELD_ENCRYPTION_KEYS: key id "${id}" is repeated`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new CryptoKeysInvalidError('FIELD_ENCRYPTION_KEYS holds no key');
  return keys;
}

export function buildCryptoKeys(
  fieldKeysSpec: string,
  blindIndexKeyBase64: string,
  activeKeyId?: string,
): CryptoKeys {
  const fieldKeys = parseFieldKeys(fieldKeysSpec);
  const active = activeKeyId ?? [...fieldKeys.keys()][0];
  if (!fieldKeys.has(active)) {
    throw new CryptoKeysInvalidError(
      `FIELD_ENCRYPTION_ACTIVE_KEY "${active}" is not among FIELD_ENCRYPTION_KEYS`,
    );
  }
  const blindIndexKey = Buffer.from(blindIndexKeyBase64, 'base64');
  if (blindIndexKey.length < 32)
    throw new CryptoKeysInvalidError('BLIND_INDEX_KEY must be at least 32 bytes of base64');
  return { fieldKeys, activeKeyId: active, blindIndexKey };
}

interface DevKeyFile {
  fieldKeys: string;
  blindIndexKey: string;
}

/**
 * Keys from the environment; outside production, when none are given, keys generated once into
 * `<varDir>/dev-keys.json` and reused, so the embedded database stays readable across restarts.
 */
export function resolveCryptoKeys(config: AppConfig): CryptoKeys {
  const { fieldKeys, blindIndexKey, activeKeyId } = config.crypto;
  if (fieldKeys && blindIndexKey) return buildCryptoKeys(fieldKeys, blindIndexKey, activeKeyId);
  if (config.isProduction) {
    throw new CryptoKeysInvalidError(
      'FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY are required in production',
    );
  }
  const file = join(config.varDir, 'dev-keys.json');
  if (!existsSync(file)) {
    mkdirSync(config.varDir, { recursive: true });
    const generated: DevKeyFile = {
      fieldKeys: `dev1:${randomBytes(32).toString('base64')}`,
      blindIndexKey: randomBytes(32).toString('base64'),
    };
    // wx: two processes starting at once must not overwrite each other's keys.
    try {
      writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as DevKeyFile;
  return buildCryptoKeys(
    fieldKeys ?? stored.fieldKeys,
    blindIndexKey ?? stored.blindIndexKey,
    activeKeyId,
  );
}
