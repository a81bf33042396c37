import type { TicketListItem } from '@madoguchi/tickets';
import { html, SafeHtml } from '@madoguchi/ui';
import { DESK_TEXTS } from '../i18n/ja';
import { slaBadge, statusBadge, timeTag } from './desk-page.view';

const T = DESK_TEXTS;
const C = T.queue.columns;

export interface TicketTableOptions {
  caption: string;
  /** Shows the merchant in the site column (search results span merchants). */
  showMerchant?: boolean;
}

function rowClass(item: TicketListItem): string {
  if (item.slaState === 'breached') return 'ticket-row ticket-row--breached';
  if (item.slaState === 'due_soon') return 'ticket-row ticket-row--due-soon';
  return 'ticket-row';
}

function row(item: TicketListItem, options: TicketTableOptions): SafeHtml {
  const assignee = item.assignee
    ? html`${item.assignee.displayName}`
    : html`<span class="muted">${T.common.unassigned}</span>`;
  const where = options.showMerchant
    ? html`${item.merchantName}${item.siteName && html`<br /><span class="small muted">${item.siteName}</span>`}`
    : html`${item.siteName ?? T.common.none}`;
  return html`<tr class="${rowClass(item)}" data-reference="${item.reference}">
    <th scope="row">
      <a class="ticket-link" href="/tickets/${encodeURIComponent(item.reference)}"
        >${item.reference}</a
      >
    </th>
    <td>${statusBadge(item.status)}</td>
    <td class="sla-cell">
      ${slaBadge(item.slaState)}<br />${item.slaDueAt && timeTag(item.slaDueAt)}
    </td>
    <td>${T.categories[item.category]}</td>
    <td>${T.channels[item.channel]}</td>
    <td><span class="priority priority--${item.priority}">${T.priorities[item.priority]}</span></td>
    <td>${assignee}</td>
    <td>${where}</td>
    <td>${timeTag(item.updatedAt)}</td>
  </tr>`;
}

/** The ticket table of a queue or of search results; rows stand out by an SLA label, not colour alone. */
export function ticketTable(
  items: readonly TicketListItem[],
  options: TicketTableOptions,
): SafeHtml {
  return html`<div class="table-wrap">
    <table class="ticket-table">
      <caption class="visually-hidden">
        ${options.caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${C.reference}</th>
          <th scope="col">${C.status}</th>
          <th scope="col">${C.sla}</th>
          <th scope="col">${C.category}</th>
          <th scope="col">${C.channel}</th>
          <th scope="col">${C.priority}</th>
          <th scope="col">${C.assignee}</th>
          <th scope="col">${options.showMerchant ? T.overview.columns.merchant : C.site}</th>
          <th scope="col">${C.updatedAt}</th>
        </tr>
      </thead>
      <tbody>
        ${items.map((item) => row(item, options))}
      </tbody>
    </table>
  </div>`;
}
