import type { BusinessCalendar } from '@madoguchi/calendar';
import { type ExpectedFirstAnswer, firstAnswerBusinessDays } from './expected-answer.util';

/**
 * The shopper's promise about the first answer, in one place (like hand-back-promise.text.ts):
 * the form, the thank-you page, the status page and the confirmation mail say it in the same
 * words, so what the shopper reads before sending and after can never drift apart.
 */
export const EXPECTED_ANSWER_TEXTS = {
  general:
    '通常、{days}営業日以内にご回答します（営業時間は平日{open}〜{close}。土日祝日・休業日を除きます）。',
  due: '通常、{days}営業日以内（{due} 頃まで）にご回答します。',
  overdue:
    'ご回答までお時間をいただいております。申し訳ございませんが、もうしばらくお待ちください。',
} as const;

const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'] as const;
const TOKYO_OFFSET_MS = 9 * 3_600_000;

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) =>
    key in values ? String(values[key]) : match,
  );
}

/** `12月8日(火) 18:00` on a Tokyo clock, whatever the server's time zone. */
export function formatDueText(at: Date): string {
  // Tokyo keeps no daylight saving time: UTC fields of the shifted instant are Tokyo wall time.
  const tokyo = new Date(at.getTime() + TOKYO_OFFSET_MS);
  const time = tokyo.toISOString().slice(11, 16);
  return `${tokyo.getUTCMonth() + 1}月${tokyo.getUTCDate()}日(${WEEKDAYS[tokyo.getUTCDay()]}) ${time}`;
}

function clockText(hour: number): string {
  const minutes = Math.round(hour * 60);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** What a ticket's page and mail say about its first answer. */
export function expectedAnswerSentence(expected: ExpectedFirstAnswer): string {
  if (expected.kind === 'overdue') return EXPECTED_ANSWER_TEXTS.overdue;
  return fill(EXPECTED_ANSWER_TEXTS.due, {
    days: expected.businessDays,
    due: formatDueText(expected.dueAt),
  });
}

/**
 * What the form says before there is a ticket: the target (the merchant's SLA policy for the
 * default priority, SlaPolicyService.shopperFirstResponse) and the calendar's hours.
 */
export function generalExpectedAnswerSentence(
  calendar: BusinessCalendar,
  firstResponseMinutes?: number,
): string {
  return fill(EXPECTED_ANSWER_TEXTS.general, {
    days: firstAnswerBusinessDays(calendar, firstResponseMinutes),
    open: clockText(calendar.openHour),
    close: clockText(calendar.closeHour),
  });
}
