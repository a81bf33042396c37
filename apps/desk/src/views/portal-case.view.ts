import type { TicketDetail } from '@madoguchi/tickets';
import { formatText, html, raw, SafeHtml } from '@madoguchi/ui';
import { DESK_TEXTS } from '../i18n/ja';
import {
  type ConsoleViewer,
  renderConsolePage,
  slaBadge,
  statusBadge,
  ticketFormFields,
  timeTag,
} from './desk-page.view';
import { PORTAL_CASES_PATH } from './portal-cases.view';
import { ticketConversation, ticketSlaCard } from './ticket-thread.view';

const T = DESK_TEXTS;
const P = T.portal;
const K = T.ticket;

/** A call linked to the case, as the merchant sees it: no caller number. */
export interface PortalCaseCall {
  id: number;
  startedAt: Date | null;
  outcome: keyof typeof T.calls.outcomes | null;
  talkSeconds: number | null;
  agentName: string | null;
}

export interface PortalCaseParams {
  viewer: ConsoleViewer;
  ticket: TicketDetail;
  calls: readonly PortalCaseCall[];
  /** The merchant's answer form, shown while the ticket waits on the merchant. */
  answer?: { draft: string; error: string | null; sent: boolean };
}

/** While a ticket waits on the merchant (pending_merchant), its users may answer the agent. */
function answerForm(p: PortalCaseParams): SafeHtml {
  const A = P.answer;
  if (p.answer?.sent) return html`<p class="notice" role="status">${A.sent}</p>`;
  if (p.ticket.status !== 'pending_merchant') return html``;
  const error = p.answer?.error ?? null;
  return html`<section class="card" aria-labelledby="answer-heading">
    <h2 id="answer-heading">${A.heading}</h2>
    <p class="muted">${A.help}</p>
    <form method="post" action="${PORTAL_CASES_PATH}/${p.ticket.reference}/answer">
      ${ticketFormFields(p.viewer.csrfToken, p.ticket.version)}
      <label for="f-answer">${A.label}</label>
      ${error ? html`<p class="field-error" id="f-answer-error">${error}</p>` : html``}
      <textarea
        id="f-answer"
        name="body"
        rows="6"
        required
        maxlength="10000"
        ${error ? raw('aria-invalid="true" aria-describedby="f-answer-error"') : raw('')}
      >
${p.answer?.draft ?? ''}</textarea>
      <button class="btn" type="submit">${A.submit}</button>
    </form>
  </section>`;
}

function callsSection(calls: readonly PortalCaseCall[]): SafeHtml {
  const c = P.callColumns;
  const body = calls.length
    ? html`<div class="table-wrap">
        <table class="ticket-table">
          <caption class="visually-hidden">
            ${P.callsCaption}
          </caption>
          <thead>
            <tr>
              <th scope="col">${c.startedAt}</th>
              <th scope="col">${c.outcome}</th>
              <th scope="col">${c.talk}</th>
              <th scope="col">${c.agent}</th>
            </tr>
          </thead>
          <tbody>
            ${calls.map(
              (call) =>
                html`<tr data-call-id="${call.id}">
                  <td>${timeTag(call.startedAt)}</td>
                  <td>${call.outcome ? T.calls.outcomes[call.outcome] : T.common.none}</td>
                  <td>
                    ${
                      call.talkSeconds === null
                        ? T.common.none
                        : formatText(T.calls.seconds, { seconds: call.talkSeconds })
                    }
                  </td>
                  <td>${call.agentName ?? T.common.none}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`
    : html`<p class="empty">${P.callsNone}</p>`;
  return html`<section aria-labelledby="calls-heading">
    <h2 id="calls-heading">${P.callsHeading}</h2>
    ${body}
  </section>`;
}

function detailsCard(t: TicketDetail): SafeHtml {
  const d = K.details;
  const r = t.requester;
  return html`<section class="card" aria-labelledby="details-heading">
    <h2 id="details-heading">${K.detailsHeading}</h2>
    <dl class="meta">
      <dt>${d.site}</dt>
      <dd>${t.siteName ?? T.common.none}</dd>
      <dt>${d.channel}</dt>
      <dd>${T.channels[t.channel]}</dd>
      <dt>${d.status}</dt>
      <dd>${statusBadge(t.status)}</dd>
      <dt>${d.category}</dt>
      <dd>${T.categories[t.category]}</dd>
      ${
        t.incident &&
        html`<dt>${T.incidents.ticket.incident}</dt>
          <dd><a href="/portal/incidents/${t.incident.id}">${t.incident.title}</a></dd>`
      }
      <dt>${d.createdAt}</dt>
      <dd>${timeTag(t.createdAt)}</dd>
      <dt>${d.updatedAt}</dt>
      <dd>${timeTag(t.updatedAt)}</dd>
      <dt>${K.requester.name}</dt>
      <dd>${r.name ?? T.common.none}</dd>
      <dt>${K.requester.orderNumber}</dt>
      <dd>
        ${r.orderNumber ? html`<span class="literal">${r.orderNumber}</span>` : T.common.none}
      </dd>
    </dl>
  </section>`;
}

/** The merchant's read-only case page: conversation (no internal notes), details, SLA, calls. */
export function renderPortalCase(p: PortalCaseParams): string {
  const t = p.ticket;
  const heading = formatText(P.caseHeading, { reference: t.reference });
  const main = html`<p><a href="${PORTAL_CASES_PATH}">${P.cases.backToList}</a></p>
    <div class="ticket-head">
      <h1>${heading}</h1>
      <p class="ticket-head__badges">${statusBadge(t.status)} ${slaBadge(t.slaState)}</p>
    </div>
    <p class="muted">${P.caseReadOnly}</p>
    <div class="ticket-layout" data-ticket-reference="${t.reference}">
      <div class="ticket-layout__main">
        ${answerForm(p)}
        ${ticketConversation(
          // The service leaves internal notes out for merchant scopes; this is a second fence.
          t.messages.filter((m) => m.kind !== 'note'),
          { showDelivery: false },
        )}
        ${callsSection(p.calls)}
      </div>
      <div class="ticket-layout__side">${detailsCard(t)} ${ticketSlaCard(t)}</div>
    </div>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: formatText(P.caseTitle, { reference: t.reference }),
    section: 'portal-cases',
    main,
  });
}
