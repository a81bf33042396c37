import type { BusinessCalendar, ClosedReason } from '@madoguchi/calendar';

/** Whether the window (+81 3-6744-7492) takes calls now, and if not why and until when. */
export interface WindowStatus {
  open: boolean;
  /** Closed: a weekend, a holiday, an admin closure, or a business day outside the hours. */
  reason: ClosedReason | 'hours' | null;
  /** The holiday's name when the reason is a holiday. */
  holidayName: string | null;
  /** When it opens next (closed), null while open. */
  nextOpeningAt: Date | null;
  openHour: number;
  closeHour: number;
  /** The window's number, E.164. */
  number: string;
}

/** The window's state at `at`, on the same business calendar the telephony app decides by. */
export function windowStatusAt(
  calendar: BusinessCalendar,
  at: Date,
  windowNumber: string,
): WindowStatus {
  const open = calendar.isOpenAt(at);
  const date = calendar.tokyoDate(at);
  const dayReason = calendar.closedReason(date);
  return {
    open,
    reason: open ? null : (dayReason ?? 'hours'),
    holidayName: dayReason === 'holiday' ? calendar.holidayName(date) : null,
    nextOpeningAt: open ? null : calendar.nextOpeningAt(at),
    openHour: calendar.openHour,
    closeHour: calendar.closeHour,
    number: windowNumber,
  };
}
