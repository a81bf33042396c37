import {
  TICKET_CATEGORY_KEYS,
  TICKET_CHANNELS,
  TICKET_STATUSES,
  type Page,
  type TicketListItem,
} from '@madoguchi/tickets';
import { formatText, html, SafeHtml, selectField, type SelectOption } from '@madoguchi/ui';
import { DESK_TEXTS } from '../i18n/ja';
import {
  type ConsoleViewer,
  csrfField,
  listPager,
  noticeBox,
  renderConsolePage,
} from './desk-page.view';
import { determinationFilterField } from './determination.view';
import { ticketTable } from './ticket-table.view';

const T = DESK_TEXTS;
const Q = T.queue;

/** The filter form's values as they came in the query string ('' = not set). */
export interface QueueFilterValues {
  /** '' (active statuses), 'all', or one status. */
  status: string;
  category: string;
  channel: string;
  /** '' (anyone), 'me' or 'unassigned'. */
  assignee: string;
  /** '' (any) or an incident id. */
  incident?: string;
  /** '' (any) or a determination filter (issue 13.1): review, included, not_included, none. */
  determination?: string;
}

export interface QueueHeader {
  id: number;
  name: string;
  merchantName: string;
}

export interface QueueListParams {
  viewer: ConsoleViewer;
  queue: QueueHeader;
  page: Page<TicketListItem>;
  filter: QueueFilterValues;
  notice?: string | null;
  /** Incidents to filter by; the filter shows only when there are any. */
  incidents?: readonly { id: number; title: string }[];
}

/** The query string of a filter (only set fields), plus extra parameters. */
export function queueQuery(filter: QueueFilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value as string);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return query ? `?${query}` : '';
}

function options(entries: readonly (readonly [string, string])[]): SelectOption[] {
  return entries.map(([value, label]) => ({ value, label }));
}

/** The incident filter of the queue list and the portal's case list (incident mode). */
export function incidentFilterField(
  incidents: readonly { id: number; title: string }[] | undefined,
  value: string | undefined,
): SafeHtml {
  if (!incidents || incidents.length === 0) return html``;
  const F = T.incidents.queueFilter;
  return selectField({
    name: 'incident',
    label: F.label,
    options: options([['', F.any], ...incidents.map((i) => [String(i.id), i.title] as const)]),
    value: value ?? '',
  });
}

function filterForm(
  queueId: number,
  filter: QueueFilterValues,
  incidents?: readonly { id: number; title: string }[],
): SafeHtml {
  const statuses = options([
    ['', Q.statusActive],
    ['all', Q.statusAll],
    ...TICKET_STATUSES.map((s) => [s, T.statuses[s]] as const),
  ]);
  const categories = options([
    ['', Q.any],
    ...TICKET_CATEGORY_KEYS.map((c) => [c, T.categories[c]] as const),
  ]);
  const channels = options([
    ['', Q.any],
    ...TICKET_CHANNELS.map((c) => [c, T.channels[c]] as const),
  ]);
  const assignees = options([
    ['', Q.assigneeAnyone],
    ['me', Q.assigneeMe],
    ['unassigned', Q.assigneeUnassigned],
  ]);
  return html`<form
    class="filters"
    method="get"
    action="/queues/${queueId}"
    aria-labelledby="filters-heading"
  >
    <h2 class="visually-hidden" id="filters-heading">${Q.filtersHeading}</h2>
    ${selectField({ name: 'status', label: Q.status, options: statuses, value: filter.status })}
    ${selectField({ name: 'category', label: Q.category, options: categories, value: filter.category })}
    ${selectField({ name: 'channel', label: Q.channel, options: channels, value: filter.channel })}
    ${selectField({ name: 'assignee', label: Q.assignee, options: assignees, value: filter.assignee })}
    ${incidentFilterField(incidents, filter.incident)}
    ${determinationFilterField(incidents, filter.determination)}
    <div class="filters__actions">
      <button class="btn" type="submit">${Q.apply}</button>
      <a class="btn btn--ghost" href="/queues/${queueId}">${Q.reset}</a>
    </div>
  </form>`;
}

function pager(p: QueueListParams): SafeHtml {
  return listPager(
    p.page,
    (n) => `/queues/${p.queue.id}${queueQuery(p.filter, { page: String(n) })}`,
  );
}

/** The rows region: count, table and pager. Also the fragment console.js swaps in on updates. */
export function renderQueueRows(p: QueueListParams): SafeHtml {
  const { items, total, page, pageSize } = p.page;
  if (items.length === 0) return html`<p class="empty card">${Q.empty}</p>`;
  const from = (page - 1) * pageSize + 1;
  const count = formatText(Q.count, { total, from, to: from + items.length - 1 });
  return html`<p class="list-count">${count}</p>
    ${ticketTable(items, { caption: Q.caption })} ${pager(p)}`;
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
    : html`<p class="muted">${T.common.readOnly}</p>`;
  const fragmentUrl = `/queues/${p.queue.id}${queueQuery(p.filter, {
    ...(p.page.page > 1 ? { page: String(p.page.page) } : {}),
    fragment: 'rows',
  })}`;
  const main = html`<h1>${title}</h1>
    ${noticeBox(p.notice)} ${takeNext} ${filterForm(p.queue.id, p.filter, p.incidents)}
    <p class="small muted">${Q.liveNote}</p>
    <div id="live-fragment" data-live-url="${fragmentUrl}" data-live-queues="${p.queue.id}">
      ${renderQueueRows(p)}
    </div>`;
  return renderConsolePage({ viewer: p.viewer, title, section: 'queues', main });
}
