import type { OutboxAdminRow, OutboxOverview, OutboxState } from '@madoguchi/mail';
import { formatText, formatTokyoDateTime, html, SafeHtml } from '@madoguchi/ui';
import { OUTBOX_TEXTS } from './outbox.texts';
import { type ConsoleViewer, csrfField, noticeBox, renderConsolePage } from '../../web';
import { adminSubnav } from '../shared/admin-subnav.view';

const O = OUTBOX_TEXTS;

export interface AdminOutboxParams {
  viewer: ConsoleViewer;
  overview: OutboxOverview;
  notice?: string | null;
}

/** A retry or discard form: it carries the state the admin saw, so a change since is a 409. */
function actionForm(
  p: AdminOutboxParams,
  row: OutboxAdminRow,
  action: 'retry' | 'discard',
): SafeHtml {
  return html`<form class="inline-form" method="post" action="/admin/outbox/${row.id}/${action}">
    ${csrfField(p.viewer.csrfToken)}
    <input type="hidden" name="status" value="${row.status}" />
    <input type="hidden" name="attempts" value="${row.attempts}" />
    <button
      class="btn btn--small ${action === 'discard' ? 'btn--ghost' : ''}"
      type="submit"
      ${action === 'discard' ? html`title="${O.discardConfirm}"` : ''}
    >
      ${O[action]}<span class="visually-hidden">: ${row.id}</span>
    </button>
  </form>`;
}

function rowActions(p: AdminOutboxParams, row: OutboxAdminRow): SafeHtml {
  if (row.inFlight) return html`<span class="badge">${O.inFlight}</span>`;
  return html`<div class="button-row">
    ${row.state !== 'pending' ? actionForm(p, row, 'retry') : ''} ${actionForm(p, row, 'discard')}
  </div>`;
}

function mailItem(p: AdminOutboxParams, row: OutboxAdminRow, state: OutboxState): SafeHtml {
  return html`<li class="outbox-item" data-job-id="${row.id}">
    <h3 class="outbox-item__title">#${row.id} ${O.kinds[row.kind]}</h3>
    <dl class="meta meta--compact">
      <dt>${O.columns.recipient}</dt>
      <dd class="literal">${row.recipient ?? '—'}</dd>
      <dt>${O.columns.sender}</dt>
      <dd>${row.senderName ?? '—'}</dd>
      <dt>${O.columns.created}</dt>
      <dd>${formatTokyoDateTime(row.createdAt)}</dd>
      <dt>${O.columns.attempts}</dt>
      <dd>${row.attempts}</dd>
      ${
        state === 'dead'
          ? ''
          : html`<dt>${O.columns.next}</dt>
              <dd>${formatTokyoDateTime(row.nextAttemptAt)}</dd>`
      }
      ${
        row.lastError
          ? html`<dt>${O.columns.lastError}</dt>
              <dd class="literal small">${row.lastError}</dd>`
          : ''
      }
    </dl>
    ${rowActions(p, row)}
  </li>`;
}

/** One state's mails as a list of small cards: readable at 375 px without sideways scrolling. */
function stateSection(p: AdminOutboxParams, state: OutboxState): SafeHtml {
  const rows = p.overview.rows[state];
  const total = p.overview.counts[state];
  const heading = O.states[state];
  const body = rows.length
    ? html`<ol
          class="outbox-list"
          data-state="${state}"
          aria-label="${formatText(O.caption, { state: heading })}"
        >
          ${rows.map((row) => mailItem(p, row, state))}
        </ol>
        ${
          total > rows.length
            ? html`<p class="small muted">
                ${formatText(O.shownOf, { shown: rows.length, total })}
              </p>`
            : ''
        }`
    : html`<p class="muted">${O.empty}</p>`;
  return html`<section class="card" aria-labelledby="outbox-${state}-heading">
    <h2 id="outbox-${state}-heading">${heading}（${total}）</h2>
    ${body}
  </section>`;
}

/** `/admin/outbox`: counts and lists of undelivered mail, never a body or a full address. */
export function renderAdminOutbox(p: AdminOutboxParams): string {
  const counts = p.overview.counts;
  const main = html`${adminSubnav('outbox')}
    <h1>${O.heading}</h1>
    ${noticeBox(p.notice)}
    <p>${O.intro}</p>
    <dl class="meta outbox-counts" aria-label="${O.counts}">
      ${(['pending', 'failed', 'dead'] as const).map(
        (state) =>
          html`<div>
            <dt>${O.states[state]}</dt>
            <dd data-count="${state}">${counts[state]}</dd>
          </div>`,
      )}
    </dl>
    ${stateSection(p, 'dead')} ${stateSection(p, 'failed')} ${stateSection(p, 'pending')}`;
  return renderConsolePage({ viewer: p.viewer, title: O.title, section: 'admin', main });
}
