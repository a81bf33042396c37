import type { BusinessCalendar } from '@madoguchi/calendar';

/**
 * `days` business days after `from` on the business calendar: the same open time that many
 * business days later (weekends, holidays and closures skipped). Entered pending_customer on a
 * Friday at 15:00, one business day: Monday at 15:00; at 20:00 (closed): Monday at 18:00.
 */
export function businessDaysAfter(calendar: BusinessCalendar, from: Date, days: number): Date {
  return calendar.addBusinessHours(from, days * (calendar.closeHour - calendar.openHour));
}
