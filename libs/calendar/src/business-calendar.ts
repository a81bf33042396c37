import holidayJp from '@holiday-jp/holiday_jp';

/** Why a Tokyo date is not a business day; checked in this order. */
export type ClosedReason = 'weekend' | 'holiday' | 'closure';

export interface BusinessCalendarOptions {
  /** Admin closure dates, 'YYYY-MM-DD' in Tokyo (the year-end 12/29–1/3, say). */
  closures?: Iterable<string>;
  /** Tokyo hour the desk opens, inclusive. Default 10. */
  openHour?: number;
  /** Tokyo hour the desk closes, exclusive. Default 18. */
  closeHour?: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// Japan has had no daylight saving time since 1951, so Tokyo is UTC+9 all year. Shifting an
// instant by nine hours and doing plain arithmetic on the epoch gives Tokyo wall time whatever
// the server's TZ is. This file therefore never calls a local-time Date API (getHours, getDate,
// getDay, setHours, …); a spec searches for them and reruns the probes under other TZs.
const TOKYO_OFFSET_MS = 9 * HOUR_MS;
// Day 0 of the epoch, 1970-01-01, was a Thursday (Sunday = 0).
const EPOCH_WEEKDAY = 4;
const SATURDAY = 6;
const SUNDAY = 0;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
// Closures are finite so a business day always comes; this bound turns a data mistake (years
// of closures) into an error instead of a hang.
const MAX_CLOSED_RUN_DAYS = 3 * 366;

// National, substitute (振替休日) and citizens' (国民の休日, named '休日' in the data) holidays,
// keyed by Tokyo date. We read the package's data rather than isHoliday(Date)/between(): those
// format a Date with local getters and so name the wrong day unless the server runs on Tokyo time.
// The data covers 1970–2050; a later date simply has no holidays.
const HOLIDAY_DATA: Readonly<Record<string, { date: string; name: string }>> = holidayJp.holidays;
const HOLIDAYS: ReadonlyMap<string, string> = new Map(
  Object.values(HOLIDAY_DATA).map((holiday) => [holiday.date, holiday.name]),
);

/** Days since 1970-01-01 in Tokyo for an epoch millisecond. */
function tokyoDayOf(epochMs: number): number {
  return Math.floor((epochMs + TOKYO_OFFSET_MS) / DAY_MS);
}

/** Epoch millisecond of a Tokyo day plus an offset into that day. */
function instantOf(day: number, msIntoDay: number): number {
  return day * DAY_MS - TOKYO_OFFSET_MS + msIntoDay;
}

function formatDay(day: number): string {
  // toISOString reads UTC fields, so a day index renders as its own calendar date.
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function parseDay(tokyoDate: string): number {
  const match = DATE_PATTERN.exec(tokyoDate);
  if (match) {
    const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
    // The round trip rejects dates Date.UTC would roll over, such as 2026-02-30.
    if (formatDay(day) === tokyoDate) return day;
  }
  throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(tokyoDate)}`);
}

function epochMsOf(at: Date, name: string): number {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${name} is an invalid Date`);
  return ms;
}

function validHour(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0 || value > 24) {
    throw new RangeError(`${name} must be between 0 and 24, got ${value}`);
  }
  return value;
}

/** Validates every date first, so a bad list changes nothing. */
function closureSet(dates: Iterable<string>): ReadonlySet<string> {
  const closures = new Set<string>();
  for (const date of dates) {
    // Fail on a malformed date rather than silently stay open that day.
    parseDay(date);
    closures.add(date);
  }
  return closures;
}

/**
 * Madoguchi's business calendar: Asia/Tokyo, Monday–Friday [openHour, closeHour), closed on
 * Japanese holidays and admin closure dates. One instance is shared: the hours are fixed, and the
 * closures change only by {@link replaceClosures}, which swaps a whole immutable set in one
 * assignment, so a reader sees either the old list or the new one, never half of each.
 */
export class BusinessCalendar {
  readonly openHour: number;
  readonly closeHour: number;
  private closureDates: ReadonlySet<string>;
  private readonly openMs: number;
  private readonly closeMs: number;

  constructor(options: BusinessCalendarOptions = {}) {
    this.openHour = validHour(options.openHour ?? 10, 'openHour');
    this.closeHour = validHour(options.closeHour ?? 18, 'closeHour');
    if (this.openHour >= this.closeHour) {
      throw new RangeError(
        `openHour (${this.openHour}) must be before closeHour (${this.closeHour})`,
      );
    }
    this.openMs = Math.round(this.openHour * HOUR_MS);
    this.closeMs = Math.round(this.closeHour * HOUR_MS);
    this.closureDates = closureSet(options.closures ?? []);
  }

