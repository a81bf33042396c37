import type { TicketDetail } from '@madoguchi/tickets';
import type { TicketDeterminationState } from '@madoguchi/incident-response';
import { dataTable, formatText, html, phrases, SafeHtml, textArea } from '@madoguchi/ui';
import { CALLS_TEXTS } from '../../console/calls/calls.texts';
import { TICKET_TEXTS } from '../../console/ticket/ticket.texts';
import {
  type ConsoleViewer,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
  slaBadge,
  statusBadge,
  ticketFormFields,
  timeTag,
} from '../../web';
import { PORTAL_CASES_PATH } from '../cases/cases.view';
import { type PortalHandBackSectionParams, portalHandBackSection } from './hand-back.view';
import {
  mailOpeningMessageId,
  ticketConversation,
  ticketSlaCard,
} from '../../web/parts/ticket-thread.view';
import { determinationCard } from '../../web/parts/determination.view';
import { THREAD_TEXTS } from '../../web/parts/ticket-thread.texts';
import { CASE_TEXTS } from './case.texts';

const T = SHARED_TEXTS;
const P = CASE_TEXTS;
/** The case facts carry the same labels as the agent's ticket page. */
const K = TICKET_TEXTS;

/** A call linked to the case, as the merchant sees it: no caller number. */
export interface PortalCaseCall {
  id: number;
  startedAt: Date | null;
  outcome: keyof typeof CALLS_TEXTS.outcomes | null;
  talkSeconds: number | null;
  agentName: string | null;
}

export interface PortalCaseParams {
  /** Incident and leak_check cases: the determination and its evidence, read-only (issue 13.1). */
  determination?: TicketDeterminationState | null;
  viewer: ConsoleViewer;
  ticket: TicketDetail;
  calls: readonly PortalCaseCall[];
  /** The merchant's answer form, shown while the ticket waits on the merchant. */
  answer?: { draft: string; error: string | null; sent: boolean };
  /** A handed-back case: its state, the revealed contact, a refusal (issue 13.5). */
  handBack?: Omit<PortalHandBackSectionParams, 'viewer' | 'ticket'>;
  notice?: string | null;
}

/** The portal's scoped, audited download of one of the case's files. */
export function portalAttachmentPath(reference: string, attachmentId: number): string {
  return `${PORTAL_CASES_PATH}/${encodeURIComponent(reference)}/attachments/${attachmentId}`;
}

/** What the user can do here, said plainly: answer, act on a hand-back, or only read. */
function accessNote(p: PortalCaseParams): SafeHtml {
  const A = P.caseAccess;
  const text =
    p.ticket.status === 'pending_merchant'
      ? A.question
      : p.handBack?.state && !p.handBack.state.answeredAt
        ? A.handBack
        : A.readOnly;
  return html`<p class="muted" data-case-access>${text}</p>`;
}

/** The desk's questions still open (asked since the merchant's last answer), quoted. */
function openQuestions(t: TicketDetail): SafeHtml {
  const A = P.answer;
  const lastAnswer = t.messages.reduce(
    (last, m) => (m.kind === 'merchant_answer' && m.id > last ? m.id : last),
    0,
  );
  const questions = t.messages.filter((m) => m.kind === 'merchant_query' && m.id > lastAnswer);
  if (questions.length === 0) return html`<p class="small muted">${A.noQuestion}</p>`;
  return html`${questions.map(
    (m) =>
      html`<figure class="question-quote" data-question-id="${m.id}">
        <figcaption class="small">
          ${A.question}・${m.author?.displayName ?? THREAD_TEXTS.authorUnknown}・${timeTag(m.createdAt)}
        </figcaption>
        <span class="question-quote__body">${m.body ?? THREAD_TEXTS.bodyErased}</span>
      </figure>`,
  )}`;
}

