/**
 * An email address shown back to its owner without giving it away to someone looking over their
 * shoulder: `taro@mail.example.co.jp` → `t***@m***.co.jp`. The first character of the local
 * part and of the domain stay (enough to recognise one's own address), the rest of each is
 * `***` whatever its length (so the length is not told either), and the public suffix stays
 * (`.jp`, `.co.jp`). A one-character local part is hidden entirely. Characters are counted as
 * the reader sees them (grapheme clusters), so 山田@例え.jp and accents are never cut in half.
 */
const HIDDEN = '***';
// Second-level labels under a country code that belong to the suffix (co.jp, ne.jp, com.au…).
const SECOND_LEVEL_LABELS: ReadonlySet<string> = new Set([
  'co',
  'ne',
  'or',
  'ac',
  'go',
  'ed',
  'lg',
  'gr',
  'ad',
  'com',
  'net',
  'org',
  'gov',
  'edu',
]);
const GRAPHEMES = new Intl.Segmenter('ja', { granularity: 'grapheme' });
// What maskEmailAddress can produce, and nothing longer: for a masked address that comes back
// in a URL (the thank-you page's redirect), so no other text can be put on a page through it.
const MASKED_PATTERN =
  /^(?:[^\s@*\p{M}]\p{M}*)?\*\*\*@[^\s@*\p{M}]\p{M}*\*\*\*(?:\.[^\s@*.]{1,63}){0,2}$/u;
const MASKED_MAX_LENGTH = 100;

function firstGrapheme(text: string): string {
  for (const { segment } of GRAPHEMES.segment(text)) return segment;
  return '';
}

/** The masked address, or null for text that is not `local@domain`. */
export function maskEmailAddress(address: string): string | null {
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf('@');
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1);
  if (at <= 0 || domain === '' || /\s/u.test(trimmed)) return null;
  const labels = domain.split('.');
  if (labels.some((label) => label === '')) return null;
  const suffixLength =
    labels.length >= 3 && SECOND_LEVEL_LABELS.has(labels[labels.length - 2].toLowerCase()) ? 2 : 1;
  const suffix = labels.length > 1 ? labels.slice(-suffixLength) : [];
  const name = labels.slice(0, labels.length - suffix.length);
  const maskedDomain = [`${firstGrapheme(name[0])}${HIDDEN}`, ...suffix].join('.');
  return `${maskedLocal(local)}@${maskedDomain}`;
}

/** One character would be the whole local part: then nothing of it is shown. */
function maskedLocal(local: string): string {
  const graphemes = [...GRAPHEMES.segment(local)];
  return graphemes.length <= 1 ? HIDDEN : `${graphemes[0].segment}${HIDDEN}`;
}

/** Whether text has the shape {@link maskEmailAddress} gives (and so hides an address). */
export function isMaskedEmailAddress(text: string): boolean {
  return text.length <= MASKED_MAX_LENGTH && MASKED_PATTERN.test(text);
}
