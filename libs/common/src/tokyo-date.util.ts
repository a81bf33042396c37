/**
 * Tokyo calendar dates and instants. Japan keeps no daylight saving time, so Tokyo is UTC+9 all
 * year and plain arithmetic is exact; nothing here depends on the server's time zone.
 */
const TOKYO_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;

/** One calendar day in Tokyo. */
export interface TokyoDay {
  /** `YYYY-MM-DD` */
  date: string;
  /** Midnight in Tokyo, as an instant. */
  start: Date;
  /** The next day's midnight in Tokyo (exclusive end). */
  end: Date;
}

/** A real calendar date written `YYYY-MM-DD` (2026-02-30 is not). */
export function isTokyoDate(value: string): boolean {
  if (!DATE_TEXT.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** The instant a Tokyo calendar date begins. */
export function tokyoDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+09:00`);
}

/** The instant after a Tokyo calendar date ends (the next day's start). */
export function tokyoDayEnd(date: string): Date {
  return new Date(tokyoDayStart(date).getTime() + DAY_MS);
}

/** The Tokyo calendar date of an instant, `YYYY-MM-DD`. */
export function tokyoDateOf(at: Date): string {
  return new Date(at.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:mm` on a Tokyo clock (what a spreadsheet reads as a date and time). */
export function tokyoDateTimeText(at: Date): string {
  return new Date(at.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The hour (0–23) on a Tokyo clock. */
export function tokyoHourOf(at: Date): number {
  return new Date(at.getTime() + TOKYO_OFFSET_MS).getUTCHours();
}

/** The Tokyo day an instant falls in. */
export function tokyoDayOf(at: Date): TokyoDay {
  const date = tokyoDateOf(at);
  return { date, start: tokyoDayStart(date), end: tokyoDayEnd(date) };
}

/** The Tokyo day before the one an instant falls in. */
export function previousTokyoDay(at: Date): TokyoDay {
  return tokyoDayOf(new Date(tokyoDayOf(at).start.getTime() - 1));
}
