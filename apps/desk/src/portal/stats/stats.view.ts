import type { CallStats } from '@madoguchi/calls';
import { type FaqStats } from '@madoguchi/incident-response';
import { MERCHANT_STATS_MAX_DAYS, type MerchantStats } from '@madoguchi/reporting';
import { TICKET_CATEGORIES, TICKET_CATEGORY_KEYS, TICKET_CHANNELS } from '@madoguchi/tickets';
import {
  type DataColumn,
  dataTable,
  errorSummary,
  type ErrorSummaryItem,
  formatText,
  html,
  phrases,
  SafeHtml,
  textField,
} from '@madoguchi/ui';
import { CALLS_TEXTS } from '../../console/calls/calls.texts';
import { type ConsoleViewer, renderConsolePage, SHARED_TEXTS } from '../../web';
import { faqStatsSection } from '../../web/parts/faq-stats.view';
import { STATS_TEXTS } from './stats.texts';

const T = SHARED_TEXTS;
const S = STATS_TEXTS;

export const PORTAL_STATS_PATH = '/portal/stats';

/** Colours told apart with common colour blindness (Okabe–Ito); each bar also has a <title>. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#555555'];

export interface ChartSeries {
  key: string;
  label: string;
}

/**
 * Stacked bars per day, drawn on the server as SVG (no chart library, no script, nothing from
 * the internet). Screen readers get <title>/<desc>; the same numbers are in a table below.
 */
export function stackedDayChart(p: {
  id: string;
  title: string;
  days: readonly { date: string; values: Readonly<Record<string, number>> }[];
  series: readonly ChartSeries[];
  from: string;
  to: string;
}): SafeHtml {
  const width = 720;
  const height = 260;
  const left = 36;
  const bottom = 24;
  const top = 12;
  const plot = height - bottom - top;
  const totals = p.days.map((day) =>
    p.series.reduce((sum, s) => sum + (day.values[s.key] ?? 0), 0),
  );
  const max = Math.max(1, ...totals);
  const slot = (width - left) / Math.max(1, p.days.length);
  const barWidth = Math.max(1, slot * 0.7);
  const labelEvery = Math.max(1, Math.ceil(p.days.length / 8));
  const bars = p.days.map((day, index) => {
    const x = left + index * slot + (slot - barWidth) / 2;
    let y = top + plot;
    const parts = p.series.map((s, seriesIndex) => {
      const value = day.values[s.key] ?? 0;
      if (value === 0) return '';
      const h = (value / max) * plot;
      y -= h;
      return html`<rect
        x="${x.toFixed(1)}"
        y="${y.toFixed(1)}"
        width="${barWidth.toFixed(1)}"
        height="${h.toFixed(1)}"
        fill="${PALETTE[seriesIndex % PALETTE.length]}"
        ><title>${day.date} ${s.label}: ${value}</title></rect
      >`;
    });
    const label =
      index % labelEvery === 0
        ? html`<text
            class="chart__label"
            x="${(left + index * slot + slot / 2).toFixed(1)}"
            y="${height - 6}"
            text-anchor="middle"
            >${day.date.slice(5)}</text
          >`
        : '';
    return html`<g data-date="${day.date}">${parts}${label}</g>`;
  });
  return html`<svg
      class="chart"
      role="img"
      viewBox="0 0 ${width} ${height}"
      width="100%"
      aria-labelledby="${p.id}-title ${p.id}-desc"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id="${p.id}-title">${p.title}</title>
      <desc id="${p.id}-desc">${formatText(S.perDayDesc, { from: p.from, to: p.to, max })}</desc>
      <line
        x1="${left}"
        y1="${top + plot}"
        x2="${width}"
        y2="${top + plot}"
        stroke="currentColor"
      />
      <text class="chart__label" x="${left - 6}" y="${top + 10}" text-anchor="end">${max}</text>
      <text class="chart__label" x="${left - 6}" y="${top + plot}" text-anchor="end">0</text>
      ${bars}
    </svg>
    ${legend(p.series)}`;
}

