import type { InboundOutcome } from '@madoguchi/inbound-mail';

/**
 * The listener's SMTP answers. English and short (RFC 5321 reply text is read by MTAs and
 * postmasters, and ends up in the bounce the sender gets); never a detail that tells a sender
 * whether a ticket exists. smtp-server adds the enhanced status code for the reply code.
 */
export const SMTP_REPLIES = {
  unknownDomain: 'Relay denied: this server accepts mail for its own domain only',
  tooManyRecipients: 'Too many recipients for one message',
  tooLarge: (maxBytes: number) => `Message exceeds the maximum size of ${maxBytes} bytes`,
  tryLater: 'Mail cannot be accepted now, try again later',
  lifetimeExceeded: 'Connection open too long, closing',
} as const;

const REJECTION_TEXTS: Record<string, string> = {
  too_large: 'Message too large',
  malformed: 'Message could not be parsed',
  no_sender: 'Message has no sender address',
  no_recipient: 'Message has no recipient here',
  unknown_recipient: 'No such recipient here',
  rate_limited: 'Too many messages from this sender, try again later',
  intake_closed: 'This address no longer accepts mail',
  support_ended: 'This address no longer accepts mail',
  not_merchant_address: 'This address accepts answers from the merchant only',
  ticket_closed: 'This conversation is closed',
};

/** The 550 text of a permanent refusal by InboundMailService. */
export function rejectionText(outcome: InboundOutcome): string {
  return (outcome.reason && REJECTION_TEXTS[outcome.reason]) || 'Message refused';
}

/** An error smtp-server turns into that reply (its message is the reply text). */
export function smtpReply(responseCode: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode });
}
