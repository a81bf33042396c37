import {
  base32Decode,
  base32Encode,
  createTotpSecret,
  hotp,
  matchTotpCode,
  normaliseTotpCode,
  totpCodeAt,
  totpStepAt,
  totpUri,
} from './totp.util';

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", 8-digit codes.
const RFC_SEED = Buffer.from('12345678901234567890', 'ascii');
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP', () => {
  const now = new Date('2026-11-24T01:00:10Z');

  it.each(RFC_VECTORS)(
    'should match the RFC 6238 test vector at %i seconds',
    (seconds, expected) => {
      expect(hotp(RFC_SEED, Math.floor(seconds / 30), 8)).toBe(expected);
    },
  );

  it('should round-trip base32 and refuse malformed base32', () => {
    expect(base32Encode(RFC_SEED)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezdgnbvgy3tqojqgezdgnbvgy3tqojq')?.equals(RFC_SEED)).toBe(true);
    expect(base32Decode('GEZ!')).toBeNull();
    expect(base32Decode('')).toBeNull();
  });

  it('should accept the current code and return its time step', () => {
    const secret = createTotpSecret();
    expect(matchTotpCode(secret, totpCodeAt(secret, now), now)).toBe(totpStepAt(now));
  });

  it('should accept the previous and next step but not two steps away', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const step = totpStepAt(now);
    const codeOf = (offsetSteps: number) =>
      totpCodeAt(secret, new Date(now.getTime() + offsetSteps * 30_000));
    // With this fixed secret the five codes around `now` differ, so each assertion means what it says.
    expect(new Set([-2, -1, 0, 1, 2].map(codeOf)).size).toBe(5);
    expect(matchTotpCode(secret, codeOf(-1), now)).toBe(step - 1);
    expect(matchTotpCode(secret, codeOf(1), now)).toBe(step + 1);
    expect(matchTotpCode(secret, codeOf(-2), now)).toBeNull();
    expect(matchTotpCode(secret, codeOf(2), now)).toBeNull();
  });

  it('should refuse a code of another secret, malformed codes and a corrupt secret', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const other = totpCodeAt('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', now);
    expect(other).not.toBe(totpCodeAt(secret, now));
    expect(matchTotpCode(secret, other, now)).toBeNull();
    for (const bad of ['', '12345', '1234567', 'abcdef', null, undefined]) {
      expect(matchTotpCode(secret, bad, now)).toBeNull();
    }
    expect(matchTotpCode('!!not base32!!', '123456', now)).toBeNull();
  });

  it('should read codes typed with spaces or full-width digits', () => {
    expect(normaliseTotpCode(' 123 456 ')).toBe('123456');
    expect(normaliseTotpCode('１２３４５６')).toBe('123456');
    const secret = createTotpSecret();
    const code = totpCodeAt(secret, now);
    expect(matchTotpCode(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toBe(
      totpStepAt(now),
    );
  });

  it('should make 160-bit base32 secrets and an otpauth URI carrying them', () => {
    const secret = createTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(createTotpSecret()).not.toBe(secret);
    const uri = totpUri(secret, 'agent@example.jp');
    expect(uri.startsWith('otpauth://totp/Madoguchi:agent%40example.jp?')).toBe(true);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('issuer=Madoguchi');
  });
});
