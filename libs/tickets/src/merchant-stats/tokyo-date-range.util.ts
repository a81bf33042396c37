import { ValidationFailedException } from '@madoguchi/common';

/** Japan keeps no daylight saving time: Tokyo is UTC+9 all year. */
const TOKYO_OFFSET_MS = 9 * 3600 * 1000;
const DAY_MS = 86_400_000;
const TOKYO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An inclusive range of Tokyo calendar dates ('YYYY-MM-DD'). */
export interface TokyoDateRange {
  from: string;
  to: string;
}

export function isTokyoDateText(value: string): boolean {
  if (!TOKYO_DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** The instant a Tokyo calendar date begins. */
export function tokyoDateStart(date: string): Date {
  return new Date(`${date}T00:00:00+09:00`);
}

/** The instant after a Tokyo calendar date ends (the next day's start). */
export function tokyoDateEnd(date: string): Date {
  return new Date(tokyoDateStart(date).getTime() + DAY_MS);
}

/** The Tokyo calendar date of an instant. */
export function tokyoDateText(at: Date): string {
  return new Date(at.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:mm' in Tokyo time (what a spreadsheet reads as a date and time). */
export function tokyoDateTimeText(at: Date): string {
  return new Date(at.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Every date of a range, in order. */
export function datesOf(range: TokyoDateRange): string[] {
  const dates: string[] = [];
  for (
    let at = tokyoDateStart(range.from).getTime();
    at < tokyoDateEnd(range.to).getTime();
    at += DAY_MS
  )
    dates.push(tokyoDateText(new Date(at)));
  return dates;
}

/**
 * Reads a requested range: well-formed dates, from ≤ to, at most `maxDays` days; without
 * `from`, the `defaultDays` days up to `to` (or today). 400 with field errors otherwise.
 */
export function resolveTokyoRange(
  input: { from?: string; to?: string },
  options: { defaultDays: number; maxDays: number },
  now: Date,
): TokyoDateRange {
  const errors = [];
  const from = input.from?.trim() || undefined;
  const to = input.to?.trim() || undefined;
  if (from !== undefined && !isTokyoDateText(from))
    errors.push({ field: 'from', message: '日付は YYYY-MM-DD で指定してください。' });
  if (to !== undefined && !isTokyoDateText(to))
    errors.push({ field: 'to', message: '日付は YYYY-MM-DD で指定してください。' });
  if (errors.length > 0) throw new ValidationFailedException(errors);
  const end = to ?? tokyoDateText(now);
  const start =
    from ??
    tokyoDateText(new Date(tokyoDateStart(end).getTime() - (options.defaultDays - 1) * DAY_MS));
  if (start > end)
    throw new ValidationFailedException([
      { field: 'to', message: '終了日は開始日以降の日付にしてください。' },
    ]);
  const days = Math.round((tokyoDateEnd(end).getTime() - tokyoDateStart(start).getTime()) / DAY_MS);
  if (days > options.maxDays)
    throw new ValidationFailedException([
      { field: 'to', message: `期間は${options.maxDays}日以内で指定してください。` },
    ]);
  return { from: start, to: end };
}
