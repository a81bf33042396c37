import type { AddressObject, EmailAddress, ParsedMail } from 'mailparser';

/** A file of the mail as it arrived (untrusted; AttachmentInspector decides). */
export interface InboundPart {
  filename: string;
  contentType: string;
  bytes: Buffer;
  /** Embedded in the HTML body (a pasted screenshot, or a signature's logo). */
  related: boolean;
}

/** What the desk reads of a mail: decoded text, addresses lower-cased, nothing trusted yet. */
export interface ParsedInboundMail {
  /** The first From address; null when there is none or it is not an address. */
  from: { address: string; name: string | null } | null;
  /** To and Cc addresses, lower-case, in order. */
  recipients: string[];
  subject: string;
  /** The plain text body (from the HTML when the mail has no text part), line ends `\n`. */
  text: string;
  /** The Message-ID header as sent, or null. */
  messageId: string | null;
  /** In-Reply-To, then References: the headers threading tries, in that order. */
  threadHeaders: string[];
  /** Header values by lower-case name (the first occurrence), as text. */
  header(name: string): string | null;
  /** The Content-Type of the whole mail, lower-case, with its parameters. */
  contentType: { value: string; params: Record<string, string> };
  attachments: InboundPart[];
}

/** The name of an attached mail (message/rfc822) that came without one. */
export const FORWARDED_MAIL_FILENAME = '添付されたメール.eml';

/** Longest HTML body converted to text: a larger one is read as far as this. */
const MAX_HTML_TO_TEXT = 2 * 1024 * 1024;
/** Addresses read from To and Cc: a mail to thousands of recipients is routed by the first few. */
export const MAX_RECIPIENTS_READ = 50;

/**
 * Parses a raw mail with mailparser (ISO-2022-JP, Shift_JIS, EUC-JP and UTF-8 bodies and encoded
 * words are decoded by it, through its iconv-lite and encoding-japanese). A nested message/rfc822
 * part is not parsed further: it stays one attachment (which the inspector refuses as a type).
 * Never throws for bad input: mailparser reads what it can; null only if it gave up entirely.
 */
export async function parseInboundMail(raw: Buffer): Promise<ParsedInboundMail | null> {
  let mail: ParsedMail;
  try {
    // Loaded on the first mail: every app and test that never parses one skips its ~0.2 s load.
    const { simpleParser } = await import('mailparser');
    mail = await simpleParser(raw, {
      keepDeliveryStatus: true,
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      maxHtmlLengthToParse: MAX_HTML_TO_TEXT,
    });
  } catch {
    return null;
  }
  // mailparser folds some headers into others (List-* into `list`): the raw line answers then.
  const headerText = (name: string): string | null =>
    headerValueText(mail.headers.get(name)) ?? rawHeaderValue(mail, name);
  const contentType = mail.headers.get('content-type');
  return {
    from: firstSender(mail.from),
    recipients: [...addressesOf(mail.to), ...addressesOf(mail.cc)].slice(0, MAX_RECIPIENTS_READ),
    subject: (mail.subject ?? '').trim(),
    text: (mail.text ?? '').replace(/\r\n?/g, '\n'),
    messageId: mail.messageId?.trim() || null,
    threadHeaders: [mail.inReplyTo ?? '', referencesText(mail.references)].filter(
      (header) => header.trim() !== '',
    ),
    header: headerText,
    contentType: contentTypeOf(contentType),
    attachments: mail.attachments.map((attachment) => ({
      // A forwarded mail attached whole has no name: it is kept as text, named for the agent.
      filename:
        attachment.filename ??
        (attachment.contentType === 'message/rfc822' ? FORWARDED_MAIL_FILENAME : ''),
      contentType: (attachment.contentType || 'application/octet-stream').toLowerCase(),
      bytes: Buffer.isBuffer(attachment.content) ? attachment.content : Buffer.alloc(0),
      related: attachment.related === true,
    })),
  };
}

function flatten(list: EmailAddress[]): EmailAddress[] {
  return list.flatMap((entry) => (entry.group ? flatten(entry.group) : [entry]));
}

function addressesOf(header: AddressObject | AddressObject[] | undefined): string[] {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return objects
    .flatMap((object) => flatten(object.value))
    .map((entry) => (entry.address ?? '').trim().toLowerCase())
    .filter((address) => address.includes('@'));
}

function firstSender(header: AddressObject | undefined): ParsedInboundMail['from'] {
  const entry = header ? flatten(header.value)[0] : undefined;
  const address = entry?.address?.trim() ?? '';
  if (!/^[^\s@]+@[^\s@]+$/.test(address)) return null;
  const name = entry?.name?.trim() ?? '';
  return { address, name: name === '' ? null : name };
}

function referencesText(references: string | string[] | undefined): string {
  if (references === undefined) return '';
  return Array.isArray(references) ? references.join(' ') : references;
}

function rawHeaderValue(mail: ParsedMail, name: string): string | null {
  const line = mail.headerLines.find((header) => header.key === name)?.line;
  if (line === undefined) return null;
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

function headerValueText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((item) => headerValueText(item) ?? '').join(' ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const structured = value as { value?: unknown; text?: unknown };
    if (typeof structured.text === 'string') return structured.text;
    if (typeof structured.value === 'string') return structured.value;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

function contentTypeOf(value: unknown): ParsedInboundMail['contentType'] {
  if (value && typeof value === 'object' && 'value' in value) {
    const structured = value as { value: unknown; params?: Record<string, unknown> };
    const params: Record<string, string> = {};
    for (const [key, param] of Object.entries(structured.params ?? {})) {
      if (typeof param === 'string') params[key.toLowerCase()] = param.toLowerCase();
    }
    return { value: String(structured.value).toLowerCase(), params };
  }
  return { value: 'text/plain', params: {} };
}
