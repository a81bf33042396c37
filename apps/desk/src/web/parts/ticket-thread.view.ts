import type { TicketDetail, TicketMessageView } from '@madoguchi/tickets';
import { formatText, html, SafeHtml } from '@madoguchi/ui';
import { slaBadge, timeTag } from '..';
import { THREAD_TEXTS } from './ticket-thread.texts';

const K = THREAD_TEXTS;

/** Parts of a ticket shown alike to agents (console) and merchant users (portal). */
export interface ThreadOptions {
  /** Show a reply's mail delivery state (the agent's concern). */
  showDelivery: boolean;
}

/**
 * Issue 13.2/13.3: which approved version a reply used and whether it went out verbatim or
 * edited; a correction is marked 【訂正】.
 */
function answerMark(m: TicketMessageView): SafeHtml {
  const A = K.answer;
  const correction =
    m.correctsMessageId === null
      ? html``
      : html`<span class="msg__answer msg__answer--correction">${A.correctionMark}</span>`;
  if (m.answerVersionId === null) return correction;
  const label =
    m.answerVersion === null
      ? A.usedAnswer
      : formatText(
          m.answerProvenance === 'edited'
            ? A.usedAnswerEdited
            : m.answerProvenance === 'verbatim'
              ? A.usedAnswerVerbatim
              : A.usedAnswerVersion,
          { version: m.answerVersion },
        );
  return html`${correction}<span class="msg__answer msg__answer--${m.answerProvenance ?? 'unknown'}"
      >${label}</span
    >`;
}

function ticketMessage(m: TicketMessageView, options: ThreadOptions): SafeHtml {
  const author = m.author?.displayName ?? (m.kind === 'customer' ? null : K.authorUnknown);
  const delivery =
    options.showDelivery && m.kind === 'reply' && m.deliveryState
      ? html`<span class="msg__delivery msg__delivery--${m.deliveryState}"
          >${K.deliveryStates[m.deliveryState]}</span
        >`
      : html``;
  const body =
    m.body === null
      ? html`<span class="msg__body muted">${K.bodyErased}</span>`
      : html`<span class="msg__body">${m.body}</span>`;
  return html`<li class="msg msg--${m.kind}" id="message-${m.id}">
    <p class="msg__meta">
      <span class="msg__kind">${K.messageKinds[m.kind]}</span>
      ${author && html`<span class="msg__author">${author}</span>`} ${timeTag(m.createdAt)}
      ${delivery} ${answerMark(m)}
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
