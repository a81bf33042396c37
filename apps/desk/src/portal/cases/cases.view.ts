import type { Page, TicketListItem } from '@madoguchi/tickets';
import {
  dataTable,
  errorSummary,
  formatText,
  html,
  phrases,
  SafeHtml,
  textField,
} from '@madoguchi/ui';
import { determinationFilterField } from '../../web/parts/determination.view';
import {
  type ConsoleViewer,
  listPager,
  renderConsolePage,
  slaBadge,
  statusBadge,
  type TicketListFilterValues,
  listQuery,
  ticketListFilterForm,
  timeTag,
  SHARED_TEXTS,
} from '../../web';
import { CASES_TEXTS } from './cases.texts';

const T = SHARED_TEXTS;
const C = CASES_TEXTS;

export const PORTAL_CASES_PATH = '/portal/cases';

/** The filter form's values as they came in the query string ('' = not set). */
export type PortalCaseFilterValues = TicketListFilterValues;

export interface PortalCasesParams {
  viewer: ConsoleViewer;
  merchantName: string;
  filter: PortalCaseFilterValues;
  /** The list (no search) or null when a search ran. */
  page: Page<TicketListItem> | null;
  /** A search: its query and results (null results: a refused query). */
  search?: { query: string; results: readonly TicketListItem[] | null; error?: string | null };
  /** Incidents that affect the merchant, for the incident filter. */
  incidents?: readonly { id: number; title: string }[];
  /** What waits on the merchant (questions, hand-backs) and the list tabs: hand-backs.view. */
  waiting?: SafeHtml;
}

export function portalCasePath(reference: string): string {
  return `${PORTAL_CASES_PATH}/${encodeURIComponent(reference)}`;
}

/** The merchant's case table: no assignee names or queues, only what the merchant needs. */
export function portalCaseTable(items: readonly TicketListItem[]): SafeHtml {
  const c = C.columns;
  return dataTable({
    caption: C.caption,
    tableClass: 'ticket-table',
    rows: items,
    rowAttributes: (item) => ({ class: 'ticket-row', 'data-reference': item.reference }),
    columns: [
      {
        header: c.reference,
        cell: (item) =>
          html`<a class="ticket-link" href="${portalCasePath(item.reference)}"
            >${item.reference}</a
          >`,
      },
      { header: c.status, cell: (item) => statusBadge(item.status) },
      {
        header: c.sla,
        className: 'sla-cell',
        cell: (item) =>
          html`${slaBadge(item.slaState)}<br />${item.slaDueAt && timeTag(item.slaDueAt)}`,
      },
      { header: c.category, cell: (item) => T.categories[item.category] },
      { header: c.channel, cell: (item) => T.channels[item.channel] },
      { header: c.createdAt, cell: (item) => timeTag(item.createdAt) },
      { header: c.updatedAt, cell: (item) => timeTag(item.updatedAt) },
    ],
  });
}

function caseFilterForm(
  filter: PortalCaseFilterValues,
  incidents?: readonly { id: number; title: string }[],
): SafeHtml {
  return ticketListFilterForm({
    action: PORTAL_CASES_PATH,
    values: filter,
    incidents,
    extraFields: [determinationFilterField(incidents, filter.determination)],
  });
}

function searchForm(query: string, error: string | null | undefined): SafeHtml {
  return html`<form
    class="form card search-form"
    method="get"
    action="${PORTAL_CASES_PATH}"
    role="search"
    aria-labelledby="case-search-heading"
  >
    <h2 id="case-search-heading">${phrases(C.searchHeading)}</h2>
    ${textField({
      name: 'q',
      label: C.searchLabel,
      hint: C.searchHint,
      type: 'search',
      value: query,
      error,
      autocomplete: 'off',
      maxLength: 200,
    })}
    <button class="btn btn--primary" type="submit">${C.searchSubmit}</button>
  </form>`;
}

function listSection(p: PortalCasesParams, page: Page<TicketListItem>): SafeHtml {
  if (page.items.length === 0) return html`<p class="empty card">${C.empty}</p>`;
  const from = (page.page - 1) * page.pageSize + 1;
  const count = formatText(C.count, { total: page.total, from, to: from + page.items.length - 1 });
  return html`<p class="list-count">${count}</p>
    ${portalCaseTable(page.items)}
    ${listPager(page, (n) => `${PORTAL_CASES_PATH}${listQuery(p.filter, { page: String(n) })}`)}`;
}

function searchSection(search: NonNullable<PortalCasesParams['search']>): SafeHtml {
  const back = html`<p><a href="${PORTAL_CASES_PATH}">${C.backToList}</a></p>`;
  if (!search.results) return back;
  if (search.results.length === 0)
    return html`<p class="empty card" role="status">${C.searchNone}</p>
      ${back}`;
  return html`<p class="list-count" role="status">
      ${formatText(C.searchResults, { query: search.query, count: search.results.length })}
    </p>
    ${portalCaseTable(search.results)} ${back}`;
}

export function renderPortalCases(p: PortalCasesParams): string {
  const errors = p.search?.error ? [{ field: 'q', message: p.search.error }] : [];
  const body = p.search
    ? searchSection(p.search)
    : html`${caseFilterForm(p.filter, p.incidents)} ${p.page && listSection(p, p.page)}`;
  const main = html`${errorSummary(errors, T.validation.summaryTitle)}
    <h1>${formatText(C.heading, { merchant: p.merchantName })}</h1>
    ${p.waiting ?? html``}
    <p class="muted">${C.intro}</p>
    ${searchForm(p.search?.query ?? '', p.search?.error)} ${body}`;
  return renderConsolePage({
    viewer: p.viewer,
    title: C.title,
    section: 'portal-cases',
    main,
    hasErrors: errors.length > 0,
  });
}
