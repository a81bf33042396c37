import type { BusinessCalendar } from '@madoguchi/calendar';
import type { TicketStatus } from '../ticket/ticket.constant';
import { SLA_TARGET_HOURS } from './sla-policy.constant';

/**
 * What the shopper is told about their first answer: by when it is due on the business calendar
 * (the ticket's first-response due), or that it is late. The form, the thank-you page, the
 * status page and the confirmation mail all say it from here (expected-answer.text.ts).
 */
export type ExpectedFirstAnswer =
  { kind: 'due'; businessDays: number; dueAt: Date } | { kind: 'overdue' };

/** Statuses in which the desk still owes the shopper a first answer. */
const AWAITING_FIRST_ANSWER: readonly TicketStatus[] = ['new', 'open', 'pending_merchant'];

/**
 * The first-response target in whole business days of the calendar (8 hours of a 10:00–18:00
 * day: 1), rounded up: what "通常、N営業日以内" promises whatever the hour of the inquiry.
 */
export function firstAnswerBusinessDays(
  calendar: BusinessCalendar,
  firstResponseMinutes: number = SLA_TARGET_HOURS.firstResponse * 60,
): number {
  const minutesPerDay = (calendar.closeHour - calendar.openHour) * 60;
  // A second's rounding never adds a day.
  return Math.max(1, Math.ceil(Math.floor(firstResponseMinutes) / minutesPerDay - 1e-9));
}

/**
 * The expected first answer of a ticket at `now`; null once it has been answered, when it no
 * longer waits for the desk (handed back, resolved, closed) or has no first-response due.
 */
export function expectedFirstAnswer(
  ticket: {
    status: TicketStatus;
    firstRespondedAt: Date | null;
    firstResponseDueAt: Date | null;
    /** The ticket's birth: its promise counts the business time from it to the due. */
    createdAt?: Date;
  },
  now: Date,
  calendar: BusinessCalendar,
): ExpectedFirstAnswer | null {
  const due = ticket.firstResponseDueAt;
  if (ticket.firstRespondedAt !== null || due === null) return null;
  if (!AWAITING_FIRST_ANSWER.includes(ticket.status)) return null;
  if (now.getTime() >= due.getTime()) return { kind: 'overdue' };
  // The target the ticket got (its merchant's SLA policy, issue 15), read back from its due.
  const minutes = calendar.businessMillisBetween(ticket.createdAt ?? now, due) / 60_000;
  return { kind: 'due', businessDays: firstAnswerBusinessDays(calendar, minutes), dueAt: due };
}
