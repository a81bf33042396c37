import type { HandBackContact, HandBackState, TicketDetail } from '@madoguchi/tickets';
import { formatText, html, phrases, SafeHtml } from '@madoguchi/ui';
import { type ConsoleViewer, SHARED_TEXTS, ticketFormFields, timeTag } from '../../web';
import { THREAD_TEXTS } from '../../web/parts/ticket-thread.texts';
import { portalCasePath } from '../cases/cases.view';
import { CASE_TEXTS } from './case.texts';

const T = SHARED_TEXTS;
const H = CASE_TEXTS.handBack;

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
    <h3 id="hand-back-contact-heading">${phrases(H.contactHeading)}</h3>
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
                <span class="question-quote__body">${message.body ?? THREAD_TEXTS.bodyErased}</span>
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
    <h2 id="hand-back-heading">${phrases(H.heading)}</h2>
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
