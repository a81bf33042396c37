/** How a mail reached us: the SMTP listener (intake app) or the IMAP poller. */
export type InboundTransport = 'smtp' | 'imap';

/** What the transport knows besides the bytes: the SMTP envelope, or the IMAP message's headers. */
export interface InboundMeta {
  transport: InboundTransport;
  /** The SMTP envelope sender (MAIL FROM); empty string for a bounce's null sender `<>`. */
  envelopeFrom?: string;
  /** The envelope recipients (RCPT TO); empty for IMAP, where To/Cc are used instead. */
  envelopeTo: string[];
  remoteIp?: string;
}

export type InboundOutcomeKind =
  | 'reply'
  | 'merchant_answer'
  | 'new_ticket'
  | 'auto_reply'
  | 'bounce'
  | 'duplicate'
  | 'rejected'
  | 'unmatched';

/**
 * What became of a mail. `rejected` is a permanent refusal (the SMTP listener answers 550 with
 * `reason`); every other kind is accepted (250). `reason` is a short machine word, never a
 * detail that tells a sender whether a ticket exists.
 */
export interface InboundOutcome {
  kind: InboundOutcomeKind;
  ticketId?: number;
  reference?: string;
  reason?: InboundRejectReason | string;
}

export type InboundRejectReason =
  | 'too_large'
  | 'malformed'
  | 'no_sender'
  | 'no_recipient'
  | 'unknown_recipient'
  | 'rate_limited'
  | 'intake_closed'
  | 'support_ended'
  | 'not_merchant_address'
  | 'ticket_closed';

/**
 * The database (or another store) is unavailable: nothing was stored, try again later. The SMTP
 * listener answers 451; the IMAP poller leaves the message unread.
 */
export class InboundTemporaryError extends Error {
  constructor(
    message = 'inbound mail could not be stored now; try again later',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'InboundTemporaryError';
  }
}
