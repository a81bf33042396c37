import { hashPassword, verifyPassword } from './password-hasher';

describe('password hasher', () => {
  it('should hash with argon2id at 64 MiB and 3 passes (above the OWASP minimum) and verify', async () => {
    const digest = await hashPassword('correct horse battery staple');
    const [, variant, , params] = digest.split('$');
    expect(variant).toBe('argon2id');
    const parsed = Object.fromEntries(params.split(',').map((pair) => pair.split('=')));
    expect(Number(parsed.m)).toBe(65536);
    expect(Number(parsed.t)).toBe(3);
    expect(await verifyPassword(digest, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(digest, 'wrong')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
