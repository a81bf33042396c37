import type { AttachmentInfo, TicketDetail, TicketMessageView } from '@madoguchi/tickets';
import { formatText, html, phrases, SafeHtml } from '@madoguchi/ui';
import { slaBadge, timeTag } from '..';
import { ATTACHMENT_PART_TEXTS } from './attachments.texts';
import { messageAttachments } from './attachments.view';
import { THREAD_TEXTS } from './ticket-thread.texts';
import { mergedFromMark } from './merged-from.view';

const K = THREAD_TEXTS;
const A = ATTACHMENT_PART_TEXTS;

/** Parts of a ticket shown alike to agents (console) and merchant users (portal). */
export interface ThreadOptions {
  /** Show a reply's mail delivery state (the agent's concern). */
  showDelivery: boolean;
  /** Where a message's file is downloaded: the console's or the portal's scoped, audited route. */
  attachmentHref?: (file: AttachmentInfo) => string;
  /** The ticket came in by mail (channel email): its opening message is marked so. */
  openedByMailMessageId?: number | null;
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

/**
 * A reply whose mail never arrived (a bounce, or the outbox gave up) says so in words on the
 * reply itself, with the reason the mail server gave when it is known.
 */
function deliveryFailure(m: TicketMessageView, options: ThreadOptions): SafeHtml {
  if (!options.showDelivery || m.kind !== 'reply' || m.deliveryState !== 'failed') return html``;
  const reason = m.deliveryFailure ?? null;
  return html`<div class="msg__delivery-failed" data-delivery-failed>
    <p class="msg__delivery-failed-title">
      <span aria-hidden="true">⚠ </span><strong>${A.deliveryFailed}</strong>
    </p>
    <p class="small">${A.deliveryFailedHelp}</p>
    ${reason && html`<p class="small literal">${formatText(A.deliveryFailedReason, { reason })}</p>`}
  </div>`;
}

function ticketMessage(m: TicketMessageView, options: ThreadOptions): SafeHtml {
  const author =
    m.author?.displayName ??
    (m.kind === 'customer' ? null : m.kind === 'reply' ? K.authorRules : K.authorUnknown);
  const delivery =
    options.showDelivery && m.kind === 'reply' && m.deliveryState
      ? html`<span class="msg__delivery msg__delivery--${m.deliveryState}"
          >${K.deliveryStates[m.deliveryState]}</span
        >`
      : html``;
  const byMail =
    options.openedByMailMessageId === m.id
      ? html`<span class="msg__channel msg__channel--email" data-channel="email"
          >${A.receivedByMail}</span
        >`
      : html``;
  const files = options.attachmentHref
    ? messageAttachments(m.attachments, options.attachmentHref)
    : html``;
  const body =
    m.body === null
      ? html`<span class="msg__body muted">${K.bodyErased}</span>`
      : html`<span class="msg__body">${m.body}</span>`;
  return html`<li class="msg msg--${m.kind}" id="message-${m.id}">
    <p class="msg__meta">
      <span class="msg__kind">${K.messageKinds[m.kind]}</span>
      ${author && html`<span class="msg__author">${author}</span>`} ${timeTag(m.createdAt)}
      ${byMail} ${delivery} ${answerMark(m)} ${mergedFromMark(m)}
    </p>
    ${deliveryFailure(m, options)} ${body} ${files}
  </li>`;
}

/**
 * The message a mail opened the ticket with (channel email: its first customer message), so it
 * can be marked 「メールで受信」; null for tickets of other channels.
 */
export function mailOpeningMessageId(t: Pick<TicketDetail, 'channel' | 'messages'>): number | null {
  if (t.channel !== 'email') return null;
  const customer = t.messages.filter((m) => m.kind === 'customer');
  return customer.reduce<number | null>(
    (first, m) => (first === null || m.id < first ? m.id : first),
    null,
  );
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
    <h2 id="conversation-heading">${phrases(K.conversationHeading)}</h2>
    ${list}
  </section>`;
}

/** The SLA state and its deadlines. */
export function ticketSlaCard(t: TicketDetail): SafeHtml {
  const s = K.sla;
  const done = (at: Date | null) =>
    at ? timeTag(at) : html`<span class="muted">${s.notYet}</span>`;
  return html`<section class="card" aria-labelledby="sla-heading">
    <h2 id="sla-heading">${phrases(K.slaHeading)}</h2>
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
