import { ValidationFailedException } from './domain.exception';
import { isTokyoDate, tokyoDateOf, tokyoDayEnd, tokyoDayStart } from './tokyo-date.util';

const DAY_MS = 86_400_000;

/** An inclusive range of Tokyo calendar dates ('YYYY-MM-DD'). */
export interface TokyoDateRange {
  from: string;
  to: string;
}

/** Every date of a range, in order. */
export function datesOf(range: TokyoDateRange): string[] {
  const dates: string[] = [];
  for (
    let at = tokyoDayStart(range.from).getTime();
    at < tokyoDayEnd(range.to).getTime();
    at += DAY_MS
  )
    dates.push(tokyoDateOf(new Date(at)));
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
  if (from !== undefined && !isTokyoDate(from))
    errors.push({ field: 'from', message: '日付は YYYY-MM-DD で指定してください。' });
  if (to !== undefined && !isTokyoDate(to))
    errors.push({ field: 'to', message: '日付は YYYY-MM-DD で指定してください。' });
  if (errors.length > 0) throw new ValidationFailedException(errors);
  const end = to ?? tokyoDateOf(now);
  const start =
    from ??
    tokyoDateOf(new Date(tokyoDayStart(end).getTime() - (options.defaultDays - 1) * DAY_MS));
  if (start > end)
    throw new ValidationFailedException([
      { field: 'to', message: '終了日は開始日以降の日付にしてください。' },
    ]);
  const days = Math.round((tokyoDayEnd(end).getTime() - tokyoDayStart(start).getTime()) / DAY_MS);
  if (days > options.maxDays)
    throw new ValidationFailedException([
      { field: 'to', message: `期間は${options.maxDays}日以内で指定してください。` },
    ]);
  return { from: start, to: end };
}
