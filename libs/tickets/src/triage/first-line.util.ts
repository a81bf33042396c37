/** Characters of a message's first line shown in a list row. */
export const TRIAGE_LINE_LENGTH = 60;

/**
 * The first non-empty line of a message, trimmed and cut to `max` characters (code points, so a
 * surrogate pair is never split) with `…`; null for no text.
 */
export function firstLineOf(text: string | null, max = TRIAGE_LINE_LENGTH): string | null {
  if (text === null) return null;
  const line = text
    .split(/\r\n|\r|\n/)
    .map((part) => part.trim())
    .find((part) => part !== '');
  if (line === undefined) return null;
  const chars = [...line];
  return chars.length <= max ? line : `${chars.slice(0, max).join('')}…`;
}
