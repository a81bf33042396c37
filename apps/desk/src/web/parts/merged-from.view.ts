import type { TicketMessageView } from '@madoguchi/tickets';
import { formatText, html, SafeHtml } from '@madoguchi/ui';

/** Issue 15: where a merged message came from (the console and the portal's thread alike). */
export const MERGED_FROM_TEXT = '{reference} から統合';

export function mergedFromMark(m: Pick<TicketMessageView, 'mergedFrom'>): SafeHtml {
  return m.mergedFrom
    ? html`<span class="msg__merged-from" data-merged-from="${m.mergedFrom}"
        >${formatText(MERGED_FROM_TEXT, { reference: m.mergedFrom })}</span
      >`
    : html``;
}
