import {
  AFFECTED_LIST_MAX_BYTES,
  AFFECTED_LIST_MAX_ROWS,
  AFFECTED_LIST_MODES,
  type AffectedListIncident,
  type AffectedListMode,
  type AffectedListReport,
  type AffectedListUploadView,
} from '@madoguchi/incident-response';
import {
  type DataColumn,
  dataTable,
  errorSummary,
  formatText,
  formatTokyoDateTime,
  html,
  phrases,
  SafeHtml,
} from '@madoguchi/ui';
import { type ConsoleViewer, csrfField, noticeBox, renderConsolePage } from '../../web';
import { AFFECTED_LIST_TEXTS } from './affected-list.texts';

const L = AFFECTED_LIST_TEXTS;

export const PORTAL_AFFECTED_LISTS_PATH = '/portal/affected-lists';

export function affectedListPath(incidentId: number): string {
  return `${PORTAL_AFFECTED_LISTS_PATH}/${incidentId}`;
}

const LIMITS = {
  maxMb: AFFECTED_LIST_MAX_BYTES / (1024 * 1024),
  maxRows: AFFECTED_LIST_MAX_ROWS.toLocaleString('ja-JP'),
};

export interface PortalAffectedListsParams {
  viewer: ConsoleViewer;
  incidents: readonly AffectedListIncident[];
}

export function renderPortalAffectedLists(p: PortalAffectedListsParams): string {
  const table = dataTable({
    tableClass: 'ticket-table',
    rowHeader: false,
    rows: p.incidents,
    empty: L.none,
    columns: [
      { header: L.incident, cell: (i) => i.title },
      { header: L.affected, cell: (i) => (i.affected ? L.affectedYes : L.affectedNo) },
      {
        header: L.listSize,
        className: 'num',
        cell: (i) => formatText(L.count, { count: i.listSize }),
      },
      {
        header: html`<span class="visually-hidden">${L.open}</span>`,
        cell: (i) => html`<a href="${affectedListPath(i.incidentId)}">${L.open}</a>`,
      },
    ],
  });
  const main = html`<h1>${phrases(L.indexTitle)}</h1>
    <p>${L.indexIntro}</p>
    ${table}`;
  return renderConsolePage({
    viewer: p.viewer,
    title: L.indexTitle,
    section: 'portal-affected-lists',
    main,
  });
}

/** A refused file: the reason in words; nothing changed. */
export interface AffectedListRefusal {
  message: string;
  /** Row problems when every row was rejected. */
  rejections?: AffectedListReport['rejections'];
}

export interface PortalAffectedListParams {
  viewer: ConsoleViewer;
  incident: AffectedListIncident;
  uploads: readonly AffectedListUploadView[];
  mode?: AffectedListMode;
  report?: AffectedListReport;
  refusal?: AffectedListRefusal;
}

function rejectionList(rejections: AffectedListReport['rejections'], total: number): SafeHtml {
  if (rejections.length === 0) return html``;
  const items = rejections.map(
    (r) =>
      html`<li>
        <span class="literal">${formatText(L.rejectionLine, { line: r.line })}</span>:
        ${L.issues[r.issue]}
      </li>`,
  );
  const more =
    total > rejections.length
      ? html`<p class="small muted">
          ${formatText(L.rejectionsMore, { count: total - rejections.length, shown: rejections.length })}
        </p>`
      : html``;
  return html`<h3 id="rejections-heading">${phrases(L.rejectionsHeading)}</h3>
    <ul class="rejections" aria-labelledby="rejections-heading">
      ${items}
    </ul>
    ${more}`;
}

function reportCard(report: AffectedListReport): SafeHtml {
  const R = L.report;
  return html`<section class="card" aria-labelledby="report-heading" data-upload-report>
    <h2 id="report-heading">${phrases(L.reportHeading)}</h2>
    <dl class="meta">
      <dt>${R.mode}</dt>
      <dd>${L.modes[report.mode]}</dd>
      <dt>${R.encoding}</dt>
      <dd>${L.encodings[report.encoding]}</dd>
      <dt>${R.rowsRead}</dt>
      <dd data-count="rows-read">${report.rowsRead}</dd>
      <dt>${R.rowsAdded}</dt>
      <dd data-count="rows-added">${report.rowsAdded}</dd>
      <dt>${R.duplicateRows}</dt>
      <dd data-count="duplicates">${report.duplicateRows}</dd>
      <dt>${R.rowsRejected}</dt>
      <dd data-count="rows-rejected">${report.rowsRejected}</dd>
      <dt>${R.listSize}</dt>
      <dd data-count="list-size">${report.listSize}</dd>
    </dl>
    ${rejectionList(report.rejections, report.rowsRejected)}
  </section>`;
}

