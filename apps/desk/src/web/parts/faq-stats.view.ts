import type { FaqMerchantTotals, FaqStats } from '@madoguchi/incident-response';
import { dataTable, formatText, html, phrases, type SafeHtml } from '@madoguchi/ui';
import { FAQ_STATS_TEXTS } from './faq-stats.texts';

const F = FAQ_STATS_TEXTS;

/** The public incident page's figures on the supervisor dashboard, one merchant a row. */
export interface FaqDashboardFigures {
  days: number;
  rows: readonly (FaqMerchantTotals & { merchantName: string })[];
}

/** Inquiries after reading, as a share of views (`12.5%`); — without views. */
export function faqShare(views: number, inquiries: number): string {
  if (views <= 0) return F.none;
  return `${(Math.round((inquiries / views) * 1000) / 10).toFixed(1)}%`;
}

/** The portal statistics' section: views, inquiries after reading, and the share. */
export function faqStatsSection(stats: FaqStats): SafeHtml {
  return html`<section class="card" aria-labelledby="faq-stats-heading" id="faq-stats">
    <h2 id="faq-stats-heading">${phrases(F.heading)}</h2>
    <p class="small muted">${F.intro}</p>
    <dl class="stats-grid">
      <div class="stat" data-faq="views">
        <dt>${F.views}</dt>
        <dd class="stat__value">${stats.views}</dd>
      </div>
      <div class="stat" data-faq="inquiries">
        <dt>${F.inquiries}</dt>
        <dd class="stat__value">${stats.inquiries}</dd>
      </div>
      <div class="stat" data-faq="share">
        <dt>${F.share}</dt>
        <dd class="stat__value">${faqShare(stats.views, stats.inquiries)}</dd>
      </div>
    </dl>
  </section>`;
}

/** The supervisor dashboard's section: every merchant with views or inquiries in the window. */
export function faqDashboardSection(faq: FaqDashboardFigures): SafeHtml {
  const heading = formatText(F.dashboardHeading, { days: faq.days });
  const body =
    faq.rows.length === 0
      ? html`<p class="muted">${F.dashboardEmpty}</p>`
      : dataTable({
          caption: F.caption,
          id: 'faq-table',
          tableClass: 'table',
          scrollWrapper: false,
          rows: faq.rows,
          rowAttributes: (row) => ({ 'data-faq-merchant-id': row.merchantId }),
          columns: [
            { header: F.merchant, cell: (row) => row.merchantName },
            {
              header: F.views,
              cell: (row) => row.views,
              cellAttributes: () => ({ 'data-col': 'faqViews' }),
            },
            {
              header: F.inquiries,
              cell: (row) => row.inquiries,
              cellAttributes: () => ({ 'data-col': 'faqInquiries' }),
            },
            {
              header: F.share,
              cell: (row) => faqShare(row.views, row.inquiries),
              cellAttributes: () => ({ 'data-col': 'faqShare' }),
            },
          ],
        });
  return html`<section class="card" aria-labelledby="faq-heading">
    <h2 id="faq-heading">${phrases(heading)}</h2>
    <p class="small muted">${F.intro}</p>
    ${body}
  </section>`;
}
