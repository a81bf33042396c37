import { isTokyoDate, ValidationFailedException } from '@madoguchi/common';
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
  'callback_requested',
  'out_of_hours',
  'busy',
  'failed',
  'no_answer',
] as const satisfies readonly CallOutcome[];

export function isCallOutcome(value: unknown): value is CallOutcome {
  return typeof value === 'string' && (CALL_OUTCOMES as readonly string[]).includes(value);
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
