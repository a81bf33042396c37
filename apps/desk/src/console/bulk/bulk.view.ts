import type { BulkRunView } from '@madoguchi/tickets';
import {
  dataTable,
  errorSummary,
  formatText,
  html,
  phrases,
  SafeHtml,
  textArea,
} from '@madoguchi/ui';
import {
  alertBox,
  type ConsoleViewer,
  csrfField,
  renderConsolePage,
  SHARED_TEXTS as S,
} from '../../web';
import { BULK_TEXTS } from './bulk.texts';

const P = BULK_TEXTS.preview;
const R = BULK_TEXTS.result;

/** What the run does, in words: 「状態を変更: 解決済み」. */
export function bulkActionValue(run: BulkRunView): string {
  const params = run.params;
  switch (run.action) {
    case 'assign':
      if (params.assigneeId === null || params.assigneeId === undefined) return P.assigneeRelease;
      return run.assigneeName ?? String(params.assigneeId);
    case 'status':
      return params.status ? S.statuses[params.status] : '';
    case 'priority':
      return params.priority ? S.priorities[params.priority] : '';
    case 'category':
      return params.category ? S.categories[params.category] : '';
    case 'note':
      return '';
    case 'canned_reply':
      return run.cannedTitle ?? '';
  }
}

function referenceLink(reference: string): SafeHtml {
  return html`<a href="/tickets/${encodeURIComponent(reference)}">${reference}</a>`;
}

function summaryList(run: BulkRunView, extra: SafeHtml = html``): SafeHtml {
  const value = bulkActionValue(run);
  return html`<dl class="detail-list bulk-summary">
    <div>
      <dt>${P.action}</dt>
      <dd data-bulk-action="${run.action}">${BULK_TEXTS.actions[run.action]}</dd>
    </div>
    ${
      value
        ? html`<div>
            <dt>${P.value}</dt>
            <dd>${value}</dd>
          </div>`
        : html``
    }
    <div>
      <dt>${P.count}</dt>
      <dd data-bulk-count="${run.total}">${formatText(P.countValue, { count: run.total })}</dd>
    </div>
    ${extra}
  </dl>`;
}

export interface BulkPreviewParams {
  viewer: ConsoleViewer;
  run: BulkRunView;
  /** The note typed (kept after a refused submit). */
  body?: string;
  error?: string | null;
}

export function renderBulkPreview(p: BulkPreviewParams): string {
  const run = p.run;
  const errors = p.error ? [{ field: 'body', message: p.error }] : [];
  const nextStatus =
    run.action === 'canned_reply'
      ? html`<div>
          <dt>${P.nextStatus}</dt>
          <dd>${S.statuses[run.params.nextStatus ?? 'pending_customer']}</dd>
        </div>`
      : html``;
  const canned =
    run.cannedBody === null
      ? html``
      : html`<h2>${phrases(P.cannedBody)}</h2>
          <pre class="bulk-canned card">${run.cannedBody}</pre>`;
  const note =
    run.action === 'note'
      ? textArea({
          name: 'body',
          label: P.body,
          hint: P.bodyHint,
          value: p.body ?? '',
          error: p.error,
          required: true,
          rows: 5,
        })
      : html``;
  const main = html`${errorSummary(errors, S.validation.summaryTitle)}
    <h1>${phrases(P.heading)}</h1>
    <p>${P.intro}</p>
    ${summaryList(run, nextStatus)} ${canned}
    <form class="form card" method="post" action="/bulk-actions/${run.id}/run">
      ${csrfField(p.viewer.csrfToken)} ${note}
      <p class="small muted">${P.stale}</p>
      <button class="btn btn--primary" type="submit" data-bulk-run>${P.run}</button>
      <a class="btn" href="${run.returnTo}">${P.cancel}</a>
    </form>
    <h2>${phrases(P.references)}</h2>
    <ul class="bulk-references">
      ${run.items.map((item) => html`<li>${referenceLink(item.reference)}</li>`)}
    </ul>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: P.title,
    section: 'queues',
    main,
    hasErrors: errors.length > 0,
  });
}

export function renderBulkResult(p: { viewer: ConsoleViewer; run: BulkRunView }): string {
  const run = p.run;
  const outcome = (state: BulkRunView['items'][number]['state']) =>
    state === 'done' ? R.done : state === 'skipped' ? R.skipped : R.pending;
  const table = dataTable({
    caption: R.caption,
    tableClass: 'bulk-result-table',
    rows: run.items,
    rowAttributes: (item) => ({
      class: `bulk-item bulk-item--${item.state}`,
      'data-reference': item.reference,
      'data-outcome': item.state,
      'data-reason': item.skipReason ?? '',
    }),
    columns: [
      { header: R.reference, cell: (item) => referenceLink(item.reference) },
      {
        header: R.outcome,
        cell: (item) =>
          item.state === 'skipped'
            ? html`<strong>${outcome(item.state)}</strong>`
            : html`${outcome(item.state)}`,
      },
      {
        header: R.reason,
        cell: (item) =>
          item.skipReason
            ? html`${BULK_TEXTS.skipReasons[item.skipReason]}${
                item.skipDetail
                  ? html`<br /><span class="small muted">${item.skipDetail}</span>`
                  : html``
              }`
            : html``,
      },
    ],
  });
  const main = html`<h1>${phrases(R.heading)}</h1>
    ${run.state === 'completed' ? html`` : alertBox(R.running)}
    <p class="bulk-result-summary" role="status">
      ${formatText(R.summary, { done: run.doneCount, skipped: run.skippedCount, total: run.total })}
    </p>
    ${summaryList(run)} ${table}
    <p><a class="btn" href="${run.returnTo}">${R.back}</a></p>`;
  return renderConsolePage({ viewer: p.viewer, title: R.title, section: 'queues', main });
}

export function renderBulkRefused(p: {
  viewer: ConsoleViewer;
  message: string;
  returnTo: string;
}): string {
  const main = html`<h1>${phrases(BULK_TEXTS.refused.title)}</h1>
    ${alertBox(p.message)}
    <p><a class="btn" href="${p.returnTo}">${BULK_TEXTS.refused.back}</a></p>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: BULK_TEXTS.refused.title,
    section: 'queues',
    main,
  });
}
