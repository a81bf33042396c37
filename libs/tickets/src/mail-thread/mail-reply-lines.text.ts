import { MAIL_THREAD_TEXTS } from './mail-thread.texts';
import type { MailStatusLink } from './status-link.service';

const R = MAIL_THREAD_TEXTS.requester;
const M = MAIL_THREAD_TEXTS.merchant;

/**
 * The lines every mail to an end user carries below its own text: that they can simply reply,
 * and the status link (or, for a ticket born before the link was kept, where to find it). A URL
 * stands for a link in hand (the receipt, the leak-check code: the page's own token).
 */
export function requesterReplyLines(statusLink: MailStatusLink | string): string[] {
  const link: MailStatusLink =
    typeof statusLink === 'string' ? { kind: 'link', url: statusLink } : statusLink;
  return [
    R.replyHint,
    ...(link.kind === 'link' ? ['', R.statusLinkLead, R.statusLinkPrivate, link.url] : []),
    ...(link.kind === 'in_first_mail' ? ['', R.statusLinkInFirstMail] : []),
  ];
}

/** The lines of a mail to a merchant's notification addresses that asks for an answer. */
export function merchantReplyLines(): string[] {
  return [M.replyHint, M.replyNoPersonalData];
}
