import { CALL_STATS_MAX_DAYS, type CallStats } from '@madoguchi/calls';
import {
  dataTable,
  formatText,
  html,
  phrases,
  SafeHtml,
  selectField,
  textField,
} from '@madoguchi/ui';
import { SHARED_TEXTS } from '../../web';
import { renderConsolePage } from '../../web';
import { type CallsViewer, durationLabel, subnav } from './calls.view';
import { CALLS_TEXTS } from './calls.texts';

const C = CALLS_TEXTS;

/**
 * A bar chart of calls per hour of day (0–23, Tokyo), drawn on the server as SVG: no chart
 * library, no script. Screen readers get <title>/<desc> and the same numbers as a table.
 */
export function hourBarChart(
  values: readonly number[],
  stats: Pick<CallStats, 'from' | 'to'>,
): SafeHtml {
  const width = 720;
  const height = 240;
  const left = 36;
  const bottom = 24;
  const top = 12;
  const max = Math.max(1, ...values);
  const slot = (width - left) / 24;
  const barWidth = slot * 0.7;
  const plot = height - bottom - top;
  const bars = values.map((value, hour) => {
    const h = (value / max) * plot;
    const x = left + hour * slot + (slot - barWidth) / 2;
    const y = top + plot - h;
    return html`<rect
        class="chart__bar"
        x="${x.toFixed(1)}"
        y="${y.toFixed(1)}"
        width="${barWidth.toFixed(1)}"
        height="${h.toFixed(1)}"
        ><title>${formatText(C.hourLabel, { hour })}: ${value}</title></rect
      >
      ${hour % 3 === 0 ? html`<text class="chart__label" x="${(left + hour * slot + slot / 2).toFixed(1)}" y="${height - 6}" text-anchor="middle">${hour}</text>` : ''}`;
  });
  return html`<svg
    class="chart"
    role="img"
    viewBox="0 0 ${width} ${height}"
    width="100%"
    aria-labelledby="chart-title chart-desc"
    xmlns="http://www.w3.org/2000/svg"
  >
    <title id="chart-title">${C.perHourTitle}</title>
    <desc id="chart-desc">${formatText(C.perHourDesc, { from: stats.from, to: stats.to })}</desc>
    <line x1="${left}" y1="${top + plot}" x2="${width}" y2="${top + plot}" stroke="currentColor" />
    <text class="chart__label" x="${left - 6}" y="${top + 10}" text-anchor="end">${max}</text>
    <text class="chart__label" x="${left - 6}" y="${top + plot}" text-anchor="end">0</text>
    <g fill="#1f4e8c">${bars}</g>
  </svg>`;
}

function percent(rate: number | null): string {
  return rate === null ? SHARED_TEXTS.common.none : `${(rate * 100).toFixed(1)}%`;
}

function seconds(value: number | null): string {
  return value === null ? SHARED_TEXTS.common.none : durationLabel(Math.round(value));
}

export function renderCallStatsPage(p: {
  viewer: CallsViewer;
  stats: CallStats;
  merchants: { id: number; name: string }[];
  filter: { from: string; to: string; merchantId: string };
  errors: Record<string, string>;
}): string {
  const { stats } = p;
  const merchants = [
    { value: '', label: C.any },
    ...p.merchants.map((m) => ({ value: String(m.id), label: m.name })),
  ];
  const rangeHint = formatText(C.statsRangeHint, { days: CALL_STATS_MAX_DAYS });
  const form = html`<form class="filters" method="get" action="/calls/stats">
    ${textField({ name: 'from', label: C.from, value: p.filter.from || stats.from, type: 'date', hint: rangeHint, error: p.errors.from })}
    ${textField({ name: 'to', label: C.to, value: p.filter.to || stats.to, type: 'date', hint: rangeHint, error: p.errors.to })}
    ${selectField({ name: 'merchantId', label: C.merchant, options: merchants, value: p.filter.merchantId })}
    <div class="filters__actions"><button class="btn" type="submit">${C.apply}</button></div>
  </form>`;
  const figure = (label: string, value: string, note?: string) =>
    html`<div class="stat">
      <dt>${label}</dt>
      <dd class="stat__value">${value}</dd>
      ${note ? html`<dd class="small muted">${note}</dd>` : ''}
    </div>`;
  const outcomes = Object.entries(stats.byOutcome) as [keyof typeof C.outcomes, number][];
  const main = html`<h1>${phrases(C.statsTitle)}</h1>
    ${subnav('stats', p.viewer)}
    <p class="small muted">${C.statsIntro}</p>
    ${form}
    <dl class="stats-grid" id="call-stats">
      ${figure(C.total, String(stats.total))}
      ${figure(C.answerRate, percent(stats.answerRate), C.answerRateNote)}
      ${figure(C.averageWait, seconds(stats.averageWaitSeconds))}
      ${figure(C.p90Wait, seconds(stats.p90WaitSeconds))}
      ${figure(C.abandoned, String(stats.abandoned))}
    </dl>
    <section class="card" aria-labelledby="per-hour-heading">
      <h2 id="per-hour-heading">${phrases(C.perHourTitle)}</h2>
      <figure>${hourBarChart(stats.callsPerHour, stats)}</figure>
      <details>
        <summary>${C.perHourCaption}</summary>
        ${dataTable({
          caption: C.perHourCaption,
          id: 'per-hour-table',
          tableClass: 'table',
          scrollWrapper: false,
          rows: stats.callsPerHour.map((_, hour) => hour),
          columns: [
            { header: C.hour, cell: (hour) => formatText(C.hourLabel, { hour }) },
            { header: C.calls, cell: (hour) => stats.callsPerHour[hour] },
            { header: C.outcomes.answered, cell: (hour) => stats.answeredPerHour[hour] },
            { header: C.abandoned, cell: (hour) => stats.abandonedPerHour[hour] },
          ],
        })}
      </details>
    </section>
    <section class="card" aria-labelledby="by-outcome-heading">
      <h2 id="by-outcome-heading">${phrases(C.byOutcome)}</h2>
      ${dataTable({
        tableClass: 'table',
        scrollWrapper: false,
        headerRow: false,
        rows: outcomes,
        columns: [
          { header: C.outcome, cell: ([outcome]) => C.outcomes[outcome] },
          { header: C.calls, cell: ([, count]) => count },
        ],
      })}
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: C.statsTitle,
    section: 'calls',
    main,
    hasErrors: Object.keys(p.errors).length > 0,
  });
}
