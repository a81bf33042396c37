import {
  CALL_AVAILABILITIES,
  type CallAvailability,
  MERCHANT_ROLES,
  type UserRole,
} from '@madoguchi/auth';
import type { SlaState, TicketStatus } from '@madoguchi/tickets';
import {
  errorSummary,
  formatText,
  formatTokyoDateTime,
  html,
  raw,
  renderPage,
  SafeHtml,
} from '@madoguchi/ui';
import { CONSOLE_SCRIPT_ASSET, CONSOLE_STYLESHEET_ASSET } from '../assets/console-assets';
import { SHARED_TEXTS as T } from './shared.texts';

// By content hash, so the browser keeps them for a year (assets/console-assets.ts).
export const CONSOLE_STYLESHEET_PATH = CONSOLE_STYLESHEET_ASSET.url;
export const CONSOLE_SCRIPT_PATH = CONSOLE_SCRIPT_ASSET.url;

/** Which nav entry the page belongs to (aria-current). */
export type ConsoleSection =
  | 'queues'
  | 'search'
  | 'canned'
  | 'calls'
  | 'admin'
  | 'supervisor'
  | 'portal-cases'
  | 'portal-access-log'
  | 'portal-stats'
  | 'portal-export'
  | 'portal-settings'
  | 'portal-incidents'
  | 'portal-affected-lists'
  | 'portal-bulk-sends'
  | null;

/** The signed-in user as the layout shows them; null on pages outside a session (errors). */
export interface ConsoleViewer {
  id: number;
  displayName: string;
  role: UserRole;
  csrfToken: string;
  /** May change tickets (permission ticket.work); false renders read-only pages. */
  canWork: boolean;
  /**
   * Whether the viewer's role may open a page (a GET path): its route's own guard decides
   * (auth/page-access.ts). Menus and tabs offer only such pages.
   */
  mayOpen: (href: string) => boolean;
  /** A supervisor's unread SLA alerts: a badge on the 状況 entry of the menu (issue 15). */
  unreadAlerts?: number;
  /** Staff: availability for the window's calls; the header offers to change it (calls). */
  callAvailability?: CallAvailability;
}

export interface ConsolePageOptions {
  viewer: ConsoleViewer | null;
  title: string;
  section: ConsoleSection;
  main: SafeHtml;
  /** Prefixes the <title> with エラー so screen-reader users hear it first. */
  hasErrors?: boolean;
}

function navLink(href: string, label: string, active: boolean): SafeHtml {
  return html`<li>
    <a class="console-nav__link" href="${href}" ${active ? raw('aria-current="page"') : ''}
      >${label}</a
    >
  </li>`;
}

/** One tab of a page group's own menu. */
export interface SubnavTab {
  href: string;
  label: string;
  current: boolean;
}

/**
 * A page group's own menu (admin, supervisor, portal settings) as a row of tabs, the current
 * one marked aria-current="page" (console.css .subnav); on a phone the row scrolls sideways.
 * Rendered once per page: two navs of one name are one landmark too many.
 */
export function subnavTabs(label: string, tabs: readonly SubnavTab[]): SafeHtml {
  return html`<nav class="subnav" aria-label="${label}">
    <ul class="subnav__list">
      ${tabs.map(
        (tab) =>
          html`<li>
            <a href="${tab.href}" ${tab.current ? raw('aria-current="page"') : ''}>${tab.label}</a>
          </li>`,
      )}
    </ul>
  </nav>`;
}

/** Merchant users work in the portal: their nav and home are the portal's, not the console's. */
export function isMerchantViewer(viewer: ConsoleViewer): boolean {
  return MERCHANT_ROLES.includes(viewer.role);
}

/** A menu's entries, each shown only to a role its page lets in (one rule: the route's guard). */
function navLinks(
  viewer: ConsoleViewer,
  section: ConsoleSection,
  items: readonly (readonly [href: string, label: string, entry: ConsoleSection])[],
): SafeHtml[] {
  return items
    .filter(([href]) => viewer.mayOpen(href))
    .map(([href, label, entry]) => navLink(href, label, section === entry));
}

/** The unread SLA alerts as a menu entry with a count, linking to them; nothing when none. */
function alertBadge(viewer: ConsoleViewer): SafeHtml {
  const count = viewer.unreadAlerts ?? 0;
  if (count === 0 || !viewer.mayOpen('/supervisor/notifications')) return html``;
  return html`<li>
    <a class="console-nav__link" href="/supervisor/notifications"
      >${T.nav.slaAlerts} <span class="nav-badge">${count}</span
      ><span class="visually-hidden">${formatText(T.nav.slaAlertsUnread, { count })}</span></a
    >
  </li>`;
}

