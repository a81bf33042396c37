import { createHash } from 'node:crypto';
import {
  keyedDigestOf,
  generateSecretToken,
  hashSecretToken,
  secretTokenMatches,
} from './secret-token.util';

const HEX_64 = /^[0-9a-f]{64}$/;

describe('generateSecretToken', () => {
  it('should return 43 URL-safe characters (256 bits, no padding)', () => {
    for (let draw = 0; draw < 100; draw++) {
      const token = generateSecretToken();
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(encodeURIComponent(token)).toBe(token);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('should not repeat over many draws', () => {
    const tokens = Array.from({ length: 10_000 }, () => generateSecretToken());

    expect(new Set(tokens).size).toBe(tokens.length);
  });
});

describe('hashSecretToken', () => {
  it('should return the SHA-256 of the token as 64 hex characters', () => {
    const token = generateSecretToken();

    expect(hashSecretToken(token)).toMatch(HEX_64);
    expect(hashSecretToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
  });

  it('should be stable for a token and differ between tokens', () => {
    const token = generateSecretToken();

    expect(hashSecretToken(token)).toBe(hashSecretToken(token));
    expect(hashSecretToken(token)).not.toBe(hashSecretToken(generateSecretToken()));
  });

  it('should not contain the token', () => {
    const token = generateSecretToken();

    expect(hashSecretToken(token)).not.toContain(token);
  });
});

describe('secretTokenMatches', () => {
  const token = generateSecretToken();
  const stored = hashSecretToken(token);

  it('should be true for the token whose hash is stored', () => {
    expect(secretTokenMatches(token, stored)).toBe(true);
  });

  it('should be false for another token, a near miss or an empty token', () => {
    expect(secretTokenMatches(generateSecretToken(), stored)).toBe(false);
    expect(secretTokenMatches(token.slice(0, -1), stored)).toBe(false);
    expect(secretTokenMatches(`${token} `, stored)).toBe(false);
    expect(secretTokenMatches(token.toUpperCase(), stored)).toBe(false);
    expect(secretTokenMatches('', stored)).toBe(false);
  });

  it('should be false, not throw, for a malformed stored hash', () => {
    for (const bad of ['', 'zz', stored.slice(0, 32), `${stored}00`, 'not hex at all']) {
      expect(secretTokenMatches(token, bad)).toBe(false);
    }
  });

  it('should be false when the stored hash is the token itself', () => {
    expect(secretTokenMatches(token, token)).toBe(false);
  });
});

describe('keyedDigestOf', () => {
  const body = { name: '山田 太郎', email: 'taro@example.jp', tags: ['返品', '🙇'], consent: true };
  const key = Buffer.alloc(32, 7);
  const digestOf = (value: unknown) => keyedDigestOf(key, value);

  it('should be stable for equal objects', () => {
    const copy = JSON.parse(JSON.stringify(body)) as unknown;

    expect(digestOf(copy)).toBe(digestOf(body));
    expect(digestOf({ ...body, tags: [...body.tags] })).toBe(digestOf(body));
    expect(digestOf(body)).toMatch(HEX_64);
  });

  it('should differ when any value differs', () => {
    expect(digestOf({ ...body, name: '山田 花子' })).not.toBe(digestOf(body));
    expect(digestOf({ ...body, tags: ['返品'] })).not.toBe(digestOf(body));
    expect(digestOf({ ...body, consent: false })).not.toBe(digestOf(body));
    expect(digestOf({ ...body, extra: 1 })).not.toBe(digestOf(body));
  });

  it('should tell a number from its string', () => {
    expect(digestOf({ id: 1 })).not.toBe(digestOf({ id: '1' }));
  });

  it('should not be the plain SHA-256 of the body, and should change with the key', () => {
    const plain = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    expect(digestOf(body)).not.toBe(plain);
    expect(keyedDigestOf(Buffer.alloc(32, 8), body)).not.toBe(digestOf(body));
  });
});