function legend(series: readonly ChartSeries[]): SafeHtml {
  return html`<ul class="chart-legend" aria-hidden="true">
    ${series.map(
      (s, index) =>
        html`<li>
          <svg width="12" height="12" aria-hidden="true">
            <rect width="12" height="12" fill="${PALETTE[index % PALETTE.length]}" />
          </svg>
          ${s.label}
        </li>`,
    )}
  </ul>`;
}

/** Horizontal bars, one per labelled value. */
export function horizontalBarChart(p: {
  id: string;
  title: string;
  desc: string;
  rows: readonly { label: string; value: number }[];
}): SafeHtml {
  const width = 720;
  const row = 28;
  const labelWidth = 180;
  const height = Math.max(1, p.rows.length) * row + 8;
  const max = Math.max(1, ...p.rows.map((r) => r.value));
  const bars = p.rows.map((r, index) => {
    const y = 4 + index * row;
    const w = (r.value / max) * (width - labelWidth - 60);
    return html`<text
        class="chart__label"
        x="${labelWidth - 8}"
        y="${y + row * 0.65}"
        text-anchor="end"
        >${r.label}</text
      >
      <rect
        x="${labelWidth}"
        y="${y + 4}"
        width="${w.toFixed(1)}"
        height="${row - 8}"
        fill="${PALETTE[index % PALETTE.length]}"
        ><title>${r.label}: ${r.value}</title></rect
      >
      <text class="chart__label" x="${(labelWidth + w + 6).toFixed(1)}" y="${y + row * 0.65}"
        >${r.value}</text
      >`;
  });
  return html`<svg
    class="chart"
    role="img"
    viewBox="0 0 ${width} ${height}"
    width="100%"
    aria-labelledby="${p.id}-title ${p.id}-desc"
    xmlns="http://www.w3.org/2000/svg"
  >
    <title id="${p.id}-title">${p.title}</title>
    <desc id="${p.id}-desc">${p.desc}</desc>
    ${bars}
  </svg>`;
}

function percent(rate: number | null): string {
  return rate === null ? T.common.none : `${(rate * 100).toFixed(1)}%`;
}

function hours(value: number | null): string {
  return value === null ? T.common.none : formatText(S.hours, { hours: value.toFixed(1) });
}

const CATEGORY_SERIES: ChartSeries[] = TICKET_CATEGORY_KEYS.map((key) => ({
  key,
  label: TICKET_CATEGORIES[key],
}));
const CHANNEL_SERIES: ChartSeries[] = TICKET_CHANNELS.map((key) => ({
  key,
  label: T.channels[key],
}));

type DayColumn = DataColumn<MerchantStats['days'][number]>;

function perDayTable(id: string, stats: MerchantStats): SafeHtml {
  return html`<details>
    <summary>${S.perDayTable}</summary>
    ${dataTable({
      caption: S.perDayTable,
      id,
      tableClass: 'table',
      rows: stats.days,
      rowAttributes: (day) => ({ 'data-date': day.date, 'data-total': day.total }),
      columns: [
        { header: S.date, cell: (day) => day.date },
        ...TICKET_CATEGORY_KEYS.map((key): DayColumn => ({
          header: TICKET_CATEGORIES[key],
          cell: (day) => day.byCategory[key],
          cellAttributes: () => ({ 'data-category': key }),
        })),
        ...TICKET_CHANNELS.map((key): DayColumn => ({
          header: T.channels[key],
          cell: (day) => day.byChannel[key],
          cellAttributes: () => ({ 'data-channel': key }),
        })),
        { header: S.dayTotal, cell: (day) => day.total },
      ],
    })}
  </details>`;
}