function portalHeader(viewer: ConsoleViewer, section: ConsoleSection, brand: SafeHtml): SafeHtml {
  const nav = html`<nav class="console-nav" aria-label="${T.nav.label}">
    <ul class="console-nav__list">
      ${navLinks(viewer, section, [
        ['/portal/cases', T.nav.portalCases, 'portal-cases'],
        ['/portal/incidents', T.nav.portalIncidents, 'portal-incidents'],
        ['/portal/stats', T.nav.portalStats, 'portal-stats'],
        ['/portal/export', T.nav.portalExport, 'portal-export'],
        ['/portal/bulk-sends', T.nav.portalBulkSends, 'portal-bulk-sends'],
        ['/portal/affected-lists', T.nav.portalAffectedLists, 'portal-affected-lists'],
        ['/portal/access-log', T.nav.portalAccessLog, 'portal-access-log'],
        ['/portal/settings', T.nav.portalSettings, 'portal-settings'],
      ])}
    </ul>
  </nav>`;
  const who = formatText(T.nav.signedInAs, {
    name: viewer.displayName,
    role: T.roles[viewer.role],
  });
  return html`<header class="console-header">
    <div class="console-header__inner">
      ${brand} ${nav}
      <div class="console-user">
        <span class="console-user__name">${who}</span>
        <a class="btn btn--ghost btn--small" href="/account/password">${T.nav.accountPassword}</a>
        <form method="post" action="/logout">
          ${csrfField(viewer.csrfToken)}
          <button class="btn btn--ghost btn--small" type="submit">${T.nav.logout}</button>
        </form>
      </div>
    </div>
  </header>`;
}

/**
 * Staff who take calls: their availability for the window, a small form (posts to
 * /calls/availability, which comes back to this page). Nothing for anyone else.
 */
function availabilityControl(viewer: ConsoleViewer): SafeHtml | '' {
  if (viewer.callAvailability === undefined || !viewer.mayOpen('/calls')) return '';
  const current = viewer.callAvailability;
  return html`<form class="console-availability" method="post" action="/calls/availability">
    ${csrfField(viewer.csrfToken)}
    <label class="visually-hidden" for="header-availability">${T.callAvailability.label}</label>
    <select class="console-availability__select" id="header-availability" name="availability">
      ${CALL_AVAILABILITIES.map(
        (state) =>
          html`<option value="${state}" ${state === current ? raw('selected') : ''}>
            ${T.callAvailability.states[state]}
          </option>`,
      )}
    </select>
    <button class="btn btn--ghost btn--small" type="submit">${T.callAvailability.save}</button>
  </form>`;
}

function header(viewer: ConsoleViewer | null, section: ConsoleSection): SafeHtml {
  const home = viewer && isMerchantViewer(viewer) ? '/portal/cases' : '/';
  const brand = html`<a class="console-brand" href="${home}"
    ><span class="console-brand__name">${T.common.productName}</span>
    <span class="console-brand__latin" lang="en">${T.common.productNameLatin}</span></a
  >`;
  if (!viewer) {
    return html`<header class="console-header">
      <div class="console-header__inner">${brand}</div>
    </header>`;
  }
  if (isMerchantViewer(viewer)) return portalHeader(viewer, section, brand);
  const nav = html`<nav class="console-nav" aria-label="${T.nav.label}">
    <ul class="console-nav__list">
      ${navLinks(viewer, section, [
        ['/', T.nav.queues, 'queues'],
        ['/search', T.nav.search, 'search'],
        ['/calls', T.nav.calls, 'calls'],
        ['/canned-responses', T.nav.canned, 'canned'],
        ['/supervisor', T.nav.supervisor, 'supervisor'],
        ['/admin/merchants', T.nav.admin, 'admin'],
      ])}
      ${alertBadge(viewer)}
    </ul>
  </nav>`;
  // Named, so the search page's own search form is a landmark of its own (axe landmark-unique).
  const search = html`<form
    class="console-search"
    role="search"
    aria-label="${T.nav.searchLabel}"
    method="get"
    action="/search"
  >
    <label class="visually-hidden" for="global-search">${T.nav.searchLabel}</label>
    <input
      class="console-search__input"
      id="global-search"
      name="q"
      type="search"
      placeholder="${T.nav.searchPlaceholder}"
      autocomplete="off"
      spellcheck="false"
    />
    <button class="btn btn--small" type="submit">${T.nav.searchSubmit}</button>
  </form>`;
  const who = formatText(T.nav.signedInAs, {
    name: viewer.displayName,
    role: T.roles[viewer.role],
  });
  return html`<header class="console-header">
    <div class="console-header__inner">
      ${brand} ${nav} ${search}
      <div class="console-user">
        <span class="console-user__name">${who}</span> ${availabilityControl(viewer)}
        <a class="btn btn--ghost btn--small" href="/account/password">${T.nav.accountPassword}</a>
        <form method="post" action="/logout">
          ${csrfField(viewer.csrfToken)}
          <button class="btn btn--ghost btn--small" type="submit">${T.nav.logout}</button>
        </form>
      </div>
    </div>
  </header>`;
}

/**
 * The shortcut list: documented on every staff page, opened with `?` by console.js, which offers
 * shortcuts only where this list is (merchant users work no queue: no agent shortcuts for them).
 */