/** While a ticket waits on the merchant (pending_merchant), its users may answer the agent. */
function answerForm(p: PortalCaseParams): SafeHtml {
  const A = P.answer;
  if (p.answer?.sent) return html`<p class="notice" role="status">${A.sent}</p>`;
  if (p.ticket.status !== 'pending_merchant') return html``;
  const error = p.answer?.error ?? null;
  return html`<section class="card" aria-labelledby="answer-heading">
    <h2 id="answer-heading">${phrases(A.heading)}</h2>
    ${openQuestions(p.ticket)}
    <p class="muted">${A.help}</p>
    <form class="form" method="post" action="${PORTAL_CASES_PATH}/${p.ticket.reference}/answer">
      ${ticketFormFields(p.viewer.csrfToken, p.ticket.version)}
      ${textArea({
        name: 'body',
        id: 'f-answer',
        label: A.label,
        value: p.answer?.draft ?? '',
        error,
        required: true,
        requiredMark: T.common.requiredMark,
        maxLength: 10000,
        rows: 6,
      })}
      <button class="btn" type="submit">${A.submit}</button>
    </form>
  </section>`;
}

function callsSection(calls: readonly PortalCaseCall[]): SafeHtml {
  const c = P.callColumns;
  const body = calls.length
    ? dataTable({
        caption: P.callsCaption,
        tableClass: 'ticket-table',
        rowHeader: false,
        rows: calls,
        rowAttributes: (call) => ({ 'data-call-id': call.id }),
        columns: [
          { header: c.startedAt, cell: (call) => timeTag(call.startedAt) },
          {
            header: c.outcome,
            cell: (call) => (call.outcome ? CALLS_TEXTS.outcomes[call.outcome] : T.common.none),
          },
          {
            header: c.talk,
            cell: (call) =>
              call.talkSeconds === null
                ? T.common.none
                : formatText(CALLS_TEXTS.seconds, { seconds: call.talkSeconds }),
          },
          { header: c.agent, cell: (call) => call.agentName ?? T.common.none },
        ],
      })
    : html`<p class="empty">${P.callsNone}</p>`;
  return html`<section aria-labelledby="calls-heading">
    <h2 id="calls-heading">${phrases(P.callsHeading)}</h2>
    ${body}
  </section>`;
}

function detailsCard(t: TicketDetail): SafeHtml {
  const d = K.details;
  const r = t.requester;
  return html`<section class="card" aria-labelledby="details-heading">
    <h2 id="details-heading">${phrases(K.detailsHeading)}</h2>
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
        html`<dt>${d.incident}</dt>
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

/**
 * The merchant's view of a case's determination (issue 13.1): outcome, evidence, review flag and
 * history, without the agents' form. Empty when the case has none to show.
 */
function portalDeterminationBlock(state: TicketDeterminationState | null | undefined): SafeHtml {
  return determinationCard(state);
}

/**
 * The merchant's case page: conversation (no internal notes; the desk's questions and the
 * merchant's answers in their own style), details, SLA, calls; the answer form while the case
 * waits on the merchant, and the hand-back block while it is handed back.
 */
export function renderPortalCase(p: PortalCaseParams): string {
  const t = p.ticket;
  const heading = formatText(P.caseHeading, { reference: t.reference });
  const main = html`<p><a href="${PORTAL_CASES_PATH}">${P.backToList}</a></p>
    <div class="ticket-head">
      <h1>${phrases(heading)}</h1>
      <p class="ticket-head__badges">${statusBadge(t.status)} ${slaBadge(t.slaState)}</p>
    </div>
    ${noticeBox(p.notice)} ${accessNote(p)}
    <div class="ticket-layout" data-ticket-reference="${t.reference}">
      <div class="ticket-layout__main">
        ${answerForm(p)}
        ${p.handBack ? portalHandBackSection({ viewer: p.viewer, ticket: t, ...p.handBack }) : html``}
        ${ticketConversation(
          // The service leaves internal notes out for merchant scopes; this is a second fence.
          t.messages.filter((m) => m.kind !== 'note'),
          {
            showDelivery: false,
            attachmentHref: (file) => portalAttachmentPath(t.reference, file.id),
            openedByMailMessageId: mailOpeningMessageId(t),
          },
        )}
        ${callsSection(p.calls)}
      </div>
      <div class="ticket-layout__side">
        ${portalDeterminationBlock(p.determination)} ${detailsCard(t)} ${ticketSlaCard(t)}
      </div>
    </div>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: formatText(P.caseTitle, { reference: t.reference }),
    section: 'portal-cases',
    main,
  });
}