function slaSection(stats: MerchantStats): SafeHtml {
  const rows = [
    { label: `${S.firstResponse}: ${S.met}`, value: stats.firstResponse.met },
    { label: `${S.firstResponse}: ${S.missed}`, value: stats.firstResponse.missed },
    { label: `${S.resolution}: ${S.met}`, value: stats.resolution.met },
    { label: `${S.resolution}: ${S.missed}`, value: stats.resolution.missed },
  ];
  const figures = [
    { label: S.firstResponse, key: 'first_response', figure: stats.firstResponse },
    { label: S.resolution, key: 'resolution', figure: stats.resolution },
  ];
  return html`<section class="card" aria-labelledby="sla-heading">
    <h2 id="sla-heading">${phrases(S.sla)}</h2>
    <p class="small muted">${S.slaIntro}</p>
    <figure>
      ${horizontalBarChart({ id: 'sla-chart', title: S.sla, desc: S.slaChartDesc, rows })}
    </figure>
    ${dataTable({
      id: 'sla-table',
      tableClass: 'table',
      scrollWrapper: false,
      rows: figures,
      rowAttributes: ({ key, figure }) => ({
        'data-sla': key,
        'data-met': figure.met,
        'data-missed': figure.missed,
        'data-pending': figure.pending,
      }),
      columns: [
        { header: '', cell: ({ label }) => label },
        {
          header: S.withinTarget,
          cell: ({ figure }) => percent(figure.shareWithinTarget),
          cellAttributes: () => ({ 'data-share': true }),
        },
        {
          header: S.median,
          cell: ({ figure }) => hours(figure.medianHours),
          cellAttributes: () => ({ 'data-median': true }),
        },
        { header: S.met, cell: ({ figure }) => figure.met },
        { header: S.missed, cell: ({ figure }) => figure.missed },
        { header: S.pending, cell: ({ figure }) => figure.pending },
      ],
    })}
  </section>`;
}

/** Labelled counts (a category, a channel, a call outcome), each row marked with its key. */
function countTable(
  id: string,
  caption: string,
  rows: { key: string; label: string; value: number }[],
): SafeHtml {
  return dataTable({
    caption,
    id,
    tableClass: 'table',
    scrollWrapper: false,
    headerRow: false,
    rows,
    rowAttributes: (r) => ({ 'data-key': r.key, 'data-count': r.value }),
    columns: [
      { header: '', cell: (r) => r.label },
      { header: '', cell: (r) => r.value },
    ],
  });
}

function callsSection(calls: CallStats): SafeHtml {
  const rows = (
    Object.entries(calls.byOutcome) as [keyof typeof CALLS_TEXTS.outcomes, number][]
  ).map(([key, value]) => ({ key, label: CALLS_TEXTS.outcomes[key], value }));
  const max = Math.max(0, ...rows.map((r) => r.value));
  return html`<section class="card" aria-labelledby="calls-heading">
    <h2 id="calls-heading">${phrases(S.calls)}</h2>
    <p id="calls-total" data-count="${calls.total}">
      ${formatText(S.callsTotal, { count: calls.total })}
    </p>
    <figure>
      ${horizontalBarChart({ id: 'calls-chart', title: S.calls, desc: formatText(S.callsChartDesc, { max }), rows })}
    </figure>
    ${countTable('calls-table', S.calls, rows)}
  </section>`;
}

export interface PortalStatsParams {
  viewer: ConsoleViewer;
  filter: { from: string; to: string };
  /** null when the range was refused (400). */
  stats: MerchantStats | null;
  calls: CallStats | null;
  /** The public incident page's views and inquiries after reading it (issue 13.6). */
  faq?: FaqStats | null;
  errors?: readonly ErrorSummaryItem[];
}

