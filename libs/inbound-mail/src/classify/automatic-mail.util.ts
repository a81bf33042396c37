import type { ParsedInboundMail } from '../parse/inbound-mail-parser';

export type AutomaticMail =
  { kind: 'bounce'; reason: AutomaticReason } | { kind: 'auto_reply'; reason: AutomaticReason };

/** Why a mail counts as sent by a machine (stored as the inbound mail's reason). */
export type AutomaticReason =
  | 'delivery_status'
  | 'mailer_daemon'
  | 'report'
  | 'auto_submitted'
  | 'autoreply_header'
  | 'precedence'
  | 'mailing_list'
  | 'out_of_office'
  | 'null_sender'
  | 'loop';

const BULK_PRECEDENCE = new Set(['bulk', 'junk', 'list', 'auto_reply']);
/** The local parts of mail systems' own senders. */
const MAIL_SYSTEM_SENDER = /^(mailer-daemon|postmaster)$/i;
/**
 * Out-of-office subjects (Outlook, Gmail, Japanese clients). Only with Outlook's
 * X-Auto-Response-Suppress: a subject alone is what a person may write too.
 */
const OUT_OF_OFFICE_SUBJECT =
  /(out of (the )?office|automatic reply|auto(matic)?[- ]?reply|autoreply|不在|自動返信|自動応答|休暇)/i;

/**
 * Whether a mail was sent by a machine: a bounce (a delivery status report, or a mail system's
 * sender with the null envelope sender) or another automatic answer (RFC 3834 Auto-Submitted,
 * the X-Autoreply family, Precedence bulk/junk/list, a mailing list, an out-of-office notice, any
 * mail with the null sender). Such a mail never opens or reopens a ticket and is never answered.
 * `envelopeFrom`: the SMTP MAIL FROM (`''` is the null sender); for IMAP, Return-Path stands in.
 */
export function classifyAutomaticMail(
  mail: ParsedInboundMail,
  envelopeFrom: string | undefined,
  ourAddresses: { domain: string; fromAddress: string },
): AutomaticMail | null {
  const sender = envelopeSender(mail, envelopeFrom);
  const nullSender = sender === '';
  const fromLocal = mail.from?.address.split('@')[0] ?? '';
  const { value: type, params } = mail.contentType;
  if (type === 'multipart/report' && params['report-type'] === 'delivery-status') {
    return { kind: 'bounce', reason: 'delivery_status' };
  }
  if (/^mailer-daemon$/i.test(fromLocal) || (nullSender && MAIL_SYSTEM_SENDER.test(fromLocal))) {
    return { kind: 'bounce', reason: 'mailer_daemon' };
  }
  // Read receipts (disposition-notification), abuse feedback (feedback-report) and the like.
  if (type === 'multipart/report') return { kind: 'auto_reply', reason: 'report' };
  const autoSubmitted = (mail.header('auto-submitted') ?? '').trim().toLowerCase();
  if (autoSubmitted !== '' && !autoSubmitted.startsWith('no')) {
    return { kind: 'auto_reply', reason: 'auto_submitted' };
  }
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponse', 'x-auto-reply']) {
    const value = mail.header(name);
    if (value !== null && value.trim().toLowerCase() !== 'no') {
      return { kind: 'auto_reply', reason: 'autoreply_header' };
    }
  }
  const precedence = (mail.header('precedence') ?? '').trim().toLowerCase();
  if (BULK_PRECEDENCE.has(precedence)) return { kind: 'auto_reply', reason: 'precedence' };
  // A mailing list (List-Id); not List-Unsubscribe alone, which mail services add to any mail.
  if (mail.header('list-id') !== null) {
    return { kind: 'auto_reply', reason: 'mailing_list' };
  }
  if (
    mail.header('x-auto-response-suppress') !== null &&
    OUT_OF_OFFICE_SUBJECT.test(mail.subject.normalize('NFKC'))
  ) {
    return { kind: 'auto_reply', reason: 'out_of_office' };
  }
  if (nullSender) return { kind: 'auto_reply', reason: 'null_sender' };
  // Our own mail come back (a requester address that is ours): never answer it, never thread it.
  const from = mail.from?.address.toLowerCase() ?? '';
  if (
    from === ourAddresses.fromAddress.toLowerCase() ||
    from.endsWith(`@${ourAddresses.domain.toLowerCase()}`)
  ) {
    return { kind: 'auto_reply', reason: 'loop' };
  }
  return null;
}

/** The envelope sender: the SMTP MAIL FROM, else Return-Path (IMAP); `''` for the null sender. */
function envelopeSender(mail: ParsedInboundMail, envelopeFrom: string | undefined): string | null {
  if (envelopeFrom !== undefined) return envelopeFrom.trim().replace(/^<|>$/g, '');
  const returnPath = mail.header('return-path');
  if (returnPath === null) return null;
  return returnPath.trim().replace(/^<|>$/g, '').trim();
}

/** Parts of a bounce that carry the original mail's headers. */
const ORIGINAL_HEADER_PARTS = new Set([
  'message/rfc822',
  'text/rfc822-headers',
  'message/rfc822-headers',
]);
const MESSAGE_ID_LINE = /^message-id:[ \t]*(<[^<>\s]{1,250}>)/im;

/**
 * The Message-IDs a bounce names as the mail that failed: from the returned message or its
 * headers (message/rfc822, text/rfc822-headers), else a `Message-ID:` line quoted in the text.
 */
export function bouncedMessageIds(mail: ParsedInboundMail): string[] {
  const ids: string[] = [];
  for (const part of mail.attachments) {
    if (!ORIGINAL_HEADER_PARTS.has(part.contentType)) continue;
    // Only the header block: the original body is not read.
    const head =
      part.bytes
        .subarray(0, 64 * 1024)
        .toString('latin1')
        .split(/\r?\n\r?\n/)[0] ?? '';
    const match = MESSAGE_ID_LINE.exec(head.replace(/\r?\n[ \t]+/g, ' '));
    if (match?.[1]) ids.push(match[1]);
  }
  if (ids.length === 0) {
    const quoted = MESSAGE_ID_LINE.exec(mail.text);
    if (quoted?.[1]) ids.push(quoted[1]);
  }
  return [...new Set(ids)];
}

/**
 * The failure as a mail system reported it (`5.1.1 smtp; 550 user unknown`), from the delivery
 * status part; empty when there is none. The caller strips addresses before storing it.
 */
export function bounceReasonOf(mail: ParsedInboundMail): string {
  const status = mail.attachments.find((part) => part.contentType === 'message/delivery-status');
  if (!status) return '';
  const text = status.bytes
    .subarray(0, 16 * 1024)
    .toString('utf8')
    .replace(/\r?\n[ \t]+/g, ' ');
  const field = (name: string): string =>
    new RegExp(`^${name}:[ \\t]*(.+)$`, 'im').exec(text)?.[1]?.trim() ?? '';
  return [field('Status'), field('Diagnostic-Code')].filter((value) => value !== '').join(' ');
}
