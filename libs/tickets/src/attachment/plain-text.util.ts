const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Markup a browser or a viewer might render or run: a document that begins with a tag, a
 * declaration or a processing instruction, or holds an HTML, SVG or script element anywhere.
 */
const LEADING_MARKUP = /^\s*<(?:[!?]|[A-Za-z][\w:-]*[\s/>])/u;
const EMBEDDED_MARKUP =
  /<(?:!doctype|\?xml|html|head|body|svg|script|iframe|object|embed|math)\b/iu;

/**
 * Plain text as attachments accept it: valid UTF-8 (a BOM is fine), no NUL byte (binary or
 * UTF-16), and no HTML, SVG or XML markup (which `file-type` does not name and must not pass
 * as text).
 */
export function isPlainText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return false;
  }
  const body = text.replace(/^\ufeff/u, '');
  return !LEADING_MARKUP.test(body) && !EMBEDDED_MARKUP.test(body);
}
