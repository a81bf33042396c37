import type { TicketListItem } from '@madoguchi/tickets';
import { html, SafeHtml } from '@madoguchi/ui';
import { MERGE_TEXTS } from '../ticket/merge.texts';

/** Issue 15: the list's marker of a probable duplicate (same requester and site within 24 h). */
export function duplicateMarker(item: Pick<TicketListItem, 'probableDuplicate'>): SafeHtml {
  return item.probableDuplicate
    ? html` <span class="badge badge--duplicate" data-probable-duplicate
        >${MERGE_TEXTS.duplicateMarker}</span
      >`
    : html``;
}
