import { ValidationFailedException } from '@madoguchi/common';
import type { CallOutcome } from '../call-record/call-state.util';

/** Filters of the call log (all optional); dates are Tokyo calendar dates, `to` inclusive. */
export interface CallLogFilter {
  from?: string;
  to?: string;
  outcome?: CallOutcome;
  merchantId?: number;
}

export const CALL_OUTCOMES = [
  'answered',
  'abandoned',
  'voicemail',
  'out_of_hours',
  'busy',
  'failed',
  'no_answer',
] as const satisfies readonly CallOutcome[];

export function isCallOutcome(value: unknown): value is CallOutcome {
  return typeof value === 'string' && (CALL_OUTCOMES as readonly string[]).includes(value);
}

const TOKYO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Japan keeps no daylight saving time: Tokyo is UTC+9 all year. */
export const TOKYO_OFFSET_HOURS = 9;

export function isTokyoDate(value: string): boolean {
  if (!TOKYO_DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** The instant a Tokyo calendar date begins. */
export function tokyoDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+09:00`);
}

/** The instant after a Tokyo calendar date ends (the next day's start). */
export function tokyoDayEnd(date: string): Date {
  return new Date(tokyoDayStart(date).getTime() + 24 * 3600 * 1000);
}

/** Today's Tokyo date of an instant, 'YYYY-MM-DD'. */
export function tokyoDateOf(at: Date): string {
  return new Date(at.getTime() + TOKYO_OFFSET_HOURS * 3600 * 1000).toISOString().slice(0, 10);
}

/** The hour of day (0–23) in Tokyo of an instant. */
export function tokyoHourOf(at: Date): number {
  return (at.getUTCHours() + TOKYO_OFFSET_HOURS) % 24;
}

/** Checks the date range: well-formed dates, from ≤ to; 400 with field errors otherwise. */
export function assertDateRange(from: string | undefined, to: string | undefined): void {
  const errors = [];
  if (from !== undefined && !isTokyoDate(from))
    errors.push({ field: 'from', message: '日付は YYYY-MM-DD で指定してください。' });
  if (to !== undefined && !isTokyoDate(to))
    errors.push({ field: 'to', message: '日付は YYYY-MM-DD で指定してください。' });
  if (errors.length === 0 && from !== undefined && to !== undefined && from > to)
    errors.push({ field: 'to', message: '終了日は開始日以降の日付にしてください。' });
  if (errors.length > 0) throw new ValidationFailedException(errors);
}
