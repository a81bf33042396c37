import {
  BULK_ACTION_KINDS,
  BULK_ACTION_MAX_TICKETS,
  BULK_REPLY_NEXT_STATUSES,
  BULK_STATUS_TARGETS,
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  type TicketListItem,
} from '@madoguchi/tickets';
import {
  attributes,
  type DataColumn,
  formatText,
  html,
  SafeHtml,
  selectField,
} from '@madoguchi/ui';
import { type ConsoleViewer, csrfField, SHARED_TEXTS as S } from '../../web';
import { BULK_TEXTS } from './bulk.texts';

const T = BULK_TEXTS.toolbar;
/** The toolbar's form: the row checkboxes join it with `form=` wherever the table stands. */
export const BULK_FORM_ID = 'bulk-form';

/**
 * The checkbox column of a ticket table (queue list, saved view, search results): the first
 * column, its header a select-all of the page (console.js; without JavaScript the toolbar
 * offers "this page" and "all matching" instead).
 */
export function bulkSelectColumn(): DataColumn<TicketListItem> {
  return {
    header: html`<input
      type="checkbox"
      class="bulk-select-all"
      data-bulk-select-all
      aria-label="${T.selectAllOnPage}"
      form="${BULK_FORM_ID}"
    />`,
    className: 'bulk-cell',
    headerClass: 'bulk-cell',
    rowHeader: false,
    cell: (item) =>
      html`<input
        type="checkbox"
        class="bulk-select"
        name="ref"
        value="${item.reference}"
        form="${BULK_FORM_ID}"
        aria-label="${formatText(T.selectRow, { reference: item.reference })}"
      />`,
  };
}

export interface BulkToolbarParams {
  viewer: ConsoleViewer;
  /** The list's own URL (the result page links back to it). */
  returnTo: string;
  /** The references on this page. */
  pageReferences: readonly string[];
  /** "All matching": the list's queue (null: every queue of the scope) and filter query; null when the list has none (search). */
  matching: { queueId: number | null; query: string; total: number } | null;
  staff: readonly { id: number; displayName: string }[];
  canned: readonly { id: number; title: string }[];
}

function radio(name: string, value: string, label: string, checked: boolean, disabled = false) {
  const attrs = attributes({
    class: 'checkbox__input',
    type: 'radio',
    id: `bulk-${name}-${value}`,
    name,
    value,
    checked,
    disabled,
  });
  return html`<div class="checkbox">
    <input ${attrs} />
    <label class="checkbox__label" for="bulk-${name}-${value}">${label}</label>
  </div>`;
}

/** The bulk toolbar above a ticket table: what to act on, the action and its value; posts to the preview. */
export function bulkToolbar(p: BulkToolbarParams): SafeHtml {
  if (!p.viewer.canWork || p.pageReferences.length === 0) return html``;
  const tooMany = p.matching !== null && p.matching.total > BULK_ACTION_MAX_TICKETS;
  const matching = p.matching;
  return html`<details class="bulk-toolbar card">
    <summary>${T.summary}</summary>
    <form class="form bulk-form" id="${BULK_FORM_ID}" method="post" action="/bulk-actions">
      ${csrfField(p.viewer.csrfToken)}
      <input type="hidden" name="returnTo" value="${p.returnTo}" />
      ${p.pageReferences.map((ref) => html`<input type="hidden" name="pageRef" value="${ref}" />`)}
      ${
        matching
          ? html`<input type="hidden" name="queueId" value="${matching.queueId ?? ''}" />
              <input type="hidden" name="filter" value="${matching.query}" />`
          : html``
      }
      <p class="small muted">${T.intro}</p>
      <fieldset class="field">
        <legend class="field__label">${T.selection}</legend>
        ${radio('selection', 'selected', T.selected, true)}
        ${radio('selection', 'page', formatText(T.page, { count: p.pageReferences.length }), false)}
        ${
          matching
            ? radio(
                'selection',
                'all',
                formatText(tooMany ? T.allTooMany : T.all, {
                  count: matching.total.toLocaleString('ja-JP'),
                  max: BULK_ACTION_MAX_TICKETS,
                }),
                false,
                tooMany,
              )
            : html``
        }
      </fieldset>
      ${selectField({
        name: 'action',
        label: T.action,
        placeholder: T.choose,
        options: BULK_ACTION_KINDS.map((kind) => ({
          value: kind,
          label: BULK_TEXTS.actions[kind],
        })),
      })}
      <div class="bulk-form__values">
        ${selectField({
          name: 'assignee',
          label: T.assignee,
          placeholder: T.choose,
          options: [
            { value: 'me', label: T.assigneeMe },
            { value: 'release', label: T.assigneeRelease },
            ...p.staff.map((user) => ({ value: String(user.id), label: user.displayName })),
          ],
        })}
        ${selectField({
          name: 'status',
          label: T.status,
          placeholder: T.choose,
          options: BULK_STATUS_TARGETS.map((status) => ({
            value: status,
            label: S.statuses[status],
          })),
        })}
        ${selectField({
          name: 'priority',
          label: T.priority,
          placeholder: T.choose,
          options: TICKET_PRIORITIES.map((priority) => ({
            value: priority,
            label: S.priorities[priority],
          })),
        })}
        ${selectField({
          name: 'category',
          label: T.category,
          placeholder: T.choose,
          options: Object.keys(TICKET_CATEGORIES).map((category) => ({
            value: category,
            label: S.categories[category as keyof typeof S.categories],
          })),
        })}
        ${selectField({
          name: 'cannedResponseId',
          label: T.canned,
          placeholder: T.choose,
          options: p.canned.map((canned) => ({ value: String(canned.id), label: canned.title })),
        })}
        ${selectField({
          name: 'nextStatus',
          label: T.nextStatus,
          placeholder: T.nextStatusDefault,
          options: BULK_REPLY_NEXT_STATUSES.map((status) => ({
            value: status,
            label: S.statuses[status],
          })),
        })}
      </div>
      <p class="small muted">${T.noteHint}</p>
      <button class="btn btn--primary" type="submit">${T.submit}</button>
    </form>
  </details>`;
}
