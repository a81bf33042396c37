import { randomBytes } from 'node:crypto';

/**
 * A fresh Message-ID for a mail of the desk: `<random@domain>`, the domain being the inbound
 * mail domain, so a reply's In-Reply-To names a mail that is ours. 128 random bits: nothing in
 * it (no time, host or ticket) tells a reader anything.
 */
export function newMessageIdHeader(domain: string): string {
  return `<${randomBytes(16).toString('hex')}@${domain.toLowerCase()}>`;
}

/**
 * The ids of a Message-ID, In-Reply-To or References header, normalised for comparison: the
 * part between angle brackets, without spaces, lower-cased (mail systems are known to change
 * the case of the domain; the local part of ours is lower-case hex anyway). A header without
 * brackets counts as one id. At most `limit` ids, the last ones (References grows at the end).
 */
export function messageIdsOf(header: string | string[] | null | undefined, limit = 50): string[] {
  if (!header) return [];
  const text = Array.isArray(header) ? header.join(' ') : header;
  const bracketed = [...text.matchAll(/<([^<>]*)>/g)].map((match) => match[1] ?? '');
  const ids = (bracketed.length > 0 ? bracketed : [text])
    .map((id) => id.replace(/\s+/g, '').toLowerCase())
    .filter((id) => id.length > 0 && id.length <= 250);
  return ids.slice(-limit);
}

/** One id as stored and compared: the normalised form of a single Message-ID. */
export function normaliseMessageId(header: string): string | null {
  return messageIdsOf(header, 1)[0] ?? null;
}
