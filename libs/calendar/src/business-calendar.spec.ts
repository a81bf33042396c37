import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BusinessCalendar } from './business-calendar';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** An instant given as Tokyo wall time ('2026-11-24T10:00' or with seconds). */
function tokyo(wall: string): Date {
  const at = new Date(`${wall}+09:00`);
  if (Number.isNaN(at.getTime())) throw new Error(`bad wall time ${wall}`);
  return at;
}

/** The year-end closure an admin would enter, both sides of 2026. */
const YEAR_END = [
  '2025-12-29',
  '2025-12-30',
  '2025-12-31',
  '2026-01-01',
  '2026-01-02',
  '2026-01-03',
  '2026-12-29',
  '2026-12-30',
  '2026-12-31',
  '2027-01-01',
  '2027-01-02',
  '2027-01-03',
];

/** Every 2026 holiday in @holiday-jp/holiday_jp 2.5.1 (the Cabinet Office list for 2026). */
const HOLIDAYS_2026: Record<string, string> = {
  '2026-01-01': '元日',
  '2026-01-12': '成人の日',
  '2026-02-11': '建国記念の日',
  '2026-02-23': '天皇誕生日',
  '2026-03-20': '春分の日',
  '2026-04-29': '昭和の日',
  '2026-05-03': '憲法記念日',
  '2026-05-04': 'みどりの日',
  '2026-05-05': 'こどもの日',
  '2026-05-06': 'こどもの日 振替休日',
  '2026-07-20': '海の日',
  '2026-08-11': '山の日',
  '2026-09-21': '敬老の日',
  '2026-09-22': '休日', // 国民の休日: a weekday between two holidays
  '2026-09-23': '秋分の日',
  '2026-10-12': 'スポーツの日',
  '2026-11-03': '文化の日',
  '2026-11-23': '勤労感謝の日',
};

function datesOf(year: number): string[] {
  const dates: string[] = [];
  for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += 24 * HOUR) {
    dates.push(new Date(ms).toISOString().slice(0, 10));
  }
  return dates;
}

