import type { LoadResult } from './load';
import type { BenchReport } from './report';
import { megabytes, ms, perSecond, ratio, type ResultRow } from './stats';

/** The performance budget of DESIGN.md, in the units the rows compare. */
export const TARGETS = {
  intakeShareOfBaseline: 0.5,
  intakeP99Ms: 100,
  queueP95Ms: 50,
  twilioP99Ms: 25,
  rssMb: 250,
  startupMs: 3000,
} as const;

/** A fixed-rate phase counts only if (nearly) every request was answered at the rate asked. */
export function rateHeld(result: LoadResult, rate: number): boolean {
  return result.failures === 0 && result.throughput >= rate * 0.95;
}

function withFailures(text: string, result: LoadResult): string {
  return result.failures > 0
    ? `${text} (${result.failures} failed: ${result.failureDetail})`
    : text;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * autocannon's overallRate gives each connection a budget per second that it spends back to
 * back at the start of the second: bursts of as many requests as connections. Shown beside the
 * paced figure, without a target.
 */
function burstRow(
  figure: string,
  result: LoadResult,
  baseline: LoadResult | null,
  tail: 'p95' | 'p99',
): ResultRow {
  const text = (x: LoadResult) => `${ms(x.latency.p50)} / ${ms(x.latency[tail])}`;
  return {
    figure,
    measured: withFailures(text(result), result),
    baseline: baseline ? `${text(baseline)} bare Fastify` : '–',
    ratio: baseline ? ratio(result.latency[tail], baseline.latency[tail]) : '–',
    target: '(informative)',
    pass: null,
  };
}

/** The result table: each figure beside its baseline of the same run and its target. */
export function buildRows(report: BenchReport): ResultRow[] {
  const { results: r, rates, startup, rss } = report;
  const rows: ResultRow[] = [];
  const intakeShare = r.intakeAppMax.throughput / r.intakeBaseMax.throughput;
  rows.push({
    figure: `intake POST throughput (${rates.intakeConnections} connections)`,
    measured: withFailures(perSecond(r.intakeAppMax.throughput), r.intakeAppMax),
    baseline: `${perSecond(r.intakeBaseMax.throughput)} bare mysql2 tx`,
    ratio: ratio(r.intakeAppMax.throughput, r.intakeBaseMax.throughput),
    target: `≥ ${TARGETS.intakeShareOfBaseline * 100}% of baseline`,
    pass: r.intakeAppMax.failures === 0 && intakeShare >= TARGETS.intakeShareOfBaseline,
  });
  rows.push({
    figure: 'intake p50 / p99 at that load',
    measured: `${ms(r.intakeAppMax.latency.p50)} / ${ms(r.intakeAppMax.latency.p99)}`,
    baseline: `${ms(r.intakeBaseMax.latency.p50)} / ${ms(r.intakeBaseMax.latency.p99)}`,
    ratio: ratio(r.intakeAppMax.latency.p50, r.intakeBaseMax.latency.p50),
    target: '–',
    pass: null,
  });
  rows.push({
    figure: `intake p50 / p99 at ${rates.intake} req/s`,
    measured: withFailures(
      `${ms(r.intakeApp.latency.p50)} / ${ms(r.intakeApp.latency.p99)}`,
      r.intakeApp,
    ),
    baseline: `${ms(r.intakeBase.latency.p50)} / ${ms(r.intakeBase.latency.p99)}`,
    ratio: ratio(r.intakeApp.latency.p99, r.intakeBase.latency.p99),
    target: `p99 < ${TARGETS.intakeP99Ms} ms`,
    pass: rateHeld(r.intakeApp, rates.intake) && r.intakeApp.latency.p99 < TARGETS.intakeP99Ms,
  });
  rows.push(
    burstRow(
      `intake p50 / p99 at ${rates.intake} req/s, autocannon overallRate`,
      r.intakeAppBurst,
      null,
      'p99',
    ),
  );
  rows.push({
    figure: `queue first page p50 / p95 at ${rates.queue} req/s (${report.ticketsInDatabase.toLocaleString('en')} tickets)`,
    measured: withFailures(
      `${ms(r.queueApp.latency.p50)} / ${ms(r.queueApp.latency.p95)}`,
      r.queueApp,
    ),
    baseline: `${ms(r.queueBase.latency.p50)} / ${ms(r.queueBase.latency.p95)} same SQL, mysql2`,
    ratio: ratio(r.queueApp.latency.p95, r.queueBase.latency.p95),
    target: `p95 < ${TARGETS.queueP95Ms} ms`,
    pass: rateHeld(r.queueApp, rates.queue) && r.queueApp.latency.p95 < TARGETS.queueP95Ms,
  });
  rows.push(
    burstRow(
      `queue first page p50 / p95 at ${rates.queue} req/s, autocannon overallRate`,
      r.queueAppBurst,
      null,
      'p95',
    ),
  );
  rows.push({
    figure: `queue first page throughput (${rates.queueConnections} connections)`,
    measured: withFailures(
      `${perSecond(r.queueAppMax.throughput)}, p95 ${ms(r.queueAppMax.latency.p95)}`,
      r.queueAppMax,
    ),
    baseline: `${perSecond(r.queueBaseMax.throughput)}, p95 ${ms(r.queueBaseMax.latency.p95)}`,
    ratio: ratio(r.queueAppMax.throughput, r.queueBaseMax.throughput),
    target: '–',
    pass: null,
  });
  rows.push({
    figure: `Twilio incoming p50 / p99 at ${rates.twilio} req/s`,
    measured: withFailures(
      `${ms(r.callApp.latency.p50)} / ${ms(r.callApp.latency.p99)}`,
      r.callApp,
    ),
    baseline: `${ms(r.callBase.latency.p50)} / ${ms(r.callBase.latency.p99)} bare Fastify`,
    ratio: ratio(r.callApp.latency.p99, r.callBase.latency.p99),
    target: `p99 < ${TARGETS.twilioP99Ms} ms`,
    pass: rateHeld(r.callApp, rates.twilio) && r.callApp.latency.p99 < TARGETS.twilioP99Ms,
  });
  rows.push(
    burstRow(
      `Twilio incoming p50 / p99 at ${rates.twilio} req/s, autocannon overallRate`,
      r.callAppBurst,
      r.callBaseBurst,
      'p99',
    ),
  );
  for (const [figure, app, base, baseName] of [
    ['intake', r.intakeAppMax, r.intakeBaseMax, 'bare mysql2 (bench process)'],
    ['queue first page', r.queueAppMax, r.queueBaseMax, 'bare mysql2 (bench process)'],
    ['Twilio incoming', r.callApp, r.callBase, 'bare Fastify'],
  ] as const) {
    rows.push({
      figure: `${figure}: CPU per request of the process under test`,
      measured: ms(app.cpuMsPerRequest ?? Number.NaN),
      baseline: `${ms(base.cpuMsPerRequest ?? Number.NaN)} ${baseName}`,
      ratio: ratio(app.cpuMsPerRequest ?? Number.NaN, base.cpuMsPerRequest ?? Number.NaN),
      target: '(informative)',
      pass: null,
    });
  }
  for (const app of ['intake', 'desk', 'telephony'] as const) {
    rows.push({
      figure: `${app} peak RSS under load`,
      measured: megabytes(rss[app]),
      baseline: `${megabytes(rss.bare)} bare Fastify`,
      ratio: ratio(rss[app], rss.bare),
      target: `< ${TARGETS.rssMb} MB`,
      pass: rss[app] / 1024 < TARGETS.rssMb,
    });
  }
  for (const app of ['intake', 'desk', 'telephony'] as const) {
    const times = startup[app];
    rows.push({
      figure: `${app} start-up (spawn → /healthz 200), median of ${times.length}`,
      measured: `${ms(median(times))} (max ${ms(Math.max(...times))})`,
      baseline: `${ms(median(startup.bare ?? []))} bare Fastify`,
      ratio: ratio(median(times), median(startup.bare ?? [])),
      target: `< ${TARGETS.startupMs / 1000} s`,
      pass: Math.max(...times) < TARGETS.startupMs,
    });
  }
  return rows;
}
