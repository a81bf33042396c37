import {
  ATTACHMENT_EXTENSIONS,
  ATTACHMENT_FILENAME_MAX_LENGTH,
  type AttachmentContentType,
} from './attachment.constant';
import { ATTACHMENT_TEXTS } from './attachment.texts';

// eslint-disable-next-line no-control-regex -- control characters (and lone surrogates) are exactly what this removes
const CONTROL = /[\u0000-\u001f\u007f-\u009f]|\p{Cs}/gu;
/**
 * Bidirectional overrides and isolates (U+202A–202E, U+2066–2069), the marks (U+200E/F, U+061C)
 * and invisible joiners: they make `gpj.exe` read as `exe.jpg`, or hide characters.
 */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\u061c\ufeff]/gu;
/** Not allowed in a file name on Windows or macOS. */
const RESERVED = /[<>:"|?*]/gu;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)$/iu;
/** What looks like an extension the sender gave (and is replaced, not kept, when it lies). */
const EXTENSION = /\.([A-Za-z0-9]{1,5})$/u;

/**
 * A name safe to show, store and offer as a download: the last path component only (no `/`,
 * `\`, `..`), no control or direction-changing characters, no leading or trailing dots and
 * spaces, at most ATTACHMENT_FILENAME_MAX_LENGTH characters. Without a type (for messages about
 * a refused file) the extension is left as given.
 */
export function sanitiseFilename(raw: string, contentType?: AttachmentContentType): string {
  const basename =
    raw.normalize('NFC').replace(CONTROL, '').replace(INVISIBLE, '').split(/[/\\]/u).pop() ?? '';
  let name = basename.replace(RESERVED, '_').replace(/\s+/gu, ' ');
  name = trimDotsAndSpaces(name, 'both');
  let [stem, extension] = splitExtension(name);
  if (contentType) {
    const allowed = ATTACHMENT_EXTENSIONS[contentType];
    if (extension === null || !allowed.includes(extension.toLowerCase())) {
      extension = allowed[0];
    } else {
      extension = extension.toLowerCase();
    }
  }
  stem = trimDotsAndSpaces(stem, 'end');
  if (stem === '') stem = ATTACHMENT_TEXTS.unnamed;
  if (WINDOWS_DEVICE.test(stem)) stem = `${stem}_`;
  const suffix = extension === null ? '' : `.${extension}`;
  const room = ATTACHMENT_FILENAME_MAX_LENGTH - suffix.length;
  // By code points, so a surrogate pair (an emoji) is never cut in half.
  const chars = Array.from(stem);
  if (chars.length > room) stem = trimDotsAndSpaces(chars.slice(0, room).join(''), 'end');
  return `${stem}${suffix}`;
}

const DOT_OR_SPACE = /[\s.]/u;

/**
 * Dots and white space off the name's ends, one character at a time: a regular expression such
 * as `/[\s.]+$/` backtracks quadratically on a long run of them inside a name (a 1 MB name in a
 * mail's header would hold the event loop for minutes).
 */
function trimDotsAndSpaces(text: string, ends: 'both' | 'end'): string {
  let start = 0;
  let end = text.length;
  if (ends === 'both') while (start < end && DOT_OR_SPACE.test(text[start] ?? '')) start++;
  while (end > start && DOT_OR_SPACE.test(text[end - 1] ?? '')) end--;
  return text.slice(start, end);
}

function splitExtension(name: string): [string, string | null] {
  const match = EXTENSION.exec(name);
  if (!match || match.index === 0) return [name, null];
  return [name.slice(0, match.index), match[1]];
}