  /** The admin closure dates now in force ('YYYY-MM-DD', Tokyo). */
  get closures(): ReadonlySet<string> {
    return this.closureDates;
  }

  /** Replaces the admin closures (env + database, reloaded periodically); throws on a bad date. */
  replaceClosures(dates: Iterable<string>): void {
    this.closureDates = closureSet(dates);
  }

  /** The Tokyo calendar date of an instant, 'YYYY-MM-DD'. */
  tokyoDate(at: Date): string {
    return formatDay(tokyoDayOf(epochMsOf(at, 'at')));
  }

  isBusinessDay(tokyoDate: string): boolean {
    return this.closedReason(tokyoDate) === null;
  }

  /** Null on a business day; a Sunday holiday reports 'weekend', a closure on 1/1 'holiday'. */
  closedReason(tokyoDate: string): ClosedReason | null {
    return this.closedReasonOf(parseDay(tokyoDate), tokyoDate);
  }

  /** The holiday's Japanese name from the data package (e.g. '成人の日'), or null. */
  holidayName(tokyoDate: string): string | null {
    parseDay(tokyoDate);
    return HOLIDAYS.get(tokyoDate) ?? null;
  }

  isOpenAt(at: Date): boolean {
    const ms = epochMsOf(at, 'at');
    const day = tokyoDayOf(ms);
    const intoDay = ms - instantOf(day, 0);
    return intoDay >= this.openMs && intoDay < this.closeMs && this.isBusinessDayIndex(day);
  }

  /** The same instant when open, else the next opening (e.g. 18:00 Friday → 10:00 Monday). */
  nextOpeningAt(at: Date): Date {
    return new Date(this.nextOpeningMs(epochMsOf(at, 'at')));
  }

  /**
   * When `hours` of open time have passed since `start` (an SLA due time). Only open time
   * counts; a start outside hours counts from the next opening. Work that ends exactly at
   * closing is due at closing (16:00 + 2h = 18:00 the same day), not at the next opening.
   */
  addBusinessHours(start: Date, hours: number): Date {
    if (!Number.isFinite(hours) || hours < 0) {
      throw new RangeError(`hours must be a finite number >= 0, got ${hours}`);
    }
    let remaining = Math.round(hours * HOUR_MS);
    let cursor = this.nextOpeningMs(epochMsOf(start, 'start'));
    for (;;) {
      const day = tokyoDayOf(cursor);
      const available = instantOf(day, this.closeMs) - cursor;
      if (remaining <= available) return new Date(cursor + remaining);
      remaining -= available;
      cursor = instantOf(this.nextBusinessDayAfter(day), this.openMs);
    }
  }

  /** Open time in milliseconds within [from, to); 0 when `to` is not after `from`. */
  businessMillisBetween(from: Date, to: Date): number {
    const start = epochMsOf(from, 'from');
    const end = epochMsOf(to, 'to');
    let total = 0;
    for (let day = tokyoDayOf(start); start < end && day <= tokyoDayOf(end); day++) {
      if (!this.isBusinessDayIndex(day)) continue;
      const overlap =
        Math.min(end, instantOf(day, this.closeMs)) - Math.max(start, instantOf(day, this.openMs));
      if (overlap > 0) total += overlap;
    }
    return total;
  }

  private closedReasonOf(day: number, tokyoDate: string): ClosedReason | null {
    const weekday = (((day + EPOCH_WEEKDAY) % 7) + 7) % 7;
    if (weekday === SATURDAY || weekday === SUNDAY) return 'weekend';
    if (HOLIDAYS.has(tokyoDate)) return 'holiday';
    if (this.closureDates.has(tokyoDate)) return 'closure';
    return null;
  }

  private isBusinessDayIndex(day: number): boolean {
    return this.closedReasonOf(day, formatDay(day)) === null;
  }

  private nextOpeningMs(ms: number): number {
    const day = tokyoDayOf(ms);
    if (this.isBusinessDayIndex(day)) {
      const intoDay = ms - instantOf(day, 0);
      if (intoDay < this.openMs) return instantOf(day, this.openMs);
      if (intoDay < this.closeMs) return ms;
    }
    return instantOf(this.nextBusinessDayAfter(day), this.openMs);
  }

  private nextBusinessDayAfter(day: number): number {
    for (let next = day + 1; next <= day + MAX_CLOSED_RUN_DAYS; next++) {
      if (this.isBusinessDayIndex(next)) return next;
    }
    throw new Error(`No business day within ${MAX_CLOSED_RUN_DAYS} days after ${formatDay(day)}`);
  }
}
