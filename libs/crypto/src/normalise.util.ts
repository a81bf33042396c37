import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Full-width digits and letters (０９０－…, ＡＢＣ) as people type them on Japanese keyboards. */
export function foldWidth(value: string): string {
  return value.normalize('NFKC');
}

export function normaliseEmail(email: string): string {
  return foldWidth(email).trim().toLowerCase();
}

/**
 * A phone number in E.164, Japanese numbers assumed without a country code
 * (`090-1234-5678` → `+819012345678`); null when it is not a possible number.
 */
export function normalisePhoneE164(phone: string): string | null {
  const folded = foldWidth(phone)
    .replace(/[ー−‐―]/g, '-')
    .trim();
  if (!/^[+\d(][\d\s().-]*$/.test(folded)) return null;
  const parsed = parsePhoneNumberFromString(folded, 'JP');
  return parsed && parsed.isPossible() ? parsed.number : null;
}

/** Order numbers compare without case, width or separators. */
export function normaliseOrderNumber(orderNumber: string): string {
  return foldWidth(orderNumber).replace(/[\s-]/g, '').toUpperCase();
}
