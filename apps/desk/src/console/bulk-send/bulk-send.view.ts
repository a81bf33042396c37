import type {
  BulkSendItemView,
  BulkSendOptions,
  BulkSendPreview,
  BulkSendSummary,
} from '@madoguchi/incident-response';
import type { Page } from '@madoguchi/tickets';
import { BULK_SEND_SELECTIONS } from '@madoguchi/incident-response';
import {
  type DataColumn,
  dataTable,
  formatText,
  html,
  phrases,
  type SafeHtml,
  selectField,
} from '@madoguchi/ui';
import {
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  listPager,
  noticeBox,
  renderConsolePage,
  statusBadge,
  timeTag,
  SHARED_TEXTS,
} from '../../web';
import { supervisorSubnav } from '../../supervisor/shared/supervisor-subnav.view';
import { bulkDeterminationSection } from '../../web/parts/determination.view';
import { BULK_SEND_TEXTS } from './bulk-send.texts';

const S = SHARED_TEXTS;
const B = BULK_SEND_TEXTS;

/** Supervisors work under /supervisor/bulk-sends, merchant admins under /portal/bulk-sends. */
export type BulkSendArea = 'supervisor' | 'portal';

export function bulkSendBase(area: BulkSendArea): string {
  return area === 'supervisor' ? '/supervisor/bulk-sends' : '/portal/bulk-sends';
}

export interface BulkSendFormValues {
  merchantId: string;
  templateId: string;
  selection: string;
}
export type BulkSendFormErrors = Partial<Record<keyof BulkSendFormValues, string>>;

function page(
  viewer: ConsoleViewer,
  area: BulkSendArea,
  title: string,
  main: SafeHtml,
  hasErrors = false,
): string {
  return renderConsolePage({
    viewer,
    title,
    section: area === 'supervisor' ? 'supervisor' : 'portal-bulk-sends',
    main,
    hasErrors,
  });
}

function progressText(run: BulkSendSummary): string {
  return formatText(B.progress, {
    sent: run.sent,
    skipped: run.skipped,
    pending: run.pending,
    total: run.total,
  });
}

/** The runs, newest first, with a link to start one. */
export function renderBulkSendList(p: {
  viewer: ConsoleViewer;
  area: BulkSendArea;
  runs: readonly BulkSendSummary[];
}): string {
  const base = bulkSendBase(p.area);
  const columns: DataColumn<BulkSendSummary>[] = [
    { header: B.columns.id, cell: (run) => html`<a href="${base}/${run.id}">${run.id}</a>` },
    ...(p.area === 'supervisor'
      ? [{ header: B.columns.merchant, cell: (run: BulkSendSummary) => run.merchantName }]
      : []),
    {
      header: B.columns.template,
      cell: (run) =>
        html`${run.incidentTitle}<br />${formatText(B.answerLabel, {
            title: run.templateTitle,
            version: run.version,
          })}`,
    },
    { header: B.columns.selection, cell: (run) => B.selections[run.selection] },
    { header: B.columns.state, cell: (run) => B.states[run.state] },
    { header: B.columns.progress, cell: (run) => progressText(run) },
    {
      header: B.columns.createdAt,
      cell: (run) => html`${timeTag(run.createdAt)}<br />${run.createdByName ?? ''}`,
    },
  ];
  const table = p.runs.length
    ? dataTable({ caption: B.caption, rows: p.runs, columns })
    : html`<p class="empty card">${B.empty}</p>`;
  const main = html`${p.area === 'supervisor' ? supervisorSubnav('bulk', p.viewer) : ''}
    <h1>${phrases(B.listHeading)}</h1>
    <div class="card"><p>${B.intro}</p></div>
    <p><a class="btn btn--primary" href="${base}/new">${B.newLink}</a></p>
    ${table}`;
  return page(p.viewer, p.area, B.listTitle, main);
}

/** Merchant (staff only), template and selection; submitting shows the preview (GET). */
export function renderBulkSendForm(p: {
  viewer: ConsoleViewer;
  area: BulkSendArea;
  options: BulkSendOptions;
  values: BulkSendFormValues;
  errors?: BulkSendFormErrors;
}): string {
  const errors = p.errors ?? {};
  const marks = { requiredMark: S.common.requiredMark };
  const merchantField =
    p.area === 'supervisor'
      ? selectField({
          ...marks,
          name: 'merchantId',
          label: B.form.merchant,
          placeholder: B.form.merchantPlaceholder,
          options: p.options.merchants.map((m) => ({ value: String(m.id), label: m.name })),
          value: p.values.merchantId,
          error: errors.merchantId,
          required: true,
        })
      : html``;
  const main = html`${fieldErrorSummary(['merchantId', 'templateId', 'selection'], errors)}
    <h1>${phrases(B.form.heading)}</h1>
    <p><a href="${bulkSendBase(p.area)}">${B.run.back}</a></p>
    <form class="form card" method="get" action="${bulkSendBase(p.area)}/preview">
      <p>${B.form.hint}</p>
      ${merchantField}
      ${selectField({
        ...marks,
        name: 'templateId',
        label: B.form.template,
        placeholder: B.form.templatePlaceholder,
        options: p.options.templates.map((t) => ({
          value: String(t.id),
          label: formatText(B.form.templateOption, { incident: t.incidentTitle, title: t.title }),
        })),
        value: p.values.templateId,
        error: errors.templateId,
        required: true,
      })}
      ${selectField({
        ...marks,
        name: 'selection',
        label: B.form.selection,
        options: BULK_SEND_SELECTIONS.map((s) => ({ value: s, label: B.selections[s] })),
        value: p.values.selection,
        error: errors.selection,
        required: true,
      })}
      <button class="btn btn--primary" type="submit">${B.form.preview}</button>
    </form>`;
  return page(p.viewer, p.area, B.form.title, main, Object.keys(errors).length > 0);
}

