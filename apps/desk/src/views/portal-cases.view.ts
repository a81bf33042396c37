import {
  TICKET_CATEGORY_KEYS,
  TICKET_CHANNELS,
  TICKET_STATUSES,
  type Page,
  type TicketListItem,
} from '@madoguchi/tickets';
import {
  errorSummary,
  formatText,
  html,
  SafeHtml,
  selectField,
  type SelectOption,
  textField,
} from '@madoguchi/ui';
import { incidentFilterField } from './queue-list.view';
import { determinationFilterField } from './determination.view';
import { DESK_TEXTS } from '../i18n/ja';
import {
  type ConsoleViewer,
  listPager,
  renderConsolePage,
  slaBadge,
  statusBadge,
  timeTag,
} from './desk-page.view';

const T = DESK_TEXTS;
const P = T.portal;
const C = P.cases;
const Q = T.queue;

export const PORTAL_CASES_PATH = '/portal/cases';

/** The filter form's values as they came in the query string ('' = not set). */
export interface PortalCaseFilterValues {
  /** '' (active statuses), 'all', or one status. */
  status: string;
  category: string;
  channel: string;
  /** '' (any) or an incident id. */
  incident?: string;
  /** '' (any) or a determination filter (issue 13.1): review, included, not_included, none. */
  determination?: string;
}

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
  /** What waits on the merchant (questions, hand-backs) and the list tabs: portal-hand-back.view. */
  waiting?: SafeHtml;
}

export function portalCasePath(reference: string): string {
  return `${PORTAL_CASES_PATH}/${encodeURIComponent(reference)}`;
}

function casesQuery(filter: PortalCaseFilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value as string);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return query ? `?${query}` : '';
}

function options(entries: readonly (readonly [string, string])[]): SelectOption[] {
  return entries.map(([value, label]) => ({ value, label }));
}

function caseRow(item: TicketListItem): SafeHtml {
  return html`<tr class="ticket-row" data-reference="${item.reference}">
    <th scope="row">
      <a class="ticket-link" href="${portalCasePath(item.reference)}">${item.reference}</a>
    </th>
    <td>${statusBadge(item.status)}</td>
    <td class="sla-cell">
      ${slaBadge(item.slaState)}<br />${item.slaDueAt && timeTag(item.slaDueAt)}
    </td>
    <td>${T.categories[item.category]}</td>
    <td>${T.channels[item.channel]}</td>
    <td>${timeTag(item.createdAt)}</td>
    <td>${timeTag(item.updatedAt)}</td>
  </tr>`;
}

/** The merchant's case table: no assignee names or queues, only what the merchant needs. */
export function portalCaseTable(items: readonly TicketListItem[]): SafeHtml {
  const c = C.columns;
  return html`<div class="table-wrap">
    <table class="ticket-table">
      <caption class="visually-hidden">
        ${C.caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${c.reference}</th>
          <th scope="col">${c.status}</th>
          <th scope="col">${c.sla}</th>
          <th scope="col">${c.category}</th>
          <th scope="col">${c.channel}</th>
          <th scope="col">${c.createdAt}</th>
          <th scope="col">${c.updatedAt}</th>
        </tr>
      </thead>
      <tbody>
        ${items.map(caseRow)}
      </tbody>
    </table>
  </div>`;
}

function filterForm(
  filter: PortalCaseFilterValues,
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
  return html`<form
    class="filters"
    method="get"
    action="${PORTAL_CASES_PATH}"
    aria-labelledby="filters-heading"
  >
    <h2 class="visually-hidden" id="filters-heading">${Q.filtersHeading}</h2>
    ${selectField({ name: 'status', label: Q.status, options: statuses, value: filter.status })}
    ${selectField({ name: 'category', label: Q.category, options: categories, value: filter.category })}
    ${selectField({ name: 'channel', label: Q.channel, options: channels, value: filter.channel })}
    ${incidentFilterField(incidents, filter.incident)}
    ${determinationFilterField(incidents, filter.determination)}
    <div class="filters__actions">
      <button class="btn" type="submit">${Q.apply}</button>
      <a class="btn btn--ghost" href="${PORTAL_CASES_PATH}">${Q.reset}</a>
    </div>
  </form>`;
}

function searchForm(query: string, error: string | null | undefined): SafeHtml {
  return html`<form
    class="form card search-form"
    method="get"
    action="${PORTAL_CASES_PATH}"
    role="search"
    aria-labelledby="case-search-heading"
  >
    <h2 id="case-search-heading">${C.searchHeading}</h2>
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
    ${listPager(page, (n) => `${PORTAL_CASES_PATH}${casesQuery(p.filter, { page: String(n) })}`)}`;
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
    : html`${filterForm(p.filter, p.incidents)} ${p.page && listSection(p, p.page)}`;
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
