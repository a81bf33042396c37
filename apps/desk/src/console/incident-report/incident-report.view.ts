import type { IncidentReport, IncidentReportFigures } from '@madoguchi/incident-response';
import {
  type DataColumn,
  dataTable,
  formatText,
  formatTokyoDateTime,
  html,
  phrases,
  SafeHtml,
} from '@madoguchi/ui';
import { type ConsoleViewer, renderConsolePage, SHARED_TEXTS } from '../../web';
import {
  cellKey,
  type ReportPart,
  reportParts,
  type ReportRow,
  type ReportTable,
} from './incident-report.tables';
import { INCIDENT_REPORT_TEXTS as R } from './incident-report.texts';

/** Where the report lives: the merchant's portal, or the operator's supervisor pages. */
export type IncidentReportArea = 'portal' | 'supervisor';

export interface IncidentReportPageParams {
  viewer: ConsoleViewer;
  area: IncidentReportArea;
  report: IncidentReport;
  /** The CSV of exactly what the page shows. */
  csvHref: string;
  /** Supervisor: links to each merchant's report and to the all-merchants view. */
  merchantLinks?: readonly { name: string; href: string; current: boolean }[];
  allHref?: string;
  /** Back to the incident's own page. */
  incidentHref: string;
}

function dateTime(at: Date | null): string {
  return at ? formatTokyoDateTime(at) : SHARED_TEXTS.common.none;
}

function table(t: ReportTable): SafeHtml {
  const single = t.columns.length === 1 && t.columns[0].key === '';
  return html`<div class="report-table" data-table="${t.id}">
    ${dataTable({
      caption: t.caption,
      captionVisible: true,
      tableClass: 'table report-table__table',
      // A list of labelled values needs no column headers.
      headerRow: !single,
      rows: t.rows,
      rowAttributes: (row) => ({ 'data-row': row.key }),
      columns: [
        { header: '', cell: (row) => row.label },
        ...t.columns.map((column, index): DataColumn<ReportRow> => ({
          header: column.label,
          cell: (row) => row.cells[index],
          cellAttributes: (row) => ({
            'data-key': cellKey(t, row, column),
            'data-value': String(row.cells[index]),
          }),
        })),
      ],
    })}
    ${t.note ? html`<p class="small muted report-table__note">${t.note}</p>` : ''}
  </div>`;
}

/** A part's name includes its merchant's (or the total's) heading: each part a landmark of its own. */
function part(p: ReportPart, prefix: string, ownerHeadingId: string): SafeHtml {
  const id = `${prefix}-${p.id}`;
  return html`<section
    class="report-part"
    aria-labelledby="${id} ${ownerHeadingId}"
    data-part="${p.id}"
  >
    <h3 id="${id}">${phrases(p.heading)}</h3>
    ${p.message ? html`<p class="report-part__message">${p.message}</p>` : ''}
    ${p.tables.map((t) => table(t))}
  </section>`;
}

function figuresBlock(
  figures: IncidentReportFigures,
  prefix: string,
  ownerHeadingId: string,
): SafeHtml {
  return html`${reportParts(figures).map((p) => part(p, prefix, ownerHeadingId))}`;
}

