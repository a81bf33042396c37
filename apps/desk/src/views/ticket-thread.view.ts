import type { TicketDetail, TicketMessageView } from '@madoguchi/tickets';
import { html, SafeHtml } from '@madoguchi/ui';
import { DESK_TEXTS } from '../i18n/ja';
import { slaBadge, timeTag } from './desk-page.view';

const T = DESK_TEXTS;
const K = T.ticket;

/** Parts of a ticket shown alike to agents (console) and merchant users (portal). */
export interface ThreadOptions {
  /** Show a reply's mail delivery state (the agent's concern). */
  showDelivery: boolean;
}

function ticketMessage(m: TicketMessageView, options: ThreadOptions): SafeHtml {
  const author = m.author?.displayName ?? (m.kind === 'customer' ? null : K.authorUnknown);
  const delivery =
    options.showDelivery && m.kind === 'reply' && m.deliveryState
      ? html`<span class="msg__delivery msg__delivery--${m.deliveryState}"
          >${T.deliveryStates[m.deliveryState]}</span
        >`
      : html``;
  const body =
    m.body === null
      ? html`<span class="msg__body muted">${K.bodyErased}</span>`
      : html`<span class="msg__body">${m.body}</span>`;
  return html`<li class="msg msg--${m.kind}" id="message-${m.id}">
    <p class="msg__meta">
      <span class="msg__kind">${T.messageKinds[m.kind]}</span>
      ${author && html`<span class="msg__author">${author}</span>`} ${timeTag(m.createdAt)}
      ${delivery}
      ${m.answerVersionId !== null && html`<span class="msg__answer">${T.incidents.ticket.usedAnswer}</span>`}
    </p>
    ${body}
  </li>`;
}

/** The conversation, oldest first. */
export function ticketConversation(
  messages: readonly TicketMessageView[],
  options: ThreadOptions,
): SafeHtml {
  const sorted = [...messages].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id,
  );
  const list = sorted.length
    ? html`<ol class="thread thread--console">
        ${sorted.map((m) => ticketMessage(m, options))}
      </ol>`
    : html`<p class="empty">${K.conversationEmpty}</p>`;
  return html`<section aria-labelledby="conversation-heading">
    <h2 id="conversation-heading">${K.conversationHeading}</h2>
    ${list}
  </section>`;
}

/** The SLA state and its deadlines. */
export function ticketSlaCard(t: TicketDetail): SafeHtml {
  const s = K.sla;
  const done = (at: Date | null) =>
    at ? timeTag(at) : html`<span class="muted">${s.notYet}</span>`;
  return html`<section class="card" aria-labelledby="sla-heading">
    <h2 id="sla-heading">${K.slaHeading}</h2>
    <dl class="meta">
      <dt>${s.state}</dt>
      <dd>${slaBadge(t.slaState)}</dd>
      <dt>${s.firstResponseDue}</dt>
      <dd>${timeTag(t.firstResponseDueAt)}</dd>
      <dt>${s.firstResponded}</dt>
      <dd>${done(t.firstRespondedAt)}</dd>
      <dt>${s.resolutionDue}</dt>
      <dd>${timeTag(t.resolutionDueAt)}</dd>
      <dt>${s.resolved}</dt>
      <dd>${done(t.resolvedAt)}</dd>
    </dl>
  </section>`;
}
