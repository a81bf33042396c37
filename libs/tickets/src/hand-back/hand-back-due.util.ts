import type { BusinessCalendar } from '@madoguchi/calendar';

/** Smallest and largest reminder delay a merchant may choose, in business days. */
export const HAND_BACK_REMINDER_DAYS_MIN = 1;
export const HAND_BACK_REMINDER_DAYS_MAX = 20;
export const HAND_BACK_REMINDER_DAYS_DEFAULT = 3;

/**
 * When the reminder for a case handed back at `handedBackAt` is due: the opening of the
 * `days`-th business day after the hand-back's Tokyo date (weekends, holidays and the desk's
 * closures do not count). Handed back on Monday, 3 days: Thursday at opening time.
 */
export function handBackReminderDueAt(
  calendar: BusinessCalendar,
  handedBackAt: Date,
  days: number,
): Date {
  let day = calendar.tokyoDate(handedBackAt);
  let counted = 0;
  while (counted < days) {
    day = nextDate(day);
    if (calendar.isBusinessDay(day)) counted++;
  }
  return calendar.nextOpeningAt(new Date(`${day}T00:00:00+09:00`));
}

function nextDate(day: string): string {
  const next = new Date(`${day}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