describe('BusinessCalendar', () => {
  const calendar = new BusinessCalendar();
  const withYearEnd = new BusinessCalendar({ closures: new Set(YEAR_END) });

  describe('tokyoDate', () => {
    it.each([
      ['2026-01-01T00:00:00+09:00', '2026-01-01'],
      ['2025-12-31T23:59:59.999+09:00', '2025-12-31'],
      ['2026-01-11T15:00:00Z', '2026-01-12'], // Tokyo midnight is 15:00 UTC the day before
      ['2026-01-11T14:59:59.999Z', '2026-01-11'],
      ['2024-02-29T12:00:00+09:00', '2024-02-29'],
    ])('should give the Tokyo date of %s as %s', (iso, expected) => {
      expect(calendar.tokyoDate(new Date(iso))).toBe(expected);
    });

    it('should reject an invalid Date', () => {
      expect(() => calendar.tokyoDate(new Date('nope'))).toThrow(RangeError);
    });
  });

  describe('isOpenAt', () => {
    it.each([
      ['2026-11-24T09:59:59.999', false],
      ['2026-11-24T09:59:59', false],
      ['2026-11-24T10:00', true],
      ['2026-11-24T13:00', true],
      ['2026-11-24T17:59:59', true],
      ['2026-11-24T17:59:59.999', true],
      ['2026-11-24T18:00', false],
      ['2026-11-24T23:59', false],
      ['2026-11-24T00:00', false],
    ])('should say a Tuesday at %s Tokyo is open: %s', (wall, open) => {
      expect(calendar.isOpenAt(tokyo(wall))).toBe(open);
    });

    it.each([
      ['Saturday', '2026-11-28T12:00'],
      ['Sunday', '2026-11-29T12:00'],
      ['成人の日', '2026-01-12T12:00'],
      ['振替休日', '2026-05-06T12:00'],
      ['国民の休日', '2026-09-22T12:00'],
      ['勤労感謝の日', '2026-11-23T12:00'],
    ])('should be closed at noon on a %s', (_label, wall) => {
      expect(calendar.isOpenAt(tokyo(wall))).toBe(false);
    });

    it('should be closed on a closure date only when the closure is configured', () => {
      expect(calendar.isOpenAt(tokyo('2026-12-29T12:00'))).toBe(true);
      expect(withYearEnd.isOpenAt(tokyo('2026-12-29T12:00'))).toBe(false);
      expect(withYearEnd.isOpenAt(tokyo('2026-12-28T12:00'))).toBe(true);
      expect(withYearEnd.isOpenAt(tokyo('2027-01-04T10:00'))).toBe(true);
    });

    it('should judge by Tokyo time, not UTC: 10:00 Tokyo Monday is 01:00 UTC', () => {
      expect(calendar.isOpenAt(new Date('2026-11-30T01:00:00Z'))).toBe(true);
      expect(calendar.isOpenAt(new Date('2026-11-30T00:59:59Z'))).toBe(false);
      expect(calendar.isOpenAt(new Date('2026-11-30T09:00:00Z'))).toBe(false);
    });
  });

  describe('closedReason, isBusinessDay and holidayName', () => {
    it('should list exactly the 2026 holidays of the data package', () => {
      const found = Object.fromEntries(
        datesOf(2026).flatMap((date) => {
          const name = calendar.holidayName(date);
          return name === null ? [] : [[date, name]];
        }),
      );
      expect(found).toEqual(HOLIDAYS_2026);
    });

    it.each(Object.keys(HOLIDAYS_2026).filter((date) => date !== '2026-05-03'))(
      'should close %s as a holiday',
      (date) => {
        expect(calendar.closedReason(date)).toBe('holiday');
        expect(calendar.isBusinessDay(date)).toBe(false);
      },
    );

    it('should treat 2026-09-22 as the citizens’ holiday between 敬老の日 and 秋分の日', () => {
      expect(calendar.holidayName('2026-09-21')).toBe('敬老の日');
      expect(calendar.holidayName('2026-09-22')).toBe('休日');
      expect(calendar.holidayName('2026-09-23')).toBe('秋分の日');
      expect(calendar.closedReason('2026-09-22')).toBe('holiday');
    });

    it('should report weekends first, then holidays, then closures', () => {
      expect(calendar.closedReason('2026-11-28')).toBe('weekend');
      expect(calendar.closedReason('2026-11-29')).toBe('weekend');
      expect(calendar.closedReason('2026-05-03')).toBe('weekend'); // 憲法記念日 on a Sunday
      expect(withYearEnd.closedReason('2027-01-01')).toBe('holiday'); // a closure too
      expect(withYearEnd.closedReason('2026-12-29')).toBe('closure');
      expect(withYearEnd.closedReason('2027-01-02')).toBe('weekend');
    });

    it('should count 2026 business days: 365 − 104 weekend days − 17 weekday holidays', () => {
      expect(datesOf(2026).filter((date) => calendar.isBusinessDay(date))).toHaveLength(244);
      // Year-end closures add 2026-01-02 and 2026-12-29..31 (1/1 is a holiday, 1/3 a Saturday).
      expect(datesOf(2026).filter((date) => withYearEnd.isBusinessDay(date))).toHaveLength(240);
    });

    it('should open ordinary weekdays and name no holiday', () => {
      expect(calendar.closedReason('2026-11-24')).toBeNull();
      expect(calendar.isBusinessDay('2026-11-24')).toBe(true);
      expect(calendar.holidayName('2026-11-24')).toBeNull();
    });

    it.each(['2026-2-1', '2026-02-30', '2026-13-01', '20260201', '', '2026-02-01T00:00'])(
      'should reject the malformed date %j',
      (date) => {
        expect(() => calendar.closedReason(date)).toThrow(RangeError);
        expect(() => calendar.holidayName(date)).toThrow(RangeError);
      },
    );
  });

  describe('nextOpeningAt', () => {
    it.each([
      ['2026-11-24T13:00', '2026-11-24T13:00', 'the same instant when open'],
      ['2026-11-24T10:00', '2026-11-24T10:00', 'the same instant at opening'],
      ['2026-11-24T09:59:59', '2026-11-24T10:00', 'opening the same morning'],
      ['2026-11-24T00:00', '2026-11-24T10:00', 'opening the same day from midnight'],
      ['2026-11-24T18:00', '2026-11-25T10:00', 'the next morning from closing'],
      ['2026-11-27T18:00', '2026-11-30T10:00', 'Monday from Friday evening'],
      ['2026-11-28T11:00', '2026-11-30T10:00', 'Monday from Saturday'],
      ['2026-11-20T18:30', '2026-11-24T10:00', 'Tuesday when Monday is 勤労感謝の日'],
      ['2026-05-01T18:00', '2026-05-07T10:00', 'Thursday after Golden Week'],
      ['2026-09-18T17:59:59.999', '2026-09-18T17:59:59.999', 'the last open millisecond'],
    ])('should give %s → %s (%s)', (from, expected) => {
      expect(calendar.nextOpeningAt(tokyo(from))).toEqual(tokyo(expected));
    });

    it('should skip closures', () => {
      expect(withYearEnd.nextOpeningAt(tokyo('2026-12-28T18:00'))).toEqual(
        tokyo('2027-01-04T10:00'),
      );
    });

    it('should return a new Date, not the argument', () => {
      const at = tokyo('2026-11-24T13:00');
      expect(calendar.nextOpeningAt(at)).not.toBe(at);
    });
  });

  describe('addBusinessHours', () => {
    it.each([
      ['2026-11-24T10:00', 1, '2026-11-24T11:00', 'within the day'],
      ['2026-11-24T16:00', 2, '2026-11-24T18:00', 'exactly to closing, due at closing'],
      ['2026-11-24T17:00', 2, '2026-11-25T11:00', 'across the night'],
      ['2026-11-24T10:00', 8, '2026-11-24T18:00', 'a whole day'],
      ['2026-11-24T10:00', 9, '2026-11-25T11:00', 'a day and an hour'],
      ['2026-11-24T17:59:59', 1, '2026-11-25T10:59:59', 'from the last open second'],
      ['2026-11-27T17:00', 2, '2026-11-30T11:00', 'Friday 17:00 + 2h = Monday 11:00'],
      ['2026-11-27T10:00', 40, '2026-12-03T18:00', 'a working week'],
      ['2026-11-20T17:00', 2, '2026-11-24T11:00', 'over 勤労感謝の日 on Monday'],
      ['2026-01-09T17:00', 2, '2026-01-13T11:00', 'over 成人の日 on Monday'],
      ['2026-05-01T17:00', 2, '2026-05-07T11:00', 'over Golden Week and its 振替休日'],
      ['2026-09-18T17:00', 2, '2026-09-24T11:00', 'over the silver week 国民の休日'],
      ['2026-11-24T08:00', 1, '2026-11-24T11:00', 'from before opening'],
      ['2026-11-24T19:00', 1, '2026-11-25T11:00', 'from after closing'],
      ['2026-11-24T18:00', 1, '2026-11-25T11:00', 'from closing itself'],
      ['2026-11-28T03:00', 3, '2026-11-30T13:00', 'from a Saturday'],
      ['2026-11-23T12:00', 1, '2026-11-24T11:00', 'from a holiday'],
      ['2026-11-24T10:00', 0.5, '2026-11-24T10:30', 'half an hour'],
      ['2026-11-24T17:45', 0.25, '2026-11-24T18:00', 'a quarter hour to closing'],
      ['2026-11-24T17:45', 1.25, '2026-11-25T11:00', 'a fractional span across the night'],
      ['2026-11-24T13:00', 0, '2026-11-24T13:00', 'zero hours when open'],
      ['2026-11-24T19:00', 0, '2026-11-25T10:00', 'zero hours outside hours'],
    ])('should give %s + %dh = %s (%s)', (start, hours, due) => {
      expect(calendar.addBusinessHours(tokyo(start), hours)).toEqual(tokyo(due));
    });

    it('should skip the year-end closure', () => {
      expect(withYearEnd.addBusinessHours(tokyo('2026-12-28T17:00'), 2)).toEqual(
        tokyo('2027-01-04T11:00'),
      );
      expect(calendar.addBusinessHours(tokyo('2026-12-28T17:00'), 2)).toEqual(
        tokyo('2026-12-29T11:00'),
      );
    });

    it('should keep sub-second precision of the start', () => {
      const start = new Date(tokyo('2026-11-24T10:00').getTime() + 123);
      expect(calendar.addBusinessHours(start, 1).getTime()).toBe(
        tokyo('2026-11-24T11:00').getTime() + 123,
      );
    });

    it('should not mutate its argument', () => {
      const start = tokyo('2026-11-24T17:00');
      calendar.addBusinessHours(start, 5);
      expect(start).toEqual(tokyo('2026-11-24T17:00'));
    });

    it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('should reject %d hours', (hours) => {
      expect(() => calendar.addBusinessHours(tokyo('2026-11-24T10:00'), hours)).toThrow(RangeError);
    });
  });

  describe('businessMillisBetween', () => {
    it.each([
      ['2026-11-24T11:00', '2026-11-24T13:30', 2.5 * HOUR, 'within a day'],
      ['2026-11-24T08:00', '2026-11-24T20:00', 8 * HOUR, 'a whole day from outside hours'],
      ['2026-11-24T17:00', '2026-11-25T11:00', 2 * HOUR, 'across the night'],
      ['2026-11-27T17:00', '2026-11-30T11:00', 2 * HOUR, 'across a weekend'],
      ['2026-11-20T17:00', '2026-11-24T11:00', 2 * HOUR, 'across a holiday Monday'],
      ['2026-05-01T17:00', '2026-05-07T11:00', 2 * HOUR, 'across Golden Week'],
      ['2026-11-28T00:00', '2026-11-29T23:59', 0, 'a weekend only'],
      ['2026-11-24T18:00', '2026-11-25T10:00', 0, 'a night only'],
      ['2026-11-24T17:59:59', '2026-11-24T18:00', 1000, 'the last open second'],
      ['2026-11-24T13:00', '2026-11-24T13:00', 0, 'an empty span'],
      ['2026-11-24T13:00', '2026-11-24T12:00', 0, 'a reversed span'],
      ['2026-11-23T12:00', '2026-11-30T12:00', 4 * 8 * HOUR + 2 * HOUR, 'a week with a holiday'],
      ['2026-01-01T00:00', '2027-01-01T00:00', 244 * 8 * HOUR, 'all of 2026'],
    ])('should count %s → %s as %d ms (%s)', (from, to, expected) => {
      expect(calendar.businessMillisBetween(tokyo(from), tokyo(to))).toBe(expected);
    });

    it('should not count closures', () => {
      expect(
        withYearEnd.businessMillisBetween(tokyo('2026-12-28T17:00'), tokyo('2027-01-04T11:00')),
      ).toBe(2 * HOUR);
      expect(
        withYearEnd.businessMillisBetween(tokyo('2026-01-01T00:00'), tokyo('2027-01-01T00:00')),
      ).toBe(240 * 8 * HOUR);
    });

    it('should undo addBusinessHours for many starts and spans', () => {
      // A seeded generator keeps the case list the same on every run.
      let seed = 20261124;
      const random = () => {
        seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
        return seed / 2 ** 32;
      };
      const yearStart = tokyo('2026-01-01T00:00').getTime();
      for (let i = 0; i < 500; i++) {
        const start = new Date(yearStart + Math.floor(random() * 366 * 24 * 60) * MINUTE);
        const hours = Math.floor(random() * 200) / 4; // 0–50h in quarter hours
        const due = withYearEnd.addBusinessHours(start, hours);
        expect(withYearEnd.businessMillisBetween(start, due)).toBe(hours * HOUR);
        // A due time is open, or exactly a closing time when the work ends at 18:00.
        const closing = withYearEnd.isOpenAt(new Date(due.getTime() - 1));
        expect(withYearEnd.isOpenAt(due) || (hours > 0 && closing)).toBe(true);
      }
    });
  });

  describe('options', () => {
    it('should use other opening hours', () => {
      const early = new BusinessCalendar({ openHour: 9, closeHour: 17.5 });
      expect(early.isOpenAt(tokyo('2026-11-24T09:00'))).toBe(true);
      expect(early.isOpenAt(tokyo('2026-11-24T17:29'))).toBe(true);
      expect(early.isOpenAt(tokyo('2026-11-24T17:30'))).toBe(false);
      expect(early.addBusinessHours(tokyo('2026-11-24T17:00'), 1)).toEqual(
        tokyo('2026-11-25T09:30'),
      );
    });

    it('should accept any iterable of closures and expose them', () => {
      const fromArray = new BusinessCalendar({ closures: ['2026-12-29', '2026-12-29'] });
      expect([...fromArray.closures]).toEqual(['2026-12-29']);
      expect(fromArray.openHour).toBe(10);
      expect(fromArray.closeHour).toBe(18);
    });

    it.each([
      [{ closures: ['2026-12-32'] }],
      [{ closures: ['12/29'] }],
      [{ openHour: 18, closeHour: 10 }],
      [{ openHour: 10, closeHour: 10 }],
      [{ openHour: -1 }],
      [{ closeHour: 25 }],
      [{ openHour: Number.NaN }],
    ])('should refuse %j', (options) => {
      expect(() => new BusinessCalendar(options)).toThrow(RangeError);
    });

    it('should give up rather than loop when closures leave no business day', () => {
      const closures = datesOf(2026).concat(datesOf(2027), datesOf(2028), datesOf(2029));
      const shut = new BusinessCalendar({ closures });
      expect(() => shut.nextOpeningAt(tokyo('2026-01-01T00:00'))).toThrow(/No business day/);
    });
  });

  describe('independence from the server time zone', () => {
    // Probes are data so the same list runs here and in child processes with another TZ
    // (Node reads TZ once per process, so it cannot be switched reliably inside Jest).
    type ProbeArg = string | number | { at: string };
    interface Probe {
      method: 'tokyoDate' | 'isOpenAt' | 'nextOpeningAt' | 'addBusinessHours';
      args: ProbeArg[];
    }
    const PROBES: [Probe, string | number | boolean][] = [
      [{ method: 'tokyoDate', args: [{ at: '2026-01-12T00:30+09:00' }] }, '2026-01-12'],
      [{ method: 'tokyoDate', args: [{ at: '2026-01-11T23:30+09:00' }] }, '2026-01-11'],
      [{ method: 'isOpenAt', args: [{ at: '2026-11-24T09:59:59+09:00' }] }, false],
      [{ method: 'isOpenAt', args: [{ at: '2026-11-24T10:00+09:00' }] }, true],
      [{ method: 'isOpenAt', args: [{ at: '2026-11-24T17:59:59+09:00' }] }, true],
      [{ method: 'isOpenAt', args: [{ at: '2026-11-24T18:00+09:00' }] }, false],
      [{ method: 'isOpenAt', args: [{ at: '2026-01-12T10:00+09:00' }] }, false],
      [{ method: 'isOpenAt', args: [{ at: '2026-01-13T10:00+09:00' }] }, true],
      [{ method: 'isOpenAt', args: [{ at: '2026-11-30T10:00+09:00' }] }, true],
      [{ method: 'isOpenAt', args: [{ at: '2026-12-29T12:00+09:00' }] }, false],
      [{ method: 'isOpenAt', args: [{ at: '2026-07-06T10:30+09:00' }] }, true], // LA on DST
      [
        { method: 'nextOpeningAt', args: [{ at: '2026-01-09T18:00+09:00' }] },
        '2026-01-13T01:00:00.000Z',
      ],
      [
        { method: 'addBusinessHours', args: [{ at: '2026-11-27T17:00+09:00' }, 2] },
        '2026-11-30T02:00:00.000Z',
      ],
      [
        { method: 'addBusinessHours', args: [{ at: '2026-11-20T17:00+09:00' }, 2] },
        '2026-11-24T02:00:00.000Z',
      ],
      [
        { method: 'addBusinessHours', args: [{ at: '2026-09-18T17:00+09:00' }, 2] },
        '2026-09-24T02:00:00.000Z',
      ],
      [
        { method: 'addBusinessHours', args: [{ at: '2026-12-28T17:00+09:00' }, 2] },
        '2027-01-04T02:00:00.000Z',
      ],
      // Los Angeles starts daylight saving time on 2026-03-08, inside this span.
      [
        { method: 'addBusinessHours', args: [{ at: '2026-03-06T17:00+09:00' }, 10] },
        '2026-03-10T02:00:00.000Z',
      ],
    ];
    const probes = PROBES.map(([probe]) => probe);
    const expected = PROBES.map(([, result]) => result);

    // Plain JavaScript for the child: decode a probe, call the calendar, encode the result.
    const runProbes = `
      const { BusinessCalendar } = require(process.env.CALENDAR_SOURCE);
      const { closures, probes } = JSON.parse(process.env.CALENDAR_PROBES);
      const calendar = new BusinessCalendar({ closures });
      const decode = (arg) => (typeof arg === 'object' ? new Date(arg.at) : arg);
      const encode = (value) => (value instanceof Date ? value.toISOString() : value);
      const results = probes.map((p) => encode(calendar[p.method](...p.args.map(decode))));`;
    // The child has no ts-jest: compile the TypeScript source on require with the compiler.
    const childScript = `
      const ts = require('typescript');
      const fs = require('node:fs');
      require.extensions['.ts'] = (module, filename) => {
        const source = fs.readFileSync(filename, 'utf8');
        const compilerOptions = {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
        };
        const output = ts.transpileModule(source, { fileName: filename, compilerOptions });
        module._compile(output.outputText, filename);
      };
      ${runProbes}
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const januaryOffset = new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset();
      process.stdout.write(JSON.stringify({ zone, januaryOffset, results }));`;

    it('should answer the probes in this process', () => {
      const results = probes.map(({ method, args }) => {
        const call = withYearEnd[method] as (...decoded: (string | number | Date)[]) => unknown;
        const value = call.apply(
          withYearEnd,
          args.map((arg) => (typeof arg === 'object' ? new Date(arg.at) : arg)),
        );
        return value instanceof Date ? value.toISOString() : value;
      });
      expect(results).toEqual(expected);
    });

    it.each([
      ['America/Los_Angeles', 480],
      ['UTC', 0],
      ['Asia/Tokyo', -540],
      ['Pacific/Kiritimati', -840],
    ])(
      'should answer the same probes with TZ=%s',
      (zone, januaryOffset) => {
        const output = execFileSync(process.execPath, ['-e', childScript], {
          cwd: join(__dirname, '../../..'),
          encoding: 'utf8',
          env: {
            ...process.env,
            TZ: zone,
            CALENDAR_SOURCE: join(__dirname, 'business-calendar.ts'),
            CALENDAR_PROBES: JSON.stringify({ closures: YEAR_END, probes }),
          },
        });
        const answer = JSON.parse(output) as {
          zone: string;
          januaryOffset: number;
          results: unknown;
        };
        // Prove the child really ran in that zone before trusting its answers.
        expect({ zone: answer.zone, januaryOffset: answer.januaryOffset }).toEqual({
          zone,
          januaryOffset,
        });
        expect(answer.results).toEqual(expected);
      },
      30_000,
    );

    it('should use no local-time Date API in the source', () => {
      const source = readFileSync(join(__dirname, 'business-calendar.ts'), 'utf8').replace(
        /\/\/.*$|\/\*[\s\S]*?\*\//gm,
        '',
      );
      // Local getters and setters (the UTC ones are fine), other local renderings, and the
      // package's helpers that format with local getters.
      const localTime = [
        /\.(get|set)(FullYear|Month|Date|Day|Hours|Minutes|Seconds|Milliseconds)\(/,
        /getTimezoneOffset|toLocale|toDateString|toTimeString/,
        /isHoliday|\.between\(/,
      ];
      for (const pattern of localTime) expect(source).not.toMatch(pattern);
    });
  });
});
