import {
  isTokyoDate,
  previousTokyoDay,
  tokyoDateOf,
  tokyoDateTimeText,
  tokyoDayEnd,
  tokyoDayOf,
  tokyoDayStart,
  tokyoHourOf,
} from './tokyo-date.util';

describe('tokyo dates', () => {
  it('should accept only real dates written YYYY-MM-DD', () => {
    expect(isTokyoDate('2026-11-23')).toBe(true);
    expect(isTokyoDate('2028-02-29')).toBe(true);
    expect(isTokyoDate('2026-02-30')).toBe(false);
    expect(isTokyoDate('2026-1-05')).toBe(false);
    expect(isTokyoDate('2026-11-23T00:00')).toBe(false);
  });

  it('should place a Tokyo day at 15:00 UTC of the day before', () => {
    expect(tokyoDayStart('2026-11-27').toISOString()).toBe('2026-11-26T15:00:00.000Z');
    expect(tokyoDayEnd('2026-11-27').toISOString()).toBe('2026-11-27T15:00:00.000Z');
  });

  it('should read an instant near UTC midnight on the Tokyo clock', () => {
    const at = new Date('2026-11-26T15:30:00Z'); // 00:30 on the 27th in Tokyo
    expect(tokyoDateOf(at)).toBe('2026-11-27');
    expect(tokyoHourOf(at)).toBe(0);
    expect(tokyoDateTimeText(at)).toBe('2026-11-27 00:30');
    expect(tokyoDayOf(at)).toEqual({
      date: '2026-11-27',
      start: new Date('2026-11-26T15:00:00Z'),
      end: new Date('2026-11-27T15:00:00Z'),
    });
    expect(previousTokyoDay(at).date).toBe('2026-11-26');
  });
});
