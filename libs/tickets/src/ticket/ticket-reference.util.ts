import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: a reference is read out over the phone. */
export const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const REFERENCE_PATTERN = new RegExp(`^[${REFERENCE_ALPHABET}]{4}-[${REFERENCE_ALPHABET}]{4}$`);

/** `K7QM-3XHD`: 31^8 ≈ 8.5 × 10^11 values, uniqueness enforced by the database. */
export function generateTicketReference(): string {
  let value = '';
  for (let i = 0; i < 8; i++) value += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `${value.slice(0, 4)}-${value.slice(4)}`;
}

/** Accepts what people type (lower case, full width, no hyphen, spaces); null when it cannot be one. */
export function normaliseTicketReference(input: string): string | null {
  const compact = input.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
  if (compact.length !== 8) return null;
  const reference = `${compact.slice(0, 4)}-${compact.slice(4)}`;
  return REFERENCE_PATTERN.test(reference) ? reference : null;
}