function shortcutHelp(): SafeHtml {
  const items = T.shortcuts.items.map(
    (item) =>
      html`<div class="shortcuts__item">
        <dt>${item.key.split(' ').map((key) => html`<kbd>${key}</kbd> `)}</dt>
        <dd>${item.text}</dd>
      </div>`,
  );
  return html`<details class="shortcuts" id="shortcut-help">
    <summary class="shortcuts__summary">${T.shortcuts.heading} (<kbd>?</kbd>)</summary>
    <p class="small muted">${T.shortcuts.intro}</p>
    <dl class="shortcuts__list">${items}</dl>
  </details>`;
}

/** Every console page: skip link, header with nav and logout, one <main>, a live region. */
export function renderConsolePage(options: ConsolePageOptions): string {
  const base = formatText(T.common.pageTitle, { page: options.title });
  const title = options.hasErrors ? `${T.common.errorTitlePrefix}${base}` : base;
  const body = html`<a class="skip-link" href="#main">${T.common.skipToContent}</a>
    ${header(options.viewer, options.section)}
    <main class="console-main" id="main" tabindex="-1">${options.main}</main>
    <div
      class="visually-hidden"
      id="live-status"
      role="status"
      aria-live="polite"
      data-msg-updated="${T.common.liveRegionUpdated}"
      data-msg-inserted="${T.common.cannedInserted}"
      data-msg-presence-viewing="${T.common.presenceViewing}"
      data-msg-presence-writing="${T.common.presenceWriting}"
    ></div>
    <footer class="console-footer">
      ${options.viewer && !isMerchantViewer(options.viewer) && shortcutHelp()}
    </footer>`;
  const headExtra = html`<link rel="stylesheet" href="${CONSOLE_STYLESHEET_PATH}" />
    <script src="${CONSOLE_SCRIPT_PATH}" defer></script>`;
  return renderPage({ title, lang: 'ja', body, headExtra });
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

/** The two hidden fields of every ticket form: CSRF token and the version the agent read. */
export function ticketFormFields(csrfToken: string, version: number): SafeHtml {
  return html`${csrfField(csrfToken)}<input type="hidden" name="version" value="${version}" />`;
}

export function timeTag(date: Date | null): SafeHtml {
  if (!date) return html`<span class="muted">${T.common.none}</span>`;
  return html`<time datetime="${date.toISOString()}">${formatTokyoDateTime(date)}</time>`;
}

/** A text label, not colour alone: 期限超過 / まもなく期限 are read out and visible in print. */
export function slaBadge(state: SlaState): SafeHtml {
  if (state === 'on_track' || state === 'none') {
    return html`<span class="sla sla--${state}">${T.sla[state]}</span>`;
  }
  const icon = state === 'breached' ? '!' : '⏱';
  return html`<span class="sla sla--${state}"
    ><span class="sla__icon" aria-hidden="true">${icon}</span>${T.sla[state]}</span
  >`;
}

export function statusBadge(status: TicketStatus): SafeHtml {
  return html`<span class="badge badge--${status}">${T.statuses[status]}</span>`;
}

/** A notice after a redirect (送信しました etc.), announced politely. */
export function noticeBox(notice: string | null | undefined): SafeHtml {
  return notice ? html`<div class="notice" role="status">${notice}</div>` : html``;
}

/** A warning that needs attention now (stale version, conflict), announced assertively. */
export function alertBox(message: string | null | undefined): SafeHtml {
  return message
    ? html`<div class="console-alert" role="alert" tabindex="-1" autofocus>
        <span class="console-alert__icon" aria-hidden="true">!</span>
        <p class="console-alert__text">${message}</p>
      </div>`
    : html``;
}

/** The error summary of a form, in the order its fields appear. */
export function fieldErrorSummary(
  fields: readonly string[],
  errors: Readonly<Record<string, string | undefined>> | undefined,
): SafeHtml {
  const items = fields.flatMap((field) => {
    const message = errors?.[field];
    return message ? [{ field, message }] : [];
  });
  return errorSummary(items, T.validation.summaryTitle);
}

/** Page links of a paged list (console and portal alike); `link(n)` builds page n's address. */
export function listPager(
  page: { page: number; pageSize: number; total: number },
  link: (n: number) => string,
): SafeHtml {
  const Q = T.pager;
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  if (pages <= 1) return html``;
  const prev =
    page.page > 1
      ? html`<a class="btn btn--ghost" rel="prev" href="${link(page.page - 1)}">${Q.previous}</a>`
      : html``;
  const next =
    page.page < pages
      ? html`<a class="btn btn--ghost" rel="next" href="${link(page.page + 1)}">${Q.next}</a>`
      : html``;
  return html`<nav class="pager" aria-label="${Q.paging}">
    ${prev}<span class="pager__position">${formatText(Q.pageOf, { page: page.page, pages })}</span
    >${next}
  </nav>`;
}