function headerBlock(report: IncidentReport, viewer: ConsoleViewer): SafeHtml {
  const h = report.header;
  const H = R.header;
  const single = report.total === null;
  const only = single ? report.sections[0] : undefined;
  const occurred =
    h.occurredFrom || h.occurredTo
      ? `${dateTime(h.occurredFrom)} 〜 ${dateTime(h.occurredTo)}`
      : SHARED_TEXTS.common.none;
  return html`<section class="card report-header" aria-labelledby="report-header-heading">
    <h2 id="report-header-heading">${phrases(H.heading)}</h2>
    <dl class="report-header__list">
      <div>
        <dt>${H.incident}</dt>
        <dd data-header="title">${h.title}</dd>
      </div>
      ${
        only
          ? html`<div>
              <dt>${H.merchant}</dt>
              <dd data-header="merchant">${only.merchantName}</dd>
            </div>`
          : html`<div>
              <dt>${H.merchants}</dt>
              <dd data-header="merchants">
                ${formatText(H.merchantsCount, { count: report.sections.length })}
              </dd>
            </div>`
      }
      <div>
        <dt>${H.period}</dt>
        <dd data-header="period" data-from="${h.period.from}" data-to="${h.period.to}">
          ${formatText(H.periodValue, { from: h.period.from, to: h.period.to })}
        </dd>
      </div>
      <div>
        <dt>${H.description}</dt>
        <dd class="report-header__text" data-header="description">${h.description}</dd>
      </div>
      <div>
        <dt>${H.leakedItems}</dt>
        <dd class="report-header__text" data-header="leaked">${h.leakedItems}</dd>
      </div>
      <div>
        <dt>${H.occurred}</dt>
        <dd data-header="occurred">${occurred}</dd>
      </div>
      <div>
        <dt>${H.recordedAt}</dt>
        <dd>${dateTime(h.recordedAt)}</dd>
      </div>
      ${
        only
          ? html`<div>
              <dt>${H.noticeDate}</dt>
              <dd data-header="notice-date">${only.noticeDate ?? H.noticeDateNone}</dd>
            </div>`
          : ''
      }
      <div>
        <dt>${H.generatedAt}</dt>
        <dd data-header="generated-at">
          <time datetime="${h.generatedAt.toISOString()}">${dateTime(h.generatedAt)}</time>
        </dd>
      </div>
      <div>
        <dt>${H.generatedBy}</dt>
        <dd>${viewer.displayName}</dd>
      </div>
    </dl>
    <p class="small muted">${R.intro}</p>
  </section>`;
}

/**
 * The incident report page, for a merchant (its own section) and for the operator (one
 * merchant, or every affected merchant with a section each and the total). Printing gives a
 * clean A4 document: the console's print rules hide the header and forms, the report's own
 * (console.css, `.incident-report`) set the page size, keep rows and headings together and
 * start each merchant on a new page.
 */
export function renderIncidentReportPage(p: IncidentReportPageParams): string {
  const { report } = p;
  const single = report.total === null;
  const merchantNav =
    p.merchantLinks && p.merchantLinks.length > 0
      ? html`<nav class="report-merchants" aria-label="${R.chooseMerchant}">
          <h2 class="visually-hidden">${phrases(R.chooseMerchant)}</h2>
          <ul class="report-merchants__list">
            ${
              p.allHref
                ? html`<li>
                    <a href="${p.allHref}" ${single ? '' : html`aria-current="page"`}
                      >${R.allMerchants}</a
                    >
                  </li>`
                : ''
            }
            ${p.merchantLinks.map(
              (link) =>
                html`<li>
                  <a href="${link.href}" ${link.current ? html`aria-current="page"` : ''}
                    >${link.name}</a
                  >
                </li>`,
            )}
          </ul>
        </nav>`
      : '';
  const actions = html`<div class="report-actions" data-report-actions>
    <a class="btn" href="${p.csvHref}" download data-report-csv>${R.downloadCsv}</a>
    <a class="btn btn--ghost" href="${p.incidentHref}">${R.backToIncident}</a>
    <p class="small muted report-actions__hint">${R.printHint}</p>
  </div>`;
  const sections = report.sections.map(
    (section) =>
      html`<section
        class="report-merchant"
        aria-labelledby="merchant-${section.merchantId}"
        data-merchant="${section.merchantCode}"
      >
        <h2 id="merchant-${section.merchantId}" class="report-merchant__heading">
          ${section.merchantName}
          ${
            single
              ? ''
              : html`<span class="small muted">
                  ${R.header.noticeDate}: ${section.noticeDate ?? R.header.noticeDateNone}</span
                >`
          }
        </h2>
        ${figuresBlock(section, `m${section.merchantId}`, `merchant-${section.merchantId}`)}
      </section>`,
  );
  const total = report.total
    ? html`<section class="report-merchant" aria-labelledby="report-total" data-merchant="*">
        <h2 id="report-total" class="report-merchant__heading">${phrases(R.total)}</h2>
        ${figuresBlock(report.total, 'total', 'report-total')}
      </section>`
    : '';
  const title = single ? R.title : R.titleAll;
  const main = html`<article class="incident-report" data-area="${p.area}">
    <h1>${phrases(title)}</h1>
    ${actions} ${merchantNav} ${headerBlock(report, p.viewer)} ${total} ${sections}
  </article>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: `${title}: ${report.header.title}`,
    section: p.area === 'portal' ? 'portal-incidents' : 'supervisor',
    main,
  });
}
