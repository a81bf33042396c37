const FULL_WIDTH_DIGIT = /[０-９]/g;
// 13–19 digits, optionally grouped by single spaces or hyphens, not part of a longer number.
const CANDIDATE = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g;

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Masks what looks like a payment card number (13–19 digits passing Luhn, full-width digits
 * included) before a text is stored or mailed, keeping the last four digits.
 */
export function maskCardNumbers(text: string): { text: string; masked: number } {
  // Full-width digits are one UTF-16 unit each, so positions in the folded copy match the original.
  const folded = text.replace(FULL_WIDTH_DIGIT, (digit) =>
    String.fromCharCode(digit.charCodeAt(0) - 0xfee0),
  );
  let masked = 0;
  let result = '';
  let last = 0;
  for (const match of folded.matchAll(CANDIDATE)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length < 13 || digits.length > 19 || !passesLuhn(digits)) continue;
    const start = match.index;
    const end = start + match[0].length;
    const keepFrom = end - lastFourDigitsSpan(match[0]);
    result +=
      text.slice(last, start) +
      text.slice(start, keepFrom).replace(/[0-9０-９]/g, '*') +
      text.slice(keepFrom, end);
    last = end;
    masked++;
  }
  return { text: masked === 0 ? text : result + text.slice(last), masked };
}

/** How many characters at the end of a grouped number hold its last four digits. */
function lastFourDigitsSpan(grouped: string): number {
  let digits = 0;
  for (let i = grouped.length - 1; i >= 0; i--) {
    if (/[0-9]/.test(grouped[i])) digits++;
    if (digits === 4) return grouped.length - i;
  }
  return grouped.length;
}
