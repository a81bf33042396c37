import { errorSummary, formatText, html, phrases, textField } from '@madoguchi/ui';
import { type ConsoleViewer, renderConsolePage, SHARED_TEXTS as T } from '../../web';
import { bulkToolbar, type BulkToolbarParams } from '../bulk/bulk-toolbar.view';
import { type TicketTableItem, ticketTable } from '../shared/ticket-table.view';
import { SEARCH_TEXTS as S } from './search.texts';

export interface SearchPageParams {
  viewer: ConsoleViewer;
  query: string;
  /** null: nothing searched yet. */
  results: readonly TicketTableItem[] | null;
  error?: string | null;
  /** The bulk toolbar over the results (issue 15); absent for readers. */
  bulk?: BulkToolbarParams | null;
}

export function renderSearchPage(p: SearchPageParams): string {
  const errors = p.error ? [{ field: 'q', message: p.error }] : [];
  let results = html``;
  if (p.results && p.results.length === 0) {
    results = html`<p class="empty card" role="status">${S.none}</p>`;
  } else if (p.results) {
    results = html`<p class="list-count" role="status">
        ${formatText(S.results, { count: p.results.length })}
      </p>
      ${p.bulk ? bulkToolbar(p.bulk) : html``}
      ${ticketTable(p.results, {
        caption: S.caption,
        showMerchant: true,
        selectable: Boolean(p.bulk),
      })}`;
  }
  const main = html`${errorSummary(errors, T.validation.summaryTitle)}
    <h1>${phrases(S.heading)}</h1>
    <form class="form card search-form" method="get" action="/search" role="search">
      ${textField({
        name: 'q',
        label: S.label,
        hint: S.hint,
        type: 'search',
        value: p.query,
        error: p.error,
        autocomplete: 'off',
        maxLength: 254,
      })}
      <button class="btn btn--primary" type="submit">${S.submit}</button>
    </form>
    ${results}`;
  return renderConsolePage({
    viewer: p.viewer,
    title: S.title,
    section: 'search',
    main,
    hasErrors: errors.length > 0,
  });
}