/** The count and a sample, and the confirmation that starts the run (POST, expectedCount). */
export function renderBulkSendPreview(p: {
  viewer: ConsoleViewer;
  area: BulkSendArea;
  preview: BulkSendPreview;
  error?: string | null;
}): string {
  const base = bulkSendBase(p.area);
  const { preview } = p;
  const back = `${base}/new?merchantId=${preview.merchantId}&templateId=${preview.templateId}&selection=${preview.selection}`;
  const sample = preview.sample.map(
    (ticket) =>
      html`<li><span class="literal">${ticket.reference}</span> ${statusBadge(ticket.status)}</li>`,
  );
  const confirm =
    preview.count > 0
      ? html`<form method="post" action="${base}">
          ${csrfField(p.viewer.csrfToken)}
          <input type="hidden" name="merchantId" value="${preview.merchantId}" />
          <input type="hidden" name="templateId" value="${preview.templateId}" />
          <input type="hidden" name="selection" value="${preview.selection}" />
          <input type="hidden" name="expectedCount" value="${preview.count}" />
          <button class="btn btn--primary" type="submit">
            ${formatText(B.preview.confirm, { count: preview.count })}
          </button>
        </form>`
      : html`<p class="empty">${B.preview.none}</p>`;
  const main = html`<h1>${phrases(B.preview.heading)}</h1>
    ${p.error ? html`<div class="alert alert--error" role="alert">${p.error}</div>` : ''}
    <div class="card">
      <dl class="meta">
        <dt>${B.columns.merchant}</dt>
        <dd>${preview.merchantName}</dd>
        <dt>${B.columns.template}</dt>
        <dd>
          ${preview.incidentTitle} —
          ${formatText(B.answerLabel, {
            title: preview.answer.title,
            version: preview.answer.version,
          })}
        </dd>
        <dt>${B.columns.selection}</dt>
        <dd>${B.selections[preview.selection]}</dd>
      </dl>
      <p class="bulk-count">
        <strong>${formatText(B.preview.count, { count: preview.count })}</strong>
      </p>
      ${
        preview.notAccepting > 0
          ? html`<p>${formatText(B.preview.notAccepting, { count: preview.notAccepting })}</p>`
          : ''
      }
    </div>
    ${bulkDeterminationSection(preview)}
    ${
      sample.length && preview.determination === null
        ? html`<section class="card">
            <h2>${formatText(B.preview.sampleHeading, { count: sample.length })}</h2>
            <ul>
              ${sample}
            </ul>
          </section>`
        : ''
    }
    <section class="card">
      <h2>${phrases(B.preview.bodyHeading)}</h2>
      <pre class="message-body">${preview.answer.body}</pre>
    </section>
    ${confirm}
    <p><a href="${back}">${B.preview.back}</a></p>`;
  return page(p.viewer, p.area, B.preview.title, main);
}

/** One run: its progress and each ticket's result; cancel while running. */
export function renderBulkSendRun(p: {
  viewer: ConsoleViewer;
  area: BulkSendArea;
  run: BulkSendSummary;
  items: Page<BulkSendItemView>;
  notice?: string | null;
}): string {
  const base = bulkSendBase(p.area);
  const { run } = p;
  const items = dataTable({
    caption: B.run.itemsCaption,
    captionVisible: true,
    rows: p.items.items,
    columns: [
      {
        header: B.columns.reference,
        cell: (item) => html`<span class="literal">${item.reference}</span>`,
      },
      {
        header: B.columns.result,
        cell: (item) =>
          html`${B.itemStates[item.state]}${
            item.skipReason ? html`（${B.skipReasons[item.skipReason] ?? item.skipReason}）` : ''
          }`,
      },
      { header: B.columns.processedAt, cell: (item) => timeTag(item.processedAt) },
    ],
  });
  const pager = listPager(p.items, (n) => `${base}/${run.id}?page=${n}`);
  const cancel =
    run.state === 'running'
      ? html`<form method="post" action="${base}/${run.id}/cancel">
          ${csrfField(p.viewer.csrfToken)}
          <button class="btn btn--danger" type="submit">${B.run.cancel}</button>
        </form>`
      : '';
  const title = formatText(B.run.title, { id: run.id });
  const main = html`<h1>${formatText(B.run.heading, { id: run.id })}</h1>
    <p><a href="${base}">${B.run.back}</a></p>
    ${noticeBox(p.notice)}
    <div class="card">
      <dl class="meta">
        <dt>${B.columns.merchant}</dt>
        <dd>${run.merchantName}</dd>
        <dt>${B.columns.template}</dt>
        <dd>
          ${run.incidentTitle} —
          ${formatText(B.answerLabel, { title: run.templateTitle, version: run.version })}
        </dd>
        <dt>${B.columns.selection}</dt>
        <dd>${B.selections[run.selection]}</dd>
        <dt>${B.columns.state}</dt>
        <dd data-bulk-state="${run.state}">${B.states[run.state]}</dd>
        <dt>${B.columns.progress}</dt>
        <dd data-bulk-progress>${progressText(run)}</dd>
        <dt>${B.columns.createdBy}</dt>
        <dd>${run.createdByName ?? ''} ${timeTag(run.createdAt)}</dd>
        ${
          run.finishedAt
            ? html`<dt>${B.columns.finishedAt}</dt>
                <dd>${timeTag(run.finishedAt)}</dd>`
            : ''
        }
      </dl>
      ${cancel}
    </div>
    ${items} ${pager}`;
  return page(p.viewer, p.area, title, main);
}
