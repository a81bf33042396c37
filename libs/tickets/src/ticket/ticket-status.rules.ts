import { DomainException, ErrorCode } from '@madoguchi/common';
import { TICKET_STATUS_LABELS, type TicketStatus } from './ticket.constant';

/**
 * The ticket life cycle, in one place (DESIGN: new → open → pending_* → resolved → closed,
 * plus handed_back):
 *
 * - new: just arrived, nobody has worked it yet.
 * - open: an agent works it (or the end user answered).
 * - pending_customer / pending_merchant: waiting on the end user or on the merchant.
 * - resolved: answered; the end user may still reply, which reopens it.
 * - closed: final; nothing follows.
 * - handed_back: not for this desk, returned to the merchant. Only reopening (open) follows,
 *   to correct a mistaken hand-back.
 *
 * Side effects of a change (timestamps, SLA deadline) are in {@link statusChangeEffects}.
 */
export const TICKET_STATUS_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['open', 'pending_customer', 'pending_merchant', 'resolved', 'handed_back'],
  open: ['pending_customer', 'pending_merchant', 'resolved', 'handed_back'],
  pending_customer: ['open', 'pending_merchant', 'resolved', 'handed_back'],
  pending_merchant: ['open', 'pending_customer', 'resolved', 'handed_back'],
  resolved: ['open', 'closed'],
  closed: [],
  handed_back: ['open'],
};

/** Statuses a ticket may move to from `from`. */
export function allowedTransitions(from: TicketStatus): TicketStatus[] {
  return [...TICKET_STATUS_TRANSITIONS[from]];
}

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TICKET_STATUS_TRANSITIONS[from].includes(to);
}

/** Throws InvalidStatusTransition (409) with a Japanese reason naming both statuses. */
export function assertTransition(from: TicketStatus, to: TicketStatus): void {
  if (canTransition(from, to)) return;
  throw new DomainException(ErrorCode.InvalidStatusTransition, transitionRefusal(from, to));
}

function transitionRefusal(from: TicketStatus, to: TicketStatus): string {
  const fromLabel = `「${TICKET_STATUS_LABELS[from]}」`;
  const toLabel = `「${TICKET_STATUS_LABELS[to]}」`;
  if (from === to) return `このお問い合わせはすでに${toLabel}です。`;
  if (from === 'closed')
    return `${fromLabel}のお問い合わせは終了しているため、${toLabel}に変更できません。`;
  const allowed = TICKET_STATUS_TRANSITIONS[from]
    .map((status) => `「${TICKET_STATUS_LABELS[status]}」`)
    .join('、');
  return `${fromLabel}から${toLabel}には変更できません（変更できるのは ${allowed} です）。`;
}

/** Where an agent's reply takes a ticket when the agent does not choose. */
export function defaultStatusAfterReply(current: TicketStatus): TicketStatus {
  // A reply to a resolved ticket (a follow-up) leaves it resolved; otherwise we now wait on the end user.
  return current === 'resolved' ? 'resolved' : 'pending_customer';
}

/** Where an internal note takes a ticket: a note on a new ticket means someone works it. */
export function statusAfterNote(current: TicketStatus): TicketStatus {
  return current === 'new' ? 'open' : current;
}

/** Statuses on which agents may still reply or write notes (closed and handed back are done). */
export function acceptsAgentMessages(status: TicketStatus): boolean {
  return status !== 'closed' && status !== 'handed_back';
}
