import type { Page, TicketListItem } from '@madoguchi/tickets';
import {
  checkboxField,
  dataTable,
  formatText,
  html,
  phrases,
  SafeHtml,
  textField,
} from '@madoguchi/ui';
import {
  type ConsoleViewer,
  csrfField,
  type ListedView,
  listPager,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS as S,
} from '../../web';
import { bulkToolbar, type BulkToolbarParams } from '../bulk/bulk-toolbar.view';
import { ticketTable } from '../shared/ticket-table.view';
import { VIEWS_TEXTS } from './views.texts';

const T = VIEWS_TEXTS;

function kindOf(view: ListedView): string {
  if (view.builtIn) return T.card.builtIn;
  return view.shared ? T.card.shared : T.card.personal;
}

/** The saved views with their counts, for the queue overview. */
export function savedViewsCard(views: readonly (ListedView & { count: number })[]): SafeHtml {
  if (views.length === 0) return html``;
  return html`<section class="saved-views" aria-labelledby="saved-views-heading">
    <h2 id="saved-views-heading">${phrases(T.card.heading)}</h2>
    <p class="small muted">${T.card.intro}</p>
    ${dataTable({
      caption: T.card.caption,
      tableClass: 'saved-view-table',
      rows: views,
      rowAttributes: (view) => ({ 'data-view': view.key, 'data-count': view.count }),
      columns: [
        { header: T.card.name, cell: (view) => html`<a href="${view.href}">${view.name}</a>` },
        { header: T.card.kind, cell: kindOf },
        {
          header: T.card.count,
          className: 'num',
          headerClass: 'num',
          cell: (view) => view.count.toLocaleString('ja-JP'),
        },
      ],
    })}
  </section>`;
}

/** The view's filter in words: 「自分の担当・期限超過」. */
export function viewCondition(view: ListedView): string {
  const v = view.values;
  const parts: string[] = [];
  if (v.status === 'all') parts.push(T.conditions.every);
  else if (v.status) parts.push(S.statuses[v.status as keyof typeof S.statuses] ?? v.status);
  if (v.category) parts.push(S.categories[v.category as keyof typeof S.categories] ?? v.category);
  if (v.channel) parts.push(S.channels[v.channel as keyof typeof S.channels] ?? v.channel);
  if (v.assignee === 'me' || v.assignee === 'unassigned')
    parts.push(T.conditions.assignee[v.assignee]);
  if (v.sla === 'breached') parts.push(T.conditions.sla);
  if (v.replied === '1') parts.push(T.conditions.replied);
  return parts.length > 0 ? parts.join('・') : T.conditions.all;
}

/** "Save this filter as a view": on a queue list and a view's list. */
export function saveViewForm(p: {
  viewer: ConsoleViewer;
  query: string;
  queueId: number | null;
  mayShare: boolean;
}): SafeHtml {
  if (!p.viewer.canWork) return html``;
  return html`<details class="save-view card">
    <summary>${T.save.summary}</summary>
    <form class="form" method="post" action="/views">
      ${csrfField(p.viewer.csrfToken)}
      <input type="hidden" name="query" value="${p.query}" />
      <input type="hidden" name="queueId" value="${p.queueId ?? ''}" />
      ${textField({ name: 'name', label: T.save.name, required: true, maxLength: 100 })}
      ${p.mayShare ? checkboxField({ name: 'shared', label: T.save.shared, value: '1' }) : html``}
      <button class="btn btn--primary" type="submit">${T.save.submit}</button>
    </form>
  </details>`;
}

export interface ViewListParams {
  viewer: ConsoleViewer;
  view: ListedView;
  page: Page<TicketListItem>;
  bulk: BulkToolbarParams;
  mayDelete: boolean;
  notice?: string | null;
}

export function renderViewList(p: ViewListParams): string {
  const { items, total, page, pageSize } = p.page;
  const from = (page - 1) * pageSize + 1;
  const rows =
    items.length === 0
      ? html`<p class="empty card">${T.list.empty}</p>`
      : html`<p class="list-count">
            ${formatText(T.list.count, { total, from, to: from + items.length - 1 })}
          </p>
          ${ticketTable(items, {
            caption: T.list.caption,
            showMerchant: true,
            selectable: p.viewer.canWork,
          })}
          ${listPager(p.page, (n) => `${p.view.href}?page=${n}`)}`;
  const remove = p.mayDelete
    ? html`<form method="post" action="/views/${p.view.key}/delete" class="inline-form">
        ${csrfField(p.viewer.csrfToken)}
        <button class="btn" type="submit">${T.list.delete}</button>
      </form>`
    : html``;
  const main = html`<h1>${phrases(p.view.name)}</h1>
    ${noticeBox(p.notice)}
    <p class="muted">${formatText(T.list.condition, { condition: viewCondition(p.view) })}</p>
    ${bulkToolbar(p.bulk)} ${rows} ${remove}
    <p><a href="/">${T.list.back}</a></p>`;
  return renderConsolePage({ viewer: p.viewer, title: p.view.name, section: 'queues', main });
}
