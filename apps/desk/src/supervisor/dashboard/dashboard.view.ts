import type { DashboardSnapshot, MerchantLoad } from '@madoguchi/reporting';
import { formatText, formatTokyoDateTime, html, type SafeHtml } from '@madoguchi/ui';
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

export function renderSupervisorDashboardPage(p: {
  viewer: ConsoleViewer;
  snapshot: DashboardSnapshot;
  /** The public incident page's views and inquiries per merchant (issue 13.6). */
  faq?: FaqDashboardFigures;
}): string {
  const { snapshot } = p;
  const figure = (id: string, label: string, value: number) =>
    html`<div class="stat">
      <dt>${label}</dt>
      <dd class="stat__value" id="${id}">${value}</dd>
    </div>`;
  const merchants =
    snapshot.merchants.length === 0
      ? html`<p class="muted">${S.merchantsEmpty}</p>`
      : html`<figure>${merchantBarChart(snapshot.merchants)}</figure>
          <table class="table" id="merchant-table">
            <caption class="visually-hidden">
              ${S.merchantsCaption}
            </caption>
            <thead>
              <tr>
                <th scope="col">${S.merchant}</th>
                <th scope="col">${S.open}</th>
                <th scope="col">${S.breached}</th>
                <th scope="col">${S.dueSoon}</th>
                <th scope="col">${S.unassigned}</th>
              </tr>
            </thead>
            <tbody>
              ${snapshot.merchants.map(
                (m) =>
                  html`<tr data-merchant-id="${m.merchantId}">
                    <th scope="row">${m.merchantName}</th>
                    <td data-col="open">${m.open}</td>
                    <td data-col="breached">${m.breached}</td>
                    <td data-col="dueSoon">${m.dueSoon}</td>
                    <td data-col="unassigned">${m.unassigned}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`;
  const agents =
    snapshot.agents.length === 0
      ? html`<p class="muted">${S.agentsEmpty}</p>`
      : html`<table class="table" id="agent-table">
          <caption class="visually-hidden">
            ${S.agentsCaption}
          </caption>
          <thead>
            <tr>
              <th scope="col">${S.agent}</th>
              <th scope="col">${S.active}</th>
              <th scope="col">${S.resolvedToday}</th>
            </tr>
          </thead>
          <tbody>
            ${snapshot.agents.map(
              (a) =>
                html`<tr data-user-id="${a.userId}">
                  <th scope="row">${a.displayName}</th>
                  <td data-col="active">${a.active}</td>
                  <td data-col="resolvedToday">${a.resolvedToday}</td>
                </tr>`,
            )}
          </tbody>
        </table>`;
  const main = html`<h1>${S.title}</h1>
    ${supervisorSubnav('dashboard')}
    <p class="small muted">${formatText(S.intro, { at: formatTokyoDateTime(snapshot.at) })}</p>
    <section aria-labelledby="totals-heading">
      <h2 id="totals-heading">${S.totals}</h2>
      <dl class="stats-grid" id="dashboard-totals">
        ${figure('total-open', S.open, snapshot.totals.open)}
        ${figure('total-breached', S.breached, snapshot.totals.breached)}
        ${figure('total-due-soon', S.dueSoon, snapshot.totals.dueSoon)}
        ${figure('total-unassigned', S.unassigned, snapshot.totals.unassigned)}
        ${figure('total-resolved-today', S.resolvedToday, snapshot.totals.resolvedToday)}
      </dl>
    </section>
    <section class="card" aria-labelledby="merchants-heading">
      <h2 id="merchants-heading">${S.merchantsHeading}</h2>
      ${merchants}
    </section>
    <section class="card" aria-labelledby="agents-heading">
      <h2 id="agents-heading">${S.agentsHeading}</h2>
      ${agents}
    </section>
    ${p.faq ? faqDashboardSection(p.faq) : ''}`;
  return renderConsolePage({ viewer: p.viewer, title: S.title, section: 'supervisor', main });
}
