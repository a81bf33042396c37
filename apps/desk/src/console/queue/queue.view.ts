import type { Page, PresenceView } from '@madoguchi/tickets';
import { formatText, html, phrases, SafeHtml } from '@madoguchi/ui';
import {
  type ConsoleViewer,
  csrfField,
  listPager,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
  listQuery,
  ticketListFilterForm,
  type AssigneeFilterValues,
} from '../../web';
import { determinationFilterField } from '../../web/parts/determination.view';
import { bulkToolbar, type BulkToolbarParams } from '../bulk/bulk-toolbar.view';
import { type TicketTableItem, ticketTable } from '../shared/ticket-table.view';
import { saveViewForm } from '../views/views.view';
import { QUEUE_TEXTS } from './queue.texts';

const S = SHARED_TEXTS;
const Q = QUEUE_TEXTS;

/** The filter form's values as they came in the query string ('' = not set). */
export type QueueFilterValues = AssigneeFilterValues;

export interface QueueHeader {
  id: number;
  name: string;
  merchantName: string;
}

export interface QueueListParams {
  viewer: ConsoleViewer;
  queue: QueueHeader;
  page: Page<TicketTableItem>;
  filter: QueueFilterValues;
  notice?: string | null;
  /** Incidents to filter by; the filter shows only when there are any. */
  incidents?: readonly { id: number; title: string }[];
  /** The bulk toolbar and "save as a view" (issue 15); absent for readers and in fragments. */
  bulk?: QueueBulkParams | null;
  /** Issue 15: who else is on which ticket of the page. */
  presence?: ReadonlyMap<string, readonly PresenceView[]>;
}

export interface QueueBulkParams {
  toolbar: BulkToolbarParams;
  saveView: Parameters<typeof saveViewForm>[0];
}

/** The bulk toolbar and the save-view form, above the live rows (a live update keeps them). */
function queueBulkTools(bulk: QueueBulkParams | null | undefined): SafeHtml {
  if (!bulk) return html``;
  return html`${bulkToolbar(bulk.toolbar)} ${saveViewForm(bulk.saveView)}`;
}

function queueFilterForm(
  queueId: number,
  filter: QueueFilterValues,
  incidents?: readonly { id: number; title: string }[],
): SafeHtml {
  return ticketListFilterForm({
    action: `/queues/${queueId}`,
    values: filter,
    assignee: true,
    incidents,
    extraFields: [determinationFilterField(incidents, filter.determination)],
  });
}

function pager(p: QueueListParams): SafeHtml {
  return listPager(
    p.page,
    (n) => `/queues/${p.queue.id}${listQuery(p.filter, { page: String(n) })}`,
  );
}

/** The rows region: count, table and pager. Also the fragment console.js swaps in on updates. */
export function renderQueueRows(p: QueueListParams): SafeHtml {
  const { items, total, page, pageSize } = p.page;
  if (items.length === 0) return html`<p class="empty card">${Q.empty}</p>`;
  const from = (page - 1) * pageSize + 1;
  const count = formatText(Q.count, { total, from, to: from + items.length - 1 });
  return html`<p class="list-count">${count}</p>
    ${ticketTable(items, {
      caption: Q.caption,
      selectable: p.viewer.canWork,
      presence: p.presence ?? new Map(),
    })}
    ${pager(p)}`;
}

export function renderQueueList(p: QueueListParams): string {
  const title = formatText(Q.title, { queue: p.queue.name, merchant: p.queue.merchantName });
  const takeNext = p.viewer.canWork
    ? html`<form
        class="take-next"
        method="post"
        action="/queues/${p.queue.id}/take-next"
        data-shortcut="take-next"
      >
        ${csrfField(p.viewer.csrfToken)}
        <button class="btn btn--primary" type="submit" aria-describedby="take-next-hint">
          ${Q.takeNext}
        </button>
        <p class="small muted" id="take-next-hint">${Q.takeNextHint}</p>
      </form>`
    : html`<p class="muted">${S.common.readOnly}</p>`;
  const fragmentUrl = `/queues/${p.queue.id}${listQuery(p.filter, {
    ...(p.page.page > 1 ? { page: String(p.page.page) } : {}),
    fragment: 'rows',
  })}`;
  const main = html`<h1>${phrases(title)}</h1>
    ${noticeBox(p.notice)} ${takeNext} ${queueFilterForm(p.queue.id, p.filter, p.incidents)}
    <p class="small muted">${Q.liveNote}</p>
    ${queueBulkTools(p.bulk)}
    <div id="live-fragment" data-live-url="${fragmentUrl}" data-live-queues="${p.queue.id}">
      ${renderQueueRows(p)}
    </div>`;
  return renderConsolePage({ viewer: p.viewer, title, section: 'queues', main });
}
