import { hashPassword, verifyPassword } from './password-hasher';

describe('password hasher', () => {
  it('should hash with argon2id at or above OWASP parameters and verify', async () => {
    const digest = await hashPassword('correct horse battery staple');
    const [, variant, , params] = digest.split('$');
    expect(variant).toBe('argon2id');
    const parsed = Object.fromEntries(params.split(',').map((pair) => pair.split('=')));
    expect(Number(parsed.m)).toBeGreaterThanOrEqual(19456);
    expect(Number(parsed.t)).toBeGreaterThanOrEqual(2);
    expect(await verifyPassword(digest, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(digest, 'wrong')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
