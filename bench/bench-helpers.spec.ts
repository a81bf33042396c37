import { parseBenchOptions, BenchUsageError, DEFAULT_OPTIONS } from './options';
import { pickStatus, SEED_STATUS_MIX } from './database';
import { parseProcStatCpuMs } from './processes';
import { median, rateHeld } from './rows';
import {
  formatMarkdownTable,
  formatTextTable,
  ms,
  parseVmRssKb,
  percentile,
  ratio,
  summarise,
  type ResultRow,
} from './stats';
import type { LoadResult } from './load';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('gives the smallest sample with p% at or below it', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
  });

  it('rounds the rank up on few samples, so a p99 of ten samples is the largest', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(ten, 99)).toBe(10);
    expect(percentile(ten, 95)).toBe(10);
    expect(percentile(ten, 50)).toBe(5);
    expect(percentile(ten, 51)).toBe(6);
  });

  it('is NaN without samples and refuses a p outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], -1)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summarise', () => {
  it('sorts the samples itself and reports count, mean, percentiles and max', () => {
    const samples = [30, 10, 20, 40, 1000];
    const summary = summarise(samples);
    expect(summary).toEqual({ count: 5, mean: 220, p50: 30, p95: 1000, p99: 1000, max: 1000 });
    expect(samples).toEqual([30, 10, 20, 40, 1000]);
  });

  it('is all NaN but the count for no samples', () => {
    const summary = summarise([]);
    expect(summary.count).toBe(0);
    expect(summary.p99).toBeNaN();
    expect(summary.max).toBeNaN();
  });
});

describe('tables', () => {
  const rows: ResultRow[] = [
    { figure: 'a', measured: '1 ms', baseline: '2 ms', ratio: '50%', target: '< 3 ms', pass: true },
    {
      figure: 'long figure',
      measured: 'x | y',
      baseline: '–',
      ratio: '–',
      target: '–',
      pass: null,
    },
    {
      figure: 'c',
      measured: '9 ms',
      baseline: '1 ms',
      ratio: '900%',
      target: '< 5 ms',
      pass: false,
    },
  ];

  it('aligns the text table on the widest cell and writes yes / NO / –', () => {
    const lines = formatTextTable(rows).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0].indexOf('measured')).toBe('long figure'.length + 2);
    expect(lines[1]).toMatch(/^-{11} {2}-+/);
    expect(lines[2]).toMatch(/yes$/);
    expect(lines[3]).toMatch(/–$/);
    expect(lines[4]).toMatch(/NO$/);
  });

  it('escapes pipes in Markdown cells', () => {
    const markdown = formatMarkdownTable(rows).split('\n');
    expect(markdown[0]).toBe('| figure | measured | baseline (same run) | ratio | target | met |');
    expect(markdown[1]).toBe('| --- | --- | --- | --- | --- | --- |');
    expect(markdown[3]).toBe('| long figure | x \\| y | – | – | – | – |');
  });
});

describe('formatting', () => {
  it('keeps a sensible number of digits and says n/a for a missing value', () => {
    expect(ms(3.14159)).toBe('3.14 ms');
    expect(ms(31.4159)).toBe('31.4 ms');
    expect(ms(314.159)).toBe('314 ms');
    expect(ms(Number.NaN)).toBe('n/a');
    expect(ratio(50, 200)).toBe('25%');
    expect(ratio(1, 0)).toBe('n/a');
    expect(ratio(Number.NaN, 1)).toBe('n/a');
  });

  it('reads VmRSS in kB from /proc/<pid>/status', () => {
    const status = 'Name:\tnode\nVmPeak:\t  999999 kB\nVmRSS:\t  154320 kB\nRssAnon:\t 100 kB\n';
    expect(parseVmRssKb(status)).toBe(154320);
    expect(parseVmRssKb('Name:\tzombie\n')).toBeNaN();
  });

  it('reads user + system CPU time from /proc/<pid>/stat, whatever the command name holds', () => {
    const stat =
      '4242 (node main) js) S 1 4242 4242 0 -1 4194304 5000 0 0 0 250 75 0 0 20 0 11 0 100 0 0';
    expect(parseProcStatCpuMs(stat, 100)).toBe(3250);
    expect(parseProcStatCpuMs('garbage', 100)).toBeNaN();
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('rateHeld', () => {
  const result = (throughput: number, failures = 0) =>
    ({ throughput, failures }) as unknown as LoadResult;

  it('counts a fixed-rate phase only when the rate was met without failures', () => {
    expect(rateHeld(result(199), 200)).toBe(true);
    expect(rateHeld(result(180), 200)).toBe(false);
    expect(rateHeld(result(200, 1), 200)).toBe(false);
  });
});

describe('parseBenchOptions', () => {
  it('defaults to a million tickets over 50 merchants, dropping the database afterwards', () => {
    expect(parseBenchOptions([])).toEqual(DEFAULT_OPTIONS);
    expect(DEFAULT_OPTIONS).toMatchObject({ tickets: 1_000_000, merchants: 50, keep: false });
  });

  it('reads the flags, and --reuse implies --keep', () => {
    const options = parseBenchOptions(
      ['--tickets', '100_000', '--duration', '5', '--reuse', '--no-output'],
      { BENCH_MYSQL_URL: 'mysql://bench:secret@db:3307/' },
    );
    expect(options).toMatchObject({
      tickets: 100_000,
      duration: 5,
      reuse: true,
      keep: true,
      output: null,
      mysqlUrl: 'mysql://bench:secret@db:3307',
    });
  });

  it('--seed-only keeps the database it seeds', () => {
    expect(parseBenchOptions(['--seed-only'])).toMatchObject({ seedOnly: true, keep: true });
  });

  it('refuses unknown flags, bad numbers and a database name that could be a real one', () => {
    expect(() => parseBenchOptions(['--fast'])).toThrow(BenchUsageError);
    expect(() => parseBenchOptions(['--tickets', 'many'])).toThrow(/--tickets/);
    expect(() => parseBenchOptions(['--duration', '0'])).toThrow(/at least 1/);
    expect(() => parseBenchOptions(['--database', 'madoguchi'])).toThrow(/bench/);
    expect(() => parseBenchOptions(['--database', 'x_bench; DROP'])).toThrow(BenchUsageError);
    expect(() => parseBenchOptions(['--mysql', 'postgres://x'])).toThrow(/--mysql/);
    expect(() => parseBenchOptions(['--mysql', 'mysql://root@h:3306/realdb'])).toThrow(/--mysql/);
  });
});

describe('seed status mix', () => {
  it('adds up to one and maps the whole [0, 1) range onto statuses', () => {
    const total = SEED_STATUS_MIX.reduce((sum, [, share]) => sum + share, 0);
    expect(total).toBeCloseTo(1, 10);
    expect(pickStatus(0)).toBe('new');
    expect(pickStatus(0.2)).toBe('open');
    expect(pickStatus(0.999999)).toBe('handed_back');
  });
});
