import type { OutboxAdminRow, OutboxOverview, OutboxState } from '@madoguchi/mail';
import { formatText, formatTokyoDateTime, html, phrases, SafeHtml } from '@madoguchi/ui';
import { OUTBOX_TEXTS } from './outbox.texts';
import {
  type ConsoleViewer,
  csrfField,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
} from '../../web';
import { confirmStepLink, renderConfirmStep } from '../../web/parts/confirm-step.view';
import { adminSubnav } from '../shared/admin-subnav.view';

const O = OUTBOX_TEXTS;

export interface AdminOutboxParams {
  viewer: ConsoleViewer;
  overview: OutboxOverview;
  notice?: string | null;
}

export const ADMIN_OUTBOX_PATH = '/admin/outbox';

/** The POST route of a retry or a discard. */
export function outboxActionPath(id: number, action: 'retry' | 'discard'): string {
  return `${ADMIN_OUTBOX_PATH}/${id}/${action}`;
}

/** The state a form carries (hidden fields), so a change since it was drawn is a 409. */
function expectedStateFields(row: OutboxAdminRow): Record<string, string> {
  return { status: row.status, attempts: String(row.attempts) };
}

/** A retry form: it carries the state the admin saw, so a change since is a 409. */
function retryForm(p: AdminOutboxParams, row: OutboxAdminRow): SafeHtml {
  return html`<form class="inline-form" method="post" action="${outboxActionPath(row.id, 'retry')}">
    ${csrfField(p.viewer.csrfToken)}
    ${Object.entries(expectedStateFields(row)).map(
      ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
    )}
    <button class="btn btn--small" type="submit">
      ${O.retry}<span class="visually-hidden">: ${row.id}</span>
    </button>
  </form>`;
}

function rowActions(p: AdminOutboxParams, row: OutboxAdminRow): SafeHtml {
  if (row.inFlight) return html`<span class="badge">${O.inFlight}</span>`;
  // Discarding cannot be undone: it opens a confirm step that names the mail.
  return html`<div class="button-row">
    ${row.state !== 'pending' ? retryForm(p, row) : ''}
    ${confirmStepLink({
      action: outboxActionPath(row.id, 'discard'),
      label: O.discardStart,
      accessibleLabel: `${O.discardStart} #${row.id}`,
      style: 'ghost',
      small: true,
    })}
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
  const main = html`${adminSubnav('outbox', p.viewer)}
    <h1>${phrases(O.heading)}</h1>
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

/**
 * The confirm step of discarding one mail: what it is (masked, as on the list) and what goes.
 * Its form carries the state shown here, so a mail that changes meanwhile is still a 409.
 */
export function renderOutboxDiscardConfirm(p: {
  viewer: ConsoleViewer;
  row: OutboxAdminRow;
}): string {
  const D = O.discardStep;
  const row = p.row;
  return renderConfirmStep({
    viewer: p.viewer,
    section: 'admin',
    title: formatText(D.title, { id: row.id }),
    facts: [
      [O.columns.kind, O.kinds[row.kind]],
      [O.columns.recipient, html`<span class="literal">${row.recipient ?? '—'}</span>`],
      [O.columns.sender, row.senderName ?? '—'],
      [D.state, O.states[row.state]],
      [O.columns.attempts, row.attempts],
    ],
    consequences: D.items,
    action: outboxActionPath(row.id, 'discard'),
    fields: expectedStateFields(row),
    confirmLabel: O.discard,
    cancelLabel: SHARED_TEXTS.common.cancel,
    cancelHref: ADMIN_OUTBOX_PATH,
  });
}
