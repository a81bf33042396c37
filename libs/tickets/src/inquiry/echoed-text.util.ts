/** The longest piece of submitted text a mail repeats; longer is cut with `…`. */
export const ECHOED_TEXT_MAX = 40;

// eslint-disable-next-line no-control-regex -- control, bidi-override and zero-width characters
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * Text a stranger typed (a name), made safe to repeat in a mail that goes out under the
 * merchant's sender name to whatever address was typed: folded (NFKC, so full-width
 * `ｈｔｔｐｓ：／／` is caught too), on one line without control, bidi-override or zero-width
 * characters, links defused the way security advisories write them (`https://evil.example/x` →
 * `hxxps[:]//evil[.]example/x`: no mail program turns that into a link, a reader still sees what
 * was typed), and cut to {@link ECHOED_TEXT_MAX} characters. Every dot between two letters or
 * digits becomes `[.]`, so a bare `evil.example` is no link either.
 */
export function echoedText(value: string, max = ECHOED_TEXT_MAX): string {
  const flat = value.normalize('NFKC').replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  const defused = flat
    .replace(/\bh(t)tp(s?):\/\//gi, 'hxxp$2[:]//')
    .replace(/\b([a-z][a-z0-9+.-]*):\/\//gi, '$1[:]//')
    .replace(/\b(mailto|javascript|data|tel):/gi, '$1[:]')
    .replace(/([\p{L}\p{N}])\.(?=[\p{L}\p{N}])/gu, '$1[.]')
    .replace(/@/g, '[at]');
  const chars = [...defused];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : defused;
}