function refusalCard(refusal: AffectedListRefusal): SafeHtml {
  const rejections = refusal.rejections ?? [];
  return html`<section class="card" aria-labelledby="refusal-heading" data-upload-refused>
    <h2 id="refusal-heading">${phrases(L.refusedTitle)}</h2>
    <p>${refusal.message} ${L.unchanged}</p>
    ${rejectionList(rejections, rejections.length)}
  </section>`;
}

function uploadForm(p: PortalAffectedListParams): SafeHtml {
  const mode = p.mode ?? 'add';
  const radios = AFFECTED_LIST_MODES.map(
    (value) =>
      html`<div class="radio">
        <input
          class="radio__input"
          type="radio"
          id="f-mode-${value}"
          name="mode"
          value="${value}"
          ${mode === value ? html`checked` : ''}
        />
        <label class="radio__label" for="f-mode-${value}"
          >${value === 'replace' ? L.modeReplace : L.modeAdd}</label
        >
      </div>`,
  );
  const format = L.formatItems.map((item) => html`<li>${formatText(item, LIMITS)}</li>`);
  // _csrf first: the multipart parts are read in order, before the session guard checks it.
  return html`<section class="card" aria-labelledby="upload-heading">
    <h2 id="upload-heading">${phrases(L.formHeading)}</h2>
    <h3>${phrases(L.formatHeading)}</h3>
    <ul class="small">
      ${format}
    </ul>
    <form
      class="form"
      method="post"
      action="${affectedListPath(p.incident.incidentId)}"
      enctype="multipart/form-data"
    >
      ${csrfField(p.viewer.csrfToken)}
      <div class="field">
        <label class="field__label" for="f-file">${L.file}</label>
        <p class="field__hint" id="f-file-limits">${formatText(L.fileLimits, LIMITS)}</p>
        <input
          class="field__input"
          type="file"
          id="f-file"
          name="file"
          accept=".csv,text/csv"
          aria-describedby="f-file-limits"
          required
        />
      </div>
      <fieldset class="fieldset">
        <legend class="field__label">${L.mode}</legend>
        ${radios}
      </fieldset>
      <button class="btn btn--primary" type="submit">${L.submit}</button>
    </form>
  </section>`;
}

function history(uploads: readonly AffectedListUploadView[]): SafeHtml {
  const H = L.history;
  if (uploads.length === 0) return html`<p class="empty">${L.historyEmpty}</p>`;
  const count = (
    header: string,
    value: (u: AffectedListUploadView) => number,
  ): DataColumn<AffectedListUploadView> => ({ header, cell: value, className: 'num' });
  return html`${dataTable({
      tableClass: 'ticket-table',
      tableAttributes: { 'data-upload-history': true },
      rowHeader: false,
      rows: uploads,
      columns: [
        { header: H.at, cell: (u) => formatTokyoDateTime(u.createdAt) },
        { header: H.by, cell: (u) => u.uploadedBy ?? L.unknownUser },
        { header: H.mode, cell: (u) => L.modes[u.mode] },
        count(H.rowsRead, (u) => u.rowsRead),
        count(H.rowsAdded, (u) => u.rowsAdded),
        count(H.duplicateRows, (u) => u.duplicateRows),
        count(H.rowsRejected, (u) => u.rowsRejected),
        count(H.listSize, (u) => u.listSize),
      ],
    })}
    <p class="small muted">${L.historyNote}</p>`;
}

export function renderPortalAffectedList(p: PortalAffectedListParams): string {
  const title = formatText(L.title, { title: p.incident.title });
  const summary = p.refusal
    ? errorSummary([{ field: 'file', message: p.refusal.message }], L.refusedTitle)
    : html``;
  const main = html`${summary}
    <p><a href="${PORTAL_AFFECTED_LISTS_PATH}">${L.back}</a></p>
    <h1>${phrases(title)}</h1>
    ${noticeBox(formatText(L.current, { count: p.incident.listSize }))}
    ${p.refusal ? refusalCard(p.refusal) : html``} ${p.report ? reportCard(p.report) : html``}
    ${uploadForm(p)}
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">${phrases(L.historyHeading)}</h2>
      ${history(p.uploads)}
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title,
    section: 'portal-affected-lists',
    main,
    hasErrors: Boolean(p.refusal),
  });
}
