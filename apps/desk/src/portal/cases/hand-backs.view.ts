import type { HandBackListItem, MerchantWaitingCounts } from '@madoguchi/tickets';
import { dataTable, formatText, html, raw, SafeHtml } from '@madoguchi/ui';
import { type ConsoleViewer, noticeBox, renderConsolePage, timeTag, SHARED_TEXTS } from '../../web';
import { CASES_TEXTS } from './cases.texts';
import { PORTAL_CASES_PATH, portalCasePath } from './cases.view';

const T = SHARED_TEXTS;
const W = CASES_TEXTS.waiting;
const L = CASES_TEXTS.handBacks;

export const PORTAL_HAND_BACKS_PATH = '/portal/handbacks';

/** The portal home's bar: what waits on the merchant, with links to each list. */
export function portalWaitingBar(counts: MerchantWaitingCounts | null | undefined): SafeHtml {
  if (!counts) return html``;
  return html`<section class="waiting-bar" aria-label="${W.label}" data-waiting-bar>
    <strong>${W.label}</strong>
    <a href="${PORTAL_CASES_PATH}?status=pending_merchant" data-waiting="questions"
      >${formatText(W.questions, { count: counts.questions })}</a
    >
    <a href="${PORTAL_HAND_BACKS_PATH}" data-waiting="hand-backs"
      >${formatText(W.handBacks, { count: counts.handBacks })}</a
    >
  </section>`;
}

/** Tabs between all cases and the hand-back list. */
export function portalCaseTabs(
  current: 'all' | 'hand-backs',
  counts: MerchantWaitingCounts | null | undefined,
): SafeHtml {
  const tabs: ['all' | 'hand-backs', string, string][] = [
    ['all', PORTAL_CASES_PATH, W.tabAll],
    [
      'hand-backs',
      PORTAL_HAND_BACKS_PATH,
      counts ? `${W.tabHandBacks} (${counts.handBacks})` : W.tabHandBacks,
    ],
  ];
  return html`<nav aria-label="${W.tabsLabel}">
    <ul class="portal-tabs">
      ${tabs.map(
        ([key, href, label]) =>
          html`<li>
            <a
              class="btn btn--ghost btn--small"
              href="${href}"
              ${key === current ? raw('aria-current="page"') : ''}
              >${label}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

export interface PortalHandBacksParams {
  viewer: ConsoleViewer;
  merchantName: string;
  state: 'open' | 'answered';
  items: readonly HandBackListItem[];
  counts: MerchantWaitingCounts;
  notice?: string | null;
}

function handBackTable(items: readonly HandBackListItem[], state: 'open' | 'answered'): SafeHtml {
  const c = L.columns;
  return dataTable({
    caption: L.caption,
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
      { header: c.category, cell: (item) => T.categories[item.category] },
      { header: c.createdAt, cell: (item) => timeTag(item.createdAt) },
      { header: c.handedBackAt, cell: (item) => timeTag(item.handedBackAt) },
      {
        header: state === 'answered' ? c.answeredAt : c.reminder,
        cell: (item) =>
          state === 'answered'
            ? timeTag(item.answeredAt)
            : item.remindedAt
              ? html`${L.reminded} ${timeTag(item.remindedAt)}`
              : timeTag(item.reminderDueAt),
      },
    ],
  });
}

/** The handed-back cases: open ones (oldest first) or answered ones. No personal data. */
export function renderPortalHandBacks(p: PortalHandBacksParams): string {
  const stateLinks = (['open', 'answered'] as const).map(
    (state) =>
      html`<li>
        <a
          class="btn btn--ghost btn--small"
          href="${PORTAL_HAND_BACKS_PATH}${state === 'open' ? '' : '?state=answered'}"
          ${state === p.state ? raw('aria-current="page"') : ''}
          >${L[state]}</a
        >
      </li>`,
  );
  const table = p.items.length
    ? handBackTable(p.items, p.state)
    : html`<p class="empty card">${L.empty}</p>`;
  const main = html`<h1>${formatText(L.heading, { merchant: p.merchantName })}</h1>
    ${portalCaseTabs('hand-backs', p.counts)} ${noticeBox(p.notice)}
    <p class="muted">${L.intro}</p>
    <nav aria-label="${L.stateLabel}">
      <ul class="portal-tabs">
        ${stateLinks}
      </ul>
    </nav>
    ${table}`;
  return renderConsolePage({ viewer: p.viewer, title: L.title, section: 'portal-cases', main });
}
