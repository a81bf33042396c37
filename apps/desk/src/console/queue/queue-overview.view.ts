import type { QueueSummary } from '@madoguchi/tickets';
import { type DataColumn, dataTable, html, type HtmlValue, phrases, SafeHtml } from '@madoguchi/ui';
import { type ConsoleViewer, type ListedView, noticeBox, renderConsolePage } from '../../web';
import { savedViewsCard } from '../views/views.view';
import { QUEUE_OVERVIEW_TEXTS } from './queue.texts';

const T = QUEUE_OVERVIEW_TEXTS;
const C = T.columns;

export interface QueueOverviewParams {
  viewer: ConsoleViewer;
  queues: readonly QueueSummary[];
  notice?: string | null;
  /** Built-in and saved views with their counts (issue 15). */
  views?: readonly (ListedView & { count: number })[];
}

/** A count that must stand out when non-zero: a label class and bold text, not colour alone. */
function alarmCount(count: number, kind: 'breached' | 'due-soon'): SafeHtml {
  return count > 0
    ? html`<strong class="count count--${kind}">${count}</strong>`
    : html`<span class="count count--zero">0</span>`;
}

/** A column of counts, right-aligned with its header. */
function countColumn(
  header: string,
  count: (q: QueueSummary) => HtmlValue,
): DataColumn<QueueSummary> {
  return { header, cell: count, className: 'num', headerClass: 'num' };
}

/** Just the table: also the fragment console.js swaps in when a queue changes. */
export function renderQueueOverviewTable(queues: readonly QueueSummary[]): SafeHtml {
  return dataTable({
    caption: T.caption,
    tableClass: 'queue-table',
    rows: queues,
    empty: T.empty,
    rowAttributes: (q) => ({
      class: q.countsBySla.breached > 0 ? 'queue-row queue-row--breached' : 'queue-row',
      'data-queue-id': q.id,
    }),
    columns: [
      { header: C.queue, cell: (q) => html`<a href="/queues/${q.id}">${q.name}</a>` },
      { header: C.merchant, cell: (q) => q.merchantName },
      countColumn(C.new, (q) => q.countsByStatus.new),
      countColumn(C.open, (q) => q.countsByStatus.open),
      countColumn(
        C.pending,
        (q) => q.countsByStatus.pending_customer + q.countsByStatus.pending_merchant,
      ),
      countColumn(C.unassigned, (q) => q.unassigned),
      countColumn(C.breached, (q) => alarmCount(q.countsBySla.breached, 'breached')),
      countColumn(C.dueSoon, (q) => alarmCount(q.countsBySla.due_soon, 'due-soon')),
    ],
  });
}

export function renderQueueOverview(p: QueueOverviewParams): string {
  const ids = p.queues.map((q) => q.id).join(',');
  const main = html`<h1>${phrases(T.heading)}</h1>
    ${noticeBox(p.notice)}
    <p class="muted">${T.intro}</p>
    <div id="live-fragment" data-live-url="/?fragment=summary" data-live-queues="${ids}">
      ${renderQueueOverviewTable(p.queues)}
    </div>
    ${savedViewsCard(p.views ?? [])}`;
  return renderConsolePage({ viewer: p.viewer, title: T.title, section: 'queues', main });
}
