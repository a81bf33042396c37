import type { QueueSummary } from '@madoguchi/tickets';
import { html, SafeHtml } from '@madoguchi/ui';
import { type ConsoleViewer, noticeBox, renderConsolePage } from '../../web';
import { QUEUE_OVERVIEW_TEXTS } from './queue.texts';

const T = QUEUE_OVERVIEW_TEXTS;
const C = T.columns;

export interface QueueOverviewParams {
  viewer: ConsoleViewer;
  queues: readonly QueueSummary[];
  notice?: string | null;
}

/** A count that must stand out when non-zero: a label class and bold text, not colour alone. */
function alarmCount(count: number, kind: 'breached' | 'due-soon'): SafeHtml {
  return count > 0
    ? html`<strong class="count count--${kind}">${count}</strong>`
    : html`<span class="count count--zero">0</span>`;
}

function row(q: QueueSummary): SafeHtml {
  const pending = q.countsByStatus.pending_customer + q.countsByStatus.pending_merchant;
  const urgent = q.countsBySla.breached > 0 ? ' queue-row--breached' : '';
  return html`<tr class="queue-row${urgent}" data-queue-id="${q.id}">
    <th scope="row"><a href="/queues/${q.id}">${q.name}</a></th>
    <td>${q.merchantName}</td>
    <td class="num">${q.countsByStatus.new}</td>
    <td class="num">${q.countsByStatus.open}</td>
    <td class="num">${pending}</td>
    <td class="num">${q.unassigned}</td>
    <td class="num">${alarmCount(q.countsBySla.breached, 'breached')}</td>
    <td class="num">${alarmCount(q.countsBySla.due_soon, 'due-soon')}</td>
  </tr>`;
}

/** Just the table: also the fragment console.js swaps in when a queue changes. */
export function renderQueueOverviewTable(queues: readonly QueueSummary[]): SafeHtml {
  if (queues.length === 0) return html`<p class="empty card">${T.empty}</p>`;
  return html`<div class="table-wrap">
    <table class="queue-table">
      <caption class="visually-hidden">
        ${T.caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${C.queue}</th>
          <th scope="col">${C.merchant}</th>
          <th scope="col" class="num">${C.new}</th>
          <th scope="col" class="num">${C.open}</th>
          <th scope="col" class="num">${C.pending}</th>
          <th scope="col" class="num">${C.unassigned}</th>
          <th scope="col" class="num">${C.breached}</th>
          <th scope="col" class="num">${C.dueSoon}</th>
        </tr>
      </thead>
      <tbody>
        ${queues.map(row)}
      </tbody>
    </table>
  </div>`;
}

export function renderQueueOverview(p: QueueOverviewParams): string {
  const ids = p.queues.map((q) => q.id).join(',');
  const main = html`<h1>${T.heading}</h1>
    ${noticeBox(p.notice)}
    <p class="muted">${T.intro}</p>
    <div id="live-fragment" data-live-url="/?fragment=summary" data-live-queues="${ids}">
      ${renderQueueOverviewTable(p.queues)}
    </div>`;
  return renderConsolePage({ viewer: p.viewer, title: T.title, section: 'queues', main });
}
