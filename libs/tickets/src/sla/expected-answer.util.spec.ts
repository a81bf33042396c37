import { BusinessCalendar } from '@madoguchi/calendar';
import { SLA_TARGET_HOURS } from './sla-policy.constant';
import {
  expectedAnswerSentence,
  formatDueText,
  generalExpectedAnswerSentence,
} from './expected-answer.text';
import { expectedFirstAnswer, firstAnswerBusinessDays } from './expected-answer.util';

const tokyo = (local: string) => new Date(`${local}+09:00`);
// The demo's year-end break (README): 2026-12-29 … 2027-01-03.
const YEAR_END = ['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-02', '2027-01-03'];
const calendar = new BusinessCalendar({ closures: YEAR_END });

/** A new ticket opened at `at`, with its due as TicketOpeningService sets it. */
function openedAt(at: Date) {
  return {
    status: 'new' as const,
    firstRespondedAt: null,
    firstResponseDueAt: calendar.addBusinessHours(at, SLA_TARGET_HOURS.firstResponse),
  };
}

describe('expectedFirstAnswer', () => {
  it('should promise a Friday-evening inquiry for Monday, one business day later', () => {
    const friday = tokyo('2026-12-04T19:30:00');
    const expected = expectedFirstAnswer(openedAt(friday), friday, calendar);
    expect(expected).toEqual({
      kind: 'due',
      businessDays: 1,
      dueAt: tokyo('2026-12-07T18:00:00'),
    });
    expect(expectedAnswerSentence(expected!)).toBe(
      '通常、1営業日以内（12月7日(月) 18:00 頃まで）にご回答します。',
    );
  });

  it('should skip the closure days: an inquiry the day before the year-end break is due after it', () => {
    const monday = tokyo('2026-12-28T15:00:00');
    const expected = expectedFirstAnswer(openedAt(monday), monday, calendar);
    // 3 hours on 12/28, then closed 12/29–1/3 (1/1 is a holiday too), 5 hours on Monday 1/4.
    expect(expected).toMatchObject({ kind: 'due', dueAt: tokyo('2027-01-04T15:00:00') });
    expect(expectedAnswerSentence(expected!)).toBe(
      '通常、1営業日以内（1月4日(月) 15:00 頃まで）にご回答します。',
    );
  });

  it('should say the answer is late once the due has passed without one', () => {
    const friday = tokyo('2026-12-04T19:30:00');
    const later = tokyo('2026-12-07T18:00:00');
    const expected = expectedFirstAnswer(openedAt(friday), later, calendar);
    expect(expected).toEqual({ kind: 'overdue' });
    expect(expectedAnswerSentence(expected!)).toContain('お時間をいただいております');
  });

  it('should promise nothing once answered, handed back, resolved or without a due', () => {
    const at = tokyo('2026-12-07T11:00:00');
    const ticket = openedAt(at);
    expect(expectedFirstAnswer({ ...ticket, firstRespondedAt: at }, at, calendar)).toBeNull();
    for (const status of ['handed_back', 'resolved', 'closed', 'pending_customer'] as const) {
      expect(expectedFirstAnswer({ ...ticket, status }, at, calendar)).toBeNull();
    }
    expect(expectedFirstAnswer({ ...ticket, firstResponseDueAt: null }, at, calendar)).toBeNull();
    expect(expectedFirstAnswer({ ...ticket, status: 'open' }, at, calendar)).toMatchObject({
      kind: 'due',
    });
  });
});

describe('firstAnswerBusinessDays', () => {
  it('should round the first-response target up to whole days of the calendar', () => {
    expect(firstAnswerBusinessDays(new BusinessCalendar())).toBe(1);
    expect(firstAnswerBusinessDays(new BusinessCalendar({ openHour: 10, closeHour: 14 }))).toBe(2);
    expect(firstAnswerBusinessDays(new BusinessCalendar({ openHour: 9, closeHour: 12 }))).toBe(3);
  });
});

describe('generalExpectedAnswerSentence', () => {
  it('should state the target and the hours of the calendar', () => {
    expect(generalExpectedAnswerSentence(new BusinessCalendar())).toBe(
      '通常、1営業日以内にご回答します（営業時間は平日10:00〜18:00。土日祝日・休業日を除きます）。',
    );
    expect(
      generalExpectedAnswerSentence(new BusinessCalendar({ openHour: 9.5, closeHour: 13 })),
    ).toContain('3営業日以内にご回答します（営業時間は平日9:30〜13:00。');
  });
});

describe('formatDueText', () => {
  it('should write the Tokyo date, weekday and time whatever the instant’s UTC date', () => {
    expect(formatDueText(tokyo('2026-12-08T18:00:00'))).toBe('12月8日(火) 18:00');
    // 23:30 UTC on Monday is Tuesday morning in Tokyo.
    expect(formatDueText(new Date('2026-12-07T23:30:00Z'))).toBe('12月8日(火) 08:30');
  });
});
