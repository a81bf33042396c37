import { normalisePhoneE164 } from '@madoguchi/crypto';

/** What Twilio's `From` says about the caller: a number, or that the caller ID is withheld. */
export type CallerId = { withheld: true } | { withheld: false; e164: string };

// Carriers and Twilio spell a withheld or unavailable caller ID in several ways: words, or the
// words typed on a phone keypad (ANONYMOUS = 266696687, RESTRICTED = 7378742833, UNKNOWN = 8656696,
// BLOCKED = 2562533, PRIVATE = 774828, UNAVAILABLE = 86282452253).
const WITHHELD_WORDS = new Set([
  'anonymous',
  'unknown',
  'restricted',
  'private',
  'blocked',
  'unavailable',
  'withheld',
  'non-disclosure',
  '非通知',
  '通知不可能',
  '公衆電話',
]);
const WITHHELD_KEYPAD_DIGITS = new Set([
  '266696687',
  '7378742833',
  '8656696',
  '2562533',
  '774828',
  '86282452253',
]);

/**
 * Reads Twilio's `From`. Anything that is not a possible phone number (a withheld marker, an
 * empty value, a SIP or client address) counts as withheld: it is never stored as a number.
 */
export function parseCallerId(from: string | null | undefined): CallerId {
  const value = (from ?? '').trim();
  if (value === '') return { withheld: true };
  if (WITHHELD_WORDS.has(value.toLowerCase())) return { withheld: true };
  const digits = value.replace(/^\+/, '');
  if (WITHHELD_KEYPAD_DIGITS.has(digits)) return { withheld: true };
  if (!/^\+?[\d\s().-]+$/.test(value)) return { withheld: true };
  const e164 = normalisePhoneE164(value);
  return e164 === null ? { withheld: true } : { withheld: false, e164 };
}
