/** Latency figures of one measured run (milliseconds), computed from every sample kept. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The p-th percentile (0–100) of ascending samples, nearest-rank method: the smallest sample
 * with at least p% of the samples at or below it. NaN for no samples.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, not ${p}`);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function summarise(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    mean: sorted.length ? total / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
  };
}

/** One line of the result table: a figure, its baseline in the same run, and its target. */
export interface ResultRow {
  figure: string;
  measured: string;
  baseline: string;
  /** measured ÷ baseline, when the two are comparable. */
  ratio: string;
  target: string;
  /** null: no target (an informative line). */
  pass: boolean | null;
}

export const RESULT_COLUMNS: ReadonlyArray<[keyof ResultRow, string]> = [
  ['figure', 'figure'],
  ['measured', 'measured'],
  ['baseline', 'baseline (same run)'],
  ['ratio', 'ratio'],
  ['target', 'target'],
  ['pass', 'met'],
];

function cell(row: ResultRow, key: keyof ResultRow): string {
  const value = row[key];
  if (key === 'pass') return value === null ? '–' : value ? 'yes' : 'NO';
  return String(value);
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

/** The table for the terminal: aligned columns, a rule under the header. */
export function formatTextTable(rows: readonly ResultRow[]): string {
  const cells = rows.map((row) => RESULT_COLUMNS.map(([key]) => cell(row, key)));
  const headers = RESULT_COLUMNS.map(([, title]) => title);
  const widths = headers.map((title, i) =>
    Math.max(title.length, ...cells.map((line) => line[i].length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, i) => pad(value, widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join(
    '\n',
  );
}

/** The same table in Markdown; pipes inside a cell are escaped. */
export function formatMarkdownTable(rows: readonly ResultRow[]): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const headers = RESULT_COLUMNS.map(([, title]) => title);
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map(
      (row) => `| ${RESULT_COLUMNS.map(([key]) => escape(cell(row, key))).join(' | ')} |`,
    ),
  ].join('\n');
}

/** `12.3 ms` with a sensible number of digits. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`;
}

export function perSecond(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(0)}/s` : 'n/a';
}

export function megabytes(kilobytes: number): string {
  return Number.isFinite(kilobytes) ? `${(kilobytes / 1024).toFixed(0)} MB` : 'n/a';
}

/** `52%` of a baseline; n/a when either side is missing. */
export function ratio(measured: number, baseline: number): string {
  if (!Number.isFinite(measured) || !Number.isFinite(baseline) || baseline === 0) return 'n/a';
  return `${((measured / baseline) * 100).toFixed(0)}%`;
}

/** Parses `VmRSS:	  123456 kB` out of /proc/<pid>/status; NaN when absent (process gone). */
export function parseVmRssKb(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : Number.NaN;
}
