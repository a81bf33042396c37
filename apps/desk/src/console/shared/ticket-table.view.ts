import type { PresenceView, TicketListItem, TicketTriage } from '@madoguchi/tickets';
import { dataTable, formatText, html, SafeHtml } from '@madoguchi/ui';
import { slaBadge, statusBadge, timeTag, SHARED_TEXTS } from '../../web';
import { bulkSelectColumn } from '../bulk/bulk-toolbar.view';
import { QUEUE_OVERVIEW_TEXTS, QUEUE_TEXTS } from '../queue/queue.texts';
import { duplicateMarker } from './duplicate-marker.view';
import { TICKET_TEXTS } from '../ticket/ticket.texts';

const S = SHARED_TEXTS;
const C = QUEUE_TEXTS.columns;
const T = QUEUE_TEXTS.triage;

/** A list row; with `triage` (staff lists, issue 15) it shows the requester and the triage marks. */
export type TicketTableItem = TicketListItem & { triage?: TicketTriage };

export interface TicketTableOptions {
  caption: string;
  /** Shows the merchant in the site column (search results span merchants). */
  showMerchant?: boolean;
  /** Adds the bulk actions' checkbox column first (console/bulk). */
  selectable?: boolean;
  /** Issue 15: colleagues on each ticket now, by reference (a marker beside the reference). */
  presence?: ReadonlyMap<string, readonly PresenceView[]>;
}

/** Who else has the ticket open; console.js refreshes the marker (`data-presence-marker`). */
export function presenceMarker(others: readonly PresenceView[] | undefined): SafeHtml {
  const P = TICKET_TEXTS.presence;
  const items = (others ?? []).map((other) =>
    formatText(other.state === 'writing' ? P.writing : P.viewing, { name: other.displayName }),
  );
  return html`<span class="presence-marker small" data-presence-marker>${items.join('、')}</span>`;
}

function rowClass(item: TicketTableItem): string {
  if (item.slaState === 'breached') return 'ticket-row ticket-row--breached';
  if (item.slaState === 'due_soon') return 'ticket-row ticket-row--due-soon';
  return 'ticket-row';
}

function where(item: TicketTableItem, options: TicketTableOptions): SafeHtml {
  return options.showMerchant
    ? html`${item.merchantName}${item.siteName && html`<br /><span class="small muted">${item.siteName}</span>`}`
    : html`${item.siteName ?? S.common.none}`;
}

/** The "customer replied" flag and the attachment marker (📎 with its words for screen readers). */
function triageMarks(item: TicketTableItem): SafeHtml {
  const triage = item.triage;
  if (!triage) return html``;
  return html`${
    triage.customerReplied
      ? html`<br /><span class="badge badge--customer-replied">${T.customerReplied}</span>`
      : ''
  }${
    triage.hasAttachments
      ? html` <span
          class="attachment-marker"
          role="img"
          aria-label="${T.attachments}"
          title="${T.attachments}"
          >📎</span
        >`
      : ''
  }`;
}

/** The requester's name and the first line of the latest customer message. */
function requesterCell(triage: TicketTriage): SafeHtml {
  return html`<span class="triage-name">${triage.requesterName ?? T.noName}</span>${
      triage.latestCustomerLine &&
      html`<br /><span class="triage-line small muted">${triage.latestCustomerLine}</span>`
    }`;
}

/** The ticket table of a queue or of search results; rows stand out by an SLA label, not colour alone. */
export function ticketTable(
  items: readonly TicketTableItem[],
  options: TicketTableOptions,
): SafeHtml {
  const withTriage = items.some((item) => item.triage !== undefined);
  return dataTable({
    caption: options.caption,
    tableClass: 'ticket-table',
    rows: items,
    rowAttributes: (item) => ({ class: rowClass(item), 'data-reference': item.reference }),
    columns: [
      ...(options.selectable ? [bulkSelectColumn()] : []),
      {
        header: C.reference,
        rowHeader: true,
        cell: (item) =>
          html`<a class="ticket-link" href="/tickets/${encodeURIComponent(item.reference)}"
              >${item.reference}</a
            >${triageMarks(item)}${duplicateMarker(item)}${options.presence && presenceMarker(options.presence.get(item.reference))}`,
      },
      ...(withTriage
        ? [
            {
              header: C.requester,
              className: 'triage-cell',
              cell: (item: TicketTableItem) =>
                item.triage ? requesterCell(item.triage) : html`${S.common.none}`,
            },
          ]
        : []),
      { header: C.status, cell: (item) => statusBadge(item.status) },
      {
        header: C.sla,
        className: 'sla-cell',
        cell: (item) =>
          html`${slaBadge(item.slaState)}<br />${item.slaDueAt && timeTag(item.slaDueAt)}`,
      },
      { header: C.category, cell: (item) => S.categories[item.category] },
      { header: C.channel, cell: (item) => S.channels[item.channel] },
      {
        header: C.priority,
        cell: (item) =>
          html`<span class="badge priority priority--${item.priority}"
            >${S.priorities[item.priority]}</span
          >`,
      },
      {
        header: C.assignee,
        cell: (item) =>
          item.assignee
            ? html`${item.assignee.displayName}`
            : html`<span class="muted">${S.common.unassigned}</span>`,
      },
      {
        header: options.showMerchant ? QUEUE_OVERVIEW_TEXTS.columns.merchant : C.site,
        cell: (item) => where(item, options),
      },
      { header: C.updatedAt, cell: (item) => timeTag(item.updatedAt) },
    ],
  });
}