export function renderPortalStats(p: PortalStatsParams): string {
  const errors = p.errors ?? [];
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const dateHint = formatText(S.dateHint, { days: MERCHANT_STATS_MAX_DAYS });
  const form = html`<form
    class="filters"
    method="get"
    action="${PORTAL_STATS_PATH}"
    aria-labelledby="stats-filters-heading"
  >
    <h2 class="visually-hidden" id="stats-filters-heading">${phrases(S.filtersHeading)}</h2>
    ${textField({ name: 'from', label: S.from, type: 'date', hint: dateHint, value: p.filter.from || p.stats?.from || '', error: errorOf('from') })}
    ${textField({ name: 'to', label: S.to, type: 'date', hint: dateHint, value: p.filter.to || p.stats?.to || '', error: errorOf('to') })}
    <div class="filters__actions"><button class="btn" type="submit">${S.apply}</button></div>
  </form>`;
  const { stats, calls } = p;
  const body = stats
    ? html`<p class="small muted" id="stats-range">
          ${formatText(S.rangeLabel, { from: stats.from, to: stats.to })}
        </p>
        <dl class="stats-grid" id="ticket-stats">
          ${figure(S.total, stats.total, 'total')} ${figure(S.open, stats.open, 'open', S.openNote)}
          ${figure(S.resolved, stats.resolved, 'resolved')}
          ${figure(S.handedBack, stats.handedBack, 'handed_back')}
          ${figure(`${S.firstResponse}: ${S.withinTarget}`, percent(stats.firstResponse.shareWithinTarget), 'first_response_share')}
          ${figure(`${S.resolution}: ${S.withinTarget}`, percent(stats.resolution.shareWithinTarget), 'resolution_share')}
        </dl>
        <section class="card" aria-labelledby="per-category-heading">
          <h2 id="per-category-heading">${phrases(S.perDayByCategory)}</h2>
          <figure>
            ${stackedDayChart({
              id: 'category-chart',
              title: S.perDayByCategory,
              days: stats.days.map((d) => ({ date: d.date, values: d.byCategory })),
              series: CATEGORY_SERIES,
              from: stats.from,
              to: stats.to,
            })}
          </figure>
          ${countTable(
            'category-table',
            S.byCategory,
            CATEGORY_SERIES.map((s) => ({
              ...s,
              value: stats.byCategory[s.key as keyof typeof stats.byCategory],
            })),
          )}
        </section>
        <section class="card" aria-labelledby="per-channel-heading">
          <h2 id="per-channel-heading">${phrases(S.perDayByChannel)}</h2>
          <figure>
            ${stackedDayChart({
              id: 'channel-chart',
              title: S.perDayByChannel,
              days: stats.days.map((d) => ({ date: d.date, values: d.byChannel })),
              series: CHANNEL_SERIES,
              from: stats.from,
              to: stats.to,
            })}
          </figure>
          ${countTable(
            'channel-table',
            S.byChannel,
            CHANNEL_SERIES.map((s) => ({
              ...s,
              value: stats.byChannel[s.key as keyof typeof stats.byChannel],
            })),
          )}
          ${perDayTable('per-day-table', stats)}
        </section>
        <section class="card" aria-labelledby="state-heading">
          <h2 id="state-heading">${phrases(S.state)}</h2>
          <figure>
            ${horizontalBarChart({
              id: 'state-chart',
              title: S.state,
              desc: S.stateChartDesc,
              rows: [
                { label: S.open, value: stats.open },
                { label: S.resolved, value: stats.resolved },
                { label: S.handedBack, value: stats.handedBack },
              ],
            })}
          </figure>
        </section>
        ${slaSection(stats)} ${calls && callsSection(calls)} ${p.faq ? faqStatsSection(p.faq) : ''}`
    : '';
  const main = html`${errorSummary(errors, T.validation.summaryTitle)}
    <h1>${phrases(S.title)}</h1>
    <p class="muted">${S.intro}</p>
    ${form} ${body}`;
  return renderConsolePage({
    viewer: p.viewer,
    title: S.title,
    section: 'portal-stats',
    main,
    hasErrors: errors.length > 0,
  });
}

function figure(label: string, value: number | string, key: string, note?: string): SafeHtml {
  return html`<div class="stat" data-stat="${key}">
    <dt>${label}</dt>
    <dd class="stat__value">${value}</dd>
    ${note ? html`<dd class="small muted">${note}</dd>` : ''}
  </div>`;
}
