import type { BusinessCalendar } from '@madoguchi/calendar';
import type { TicketStatus } from '../ticket/ticket.constant';
import type { SlaState } from '../ticket/ticket-view.type';

/** Business hours left under which an SLA deadline is "due soon". */
export const SLA_DUE_SOON_BUSINESS_HOURS = 2;

const STOPPED: readonly TicketStatus[] = ['resolved', 'closed', 'handed_back'];

/**
 * The next SLA deadline of a ticket: first-response due until the first reply, then resolution
 * due; none once resolved, closed or handed back. Every ticket write stores it as slaDueAt, the
 * column queues sort by. A reopened ticket gets its earlier resolution due back (kept simple).
 */
export function nextSlaDueAt(ticket: {
  status: TicketStatus;
  firstRespondedAt: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
}): Date | null {
  if (STOPPED.includes(ticket.status)) return null;
  return ticket.firstRespondedAt === null ? ticket.firstResponseDueAt : ticket.resolutionDueAt;
}

/**
 * Where a ticket stands against its deadline: breached once now ≥ due; due soon when less than
 * {@link SLA_DUE_SOON_BUSINESS_HOURS} business hours are left (so a Friday-evening deadline
 * falling due on Monday morning is already due soon); none without a deadline.
 */
export function slaStateOf(
  ticket: { slaDueAt: Date | null; status: TicketStatus },
  now: Date,
  calendar: BusinessCalendar,
): SlaState {
  if (ticket.slaDueAt === null || STOPPED.includes(ticket.status)) return 'none';
  if (now.getTime() >= ticket.slaDueAt.getTime()) return 'breached';
  const left = calendar.businessMillisBetween(now, ticket.slaDueAt);
  return left < SLA_DUE_SOON_BUSINESS_HOURS * 3_600_000 ? 'due_soon' : 'on_track';
}

/**
 * The instant before which a deadline is due soon, for SQL comparisons: `due < threshold` ⇔
 * fewer than two business hours left (addBusinessHours counts open time only, as
 * businessMillisBetween does, so both definitions agree).
 */
export function dueSoonThreshold(now: Date, calendar: BusinessCalendar): Date {
  return calendar.addBusinessHours(now, SLA_DUE_SOON_BUSINESS_HOURS);
}
