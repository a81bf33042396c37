import { createHmac, randomBytes } from 'node:crypto';

/**
 * RFC 6238 TOTP as authenticator apps expect it (SHA-1, 6 digits, 30-second steps), on
 * node:crypto. otplib 13's defaults pull in ESM-only packages that jest cannot load, and the
 * algorithm is a dozen lines; the unit spec checks it against the RFC's test vectors.
 */
export const TOTP_PERIOD_SECONDS = 30;
/** Accept the previous and the next step too: phone clocks drift and people type slowly. */
export const TOTP_WINDOW_STEPS = 1;
export const TOTP_DIGITS = 6;
export const TOTP_ISSUER = 'Madoguchi';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const CODE_PATTERN = /^\d{6}$/;

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes RFC 4648 base32 (case-insensitive, padding and spaces ignored); null when malformed. */
export function base32Decode(text: string): Buffer | null {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  if (clean === '') return null;
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32_ALPHABET.indexOf(char);
    if (index < 0) return null;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new base32 secret of 160 random bits (RFC 4226's recommended length). */
export function createTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The otpauth:// URI an authenticator app scans (Google's Key Uri Format). */
export function totpUri(secret: string, accountLabel: string): string {
  const label = `${encodeURIComponent(TOTP_ISSUER)}:${encodeURIComponent(accountLabel)}`;
  const params = new URLSearchParams({
    secret,
    issuer: TOTP_ISSUER,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}

/** The time step of a moment. */
export function totpStepAt(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** RFC 4226 HOTP of one counter value. */
export function hotp(key: Buffer, counter: number, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', key).update(message).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** Codes are typed with spaces or full-width digits now and then; anything else is not a code. */
export function normaliseTotpCode(code: string | null | undefined): string | null {
  if (typeof code !== 'string') return null;
  const ascii = code
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/[\s-]/g, '');
  return CODE_PATTERN.test(ascii) ? ascii : null;
}

/**
 * The time step a code belongs to if it is valid at `now` (±1 step), else null. The caller
 * stores the step and refuses any step not after it, so each code is accepted once.
 */
export function matchTotpCode(
  secret: string,
  code: string | null | undefined,
  now: Date,
): number | null {
  const token = normaliseTotpCode(code);
  const key = base32Decode(secret);
  if (!token || !key || key.length === 0) return null;
  const current = totpStepAt(now);
  let matched: number | null = null;
  // Check every step of the window (no early exit), so timing says nothing about which matched.
  for (let step = current - TOTP_WINDOW_STEPS; step <= current + TOTP_WINDOW_STEPS; step++) {
    if (constantTimeEqual(hotp(key, step), token) && matched === null) matched = step;
  }
  return matched;
}

/** The code of a given moment (tests, and clients that script a login). */
export function totpCodeAt(secret: string, at: Date): string {
  const key = base32Decode(secret);
  if (!key) throw new Error('TOTP secret is not base32');
  return hotp(key, totpStepAt(at));
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
