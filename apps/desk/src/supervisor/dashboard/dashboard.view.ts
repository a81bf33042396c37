import type { AgentLoad, DashboardSnapshot, MerchantLoad } from '@madoguchi/reporting';
import {
  type DataColumn,
  dataTable,
  formatText,
  formatTokyoDateTime,
  html,
  phrases,
  type SafeHtml,
} from '@madoguchi/ui';
import { DASHBOARD_TEXTS } from './dashboard.texts';
import { type ConsoleViewer, renderConsolePage } from '../../web';
import { supervisorSubnav } from '../shared/supervisor-subnav.view';
import { faqDashboardSection, type FaqDashboardFigures } from '../../web/parts/faq-stats.view';

const S = DASHBOARD_TEXTS;

/**
 * Open tickets per merchant as horizontal bars (names can be long, and 40+ merchants fit
 * downwards), drawn on the server: no script, no library. <title>/<desc> for screen readers,
 * and the same numbers in the table below.
 */
export function merchantBarChart(merchants: readonly MerchantLoad[]): SafeHtml {
  const width = 720;
  const row = 26;
  const labelWidth = 220;
  const top = 8;
  const height = top * 2 + row * merchants.length;
  const max = Math.max(1, ...merchants.map((m) => m.open));
  const plot = width - labelWidth - 48;
  const bars = merchants.map((m, index) => {
    const y = top + index * row;
    const w = (m.open / max) * plot;
    const name = m.merchantName.length > 18 ? `${m.merchantName.slice(0, 17)}…` : m.merchantName;
    return html`<g>
      <title>${m.merchantName}: ${m.open}</title>
      <text class="chart__label" x="${labelWidth - 8}" y="${y + row * 0.65}" text-anchor="end">
        ${name}
      </text>
      <rect
        class="chart__bar"
        x="${labelWidth}"
        y="${y + 4}"
        width="${w.toFixed(1)}"
        height="${row - 8}"
        fill="#1f4e8c"
      />
      <text class="chart__label" x="${(labelWidth + w + 6).toFixed(1)}" y="${y + row * 0.65}">
        ${m.open}
      </text>
    </g>`;
  });
  return html`<svg
    class="chart"
    role="img"
    viewBox="0 0 ${width} ${height}"
    width="100%"
    aria-labelledby="merchant-chart-title merchant-chart-desc"
    xmlns="http://www.w3.org/2000/svg"
  >
    <title id="merchant-chart-title">${S.merchantsHeading}</title>
    <desc id="merchant-chart-desc">
      ${formatText(S.chartDesc, { count: merchants.length, max })}
    </desc>
    ${bars}
  </svg>`;
}

/** A figure's column: its cells carry `data-col`, by which the dashboard's tests read them. */
function figureColumn<T>(header: string, key: string, value: (row: T) => number): DataColumn<T> {
  return { header, cell: value, cellAttributes: () => ({ 'data-col': key }) };
}

export function renderSupervisorDashboardPage(p: {
  viewer: ConsoleViewer;
  snapshot: DashboardSnapshot;
  /** The public incident page's views and inquiries per merchant (issue 13.6). */
  faq?: FaqDashboardFigures;
}): string {
  const { snapshot } = p;
  // Stat cards (console.css .stats-grid); a breach in the alarm colour as long as there is one.
  const figure = (id: string, label: string, value: number, alarm = false) =>
    html`<div class="${alarm && value > 0 ? 'stat stat--alert' : 'stat'}">
      <dt>${label}</dt>
      <dd class="stat__value" id="${id}">${value}</dd>
    </div>`;
  const merchants =
    snapshot.merchants.length === 0
      ? html`<p class="muted">${S.merchantsEmpty}</p>`
      : html`<figure>${merchantBarChart(snapshot.merchants)}</figure>
          ${dataTable({
            caption: S.merchantsCaption,
            id: 'merchant-table',
            tableClass: 'table',
            scrollWrapper: false,
            rows: snapshot.merchants,
            rowAttributes: (m) => ({ 'data-merchant-id': m.merchantId }),
            columns: [
              { header: S.merchant, cell: (m) => m.merchantName },
              figureColumn<MerchantLoad>(S.open, 'open', (m) => m.open),
              figureColumn<MerchantLoad>(S.breached, 'breached', (m) => m.breached),
              figureColumn<MerchantLoad>(S.dueSoon, 'dueSoon', (m) => m.dueSoon),
              figureColumn<MerchantLoad>(S.unassigned, 'unassigned', (m) => m.unassigned),
            ],
          })}`;
  const agents =
    snapshot.agents.length === 0
      ? html`<p class="muted">${S.agentsEmpty}</p>`
      : dataTable({
          caption: S.agentsCaption,
          id: 'agent-table',
          tableClass: 'table',
          scrollWrapper: false,
          rows: snapshot.agents,
          rowAttributes: (a) => ({ 'data-user-id': a.userId }),
          columns: [
            { header: S.agent, cell: (a) => a.displayName },
            figureColumn<AgentLoad>(S.active, 'active', (a) => a.active),
            figureColumn<AgentLoad>(S.resolvedToday, 'resolvedToday', (a) => a.resolvedToday),
          ],
        });
  const main = html`<h1>${phrases(S.title)}</h1>
    ${supervisorSubnav('dashboard', p.viewer)}
    <p class="small muted">${formatText(S.intro, { at: formatTokyoDateTime(snapshot.at) })}</p>
    <section aria-labelledby="totals-heading">
      <h2 id="totals-heading">${phrases(S.totals)}</h2>
      <dl class="stats-grid" id="dashboard-totals">
        ${figure('total-open', S.open, snapshot.totals.open)}
        ${figure('total-breached', S.breached, snapshot.totals.breached, true)}
        ${figure('total-due-soon', S.dueSoon, snapshot.totals.dueSoon)}
        ${figure('total-unassigned', S.unassigned, snapshot.totals.unassigned)}
        ${figure('total-resolved-today', S.resolvedToday, snapshot.totals.resolvedToday)}
      </dl>
    </section>
    <section class="card" aria-labelledby="merchants-heading">
      <h2 id="merchants-heading">${phrases(S.merchantsHeading)}</h2>
      ${merchants}
    </section>
    <section class="card" aria-labelledby="agents-heading">
      <h2 id="agents-heading">${phrases(S.agentsHeading)}</h2>
      ${agents}
    </section>
    ${p.faq ? faqDashboardSection(p.faq) : ''}`;
  return renderConsolePage({ viewer: p.viewer, title: S.title, section: 'supervisor', main });
}
