import type {
  HandBackContact,
  HandBackListItem,
  HandBackState,
  MerchantWaitingCounts,
  TicketDetail,
} from '@madoguchi/tickets';
import { formatText, html, raw, SafeHtml } from '@madoguchi/ui';
import { DESK_TEXTS } from '../i18n/ja';
import {
  type ConsoleViewer,
  noticeBox,
  renderConsolePage,
  ticketFormFields,
  timeTag,
} from './desk-page.view';
import { PORTAL_CASES_PATH, portalCasePath } from './portal-cases.view';

const T = DESK_TEXTS;
const P = T.portal;
const H = P.handBack;
const W = P.waiting;
const L = P.handBacks;

export const PORTAL_HAND_BACKS_PATH = '/portal/handbacks';

/** The case page's hand-back block: what the shopper was told, the audited reveal, "answered". */
export interface PortalHandBackSectionParams {
  viewer: ConsoleViewer;
  ticket: TicketDetail;
  state: HandBackState | null;
  /** Set after the audited reveal (POST …/contact). */
  contact?: HandBackContact | null;
  /** A refused "answered" (409: already answered, or no longer handed back). */
  error?: string | null;
}

function contactCard(contact: HandBackContact): SafeHtml {
  const none = T.common.none;
  return html`<section
    class="card"
    aria-labelledby="hand-back-contact-heading"
    data-hand-back-contact
  >
    <h3 id="hand-back-contact-heading">${H.contactHeading}</h3>
    <dl class="meta">
      <dt>${H.name}</dt>
      <dd>${contact.name ?? none}</dd>
      <dt>${H.email}</dt>
      <dd>
        ${contact.email ? html`<a class="literal" href="mailto:${contact.email}">${contact.email}</a>` : none}
      </dd>
      <dt>${H.phone}</dt>
      <dd>${contact.phone ? html`<span class="literal">${contact.phone}</span>` : none}</dd>
      <dt>${H.orderNumber}</dt>
      <dd>
        ${contact.orderNumber ? html`<span class="literal">${contact.orderNumber}</span>` : none}
      </dd>
    </dl>
    <h4>${H.messages}</h4>
    ${
      contact.messages.length
        ? contact.messages.map(
            (message) =>
              html`<div class="question-quote" data-customer-message="${message.id}">
                ${timeTag(message.createdAt)}
                <span class="question-quote__body">${message.body ?? T.ticket.bodyErased}</span>
              </div>`,
          )
        : html`<p class="muted">${H.noMessages}</p>`
    }
  </section>`;
}

export function portalHandBackSection(p: PortalHandBackSectionParams): SafeHtml {
  const state = p.state;
  if (!state) return html``;
  const path = portalCasePath(p.ticket.reference);
  const fields = ticketFormFields(p.viewer.csrfToken, p.ticket.version);
  const answered = state.answeredAt
    ? html`<p class="notice" role="status" data-hand-back-answered="yes">
        ${formatText(H.answeredBy, { name: state.answeredBy ?? H.answeredUnknown })}
        ${timeTag(state.answeredAt)}
      </p>`
    : html`<p class="small">${H.markHelp}</p>
        <form method="post" action="${path}/hand-back-answered">
          ${fields}
          <button class="btn btn--primary" type="submit">${H.mark}</button>
        </form>`;
  const reveal = p.contact
    ? contactCard(p.contact)
    : html`<form method="post" action="${path}/contact">
        ${fields}
        <p class="small">${H.revealHelp}</p>
        <button class="btn" type="submit">${H.reveal}</button>
      </form>`;
  return html`<section class="card card--merchant-query" aria-labelledby="hand-back-heading">
    <h2 id="hand-back-heading">${H.heading}</h2>
    ${p.error ? html`<p class="field-error" role="alert">${p.error}</p>` : html``}
    <p>${H.promise}</p>
    <dl class="meta">
      <dt>${H.handedBackAt}</dt>
      <dd>${timeTag(state.handedBackAt)}</dd>
      ${
        state.remindedAt
          ? html`<dt>${H.remindedAt}</dt>
              <dd>${timeTag(state.remindedAt)}</dd>`
          : state.answeredAt
            ? html``
            : html`<dt>${H.reminderDue}</dt>
                <dd>${timeTag(state.reminderDueAt)}</dd>`
      }
    </dl>
    ${reveal} ${answered}
  </section>`;
}

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

function handBackRow(item: HandBackListItem, state: 'open' | 'answered'): SafeHtml {
  return html`<tr class="ticket-row" data-reference="${item.reference}">
    <th scope="row">
      <a class="ticket-link" href="${portalCasePath(item.reference)}">${item.reference}</a>
    </th>
    <td>${T.categories[item.category]}</td>
    <td>${timeTag(item.createdAt)}</td>
    <td>${timeTag(item.handedBackAt)}</td>
    <td>
      ${
        state === 'answered'
          ? timeTag(item.answeredAt)
          : item.remindedAt
            ? html`${L.reminded} ${timeTag(item.remindedAt)}`
            : timeTag(item.reminderDueAt)
      }
    </td>
  </tr>`;
}

/** The handed-back cases: open ones (oldest first) or answered ones. No personal data. */
export function renderPortalHandBacks(p: PortalHandBacksParams): string {
  const c = L.columns;
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
    ? html`<div class="table-wrap">
        <table class="ticket-table">
          <caption class="visually-hidden">
            ${L.caption}
          </caption>
          <thead>
            <tr>
              <th scope="col">${c.reference}</th>
              <th scope="col">${c.category}</th>
              <th scope="col">${c.createdAt}</th>
              <th scope="col">${c.handedBackAt}</th>
              <th scope="col">${p.state === 'answered' ? c.answeredAt : c.reminder}</th>
            </tr>
          </thead>
          <tbody>
            ${p.items.map((item) => handBackRow(item, p.state))}
          </tbody>
        </table>
      </div>`
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
