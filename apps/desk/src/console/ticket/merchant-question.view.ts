import type { HandBackState, TicketDetail } from '@madoguchi/tickets';
import { formatText, html, phrases, SafeHtml, textArea } from '@madoguchi/ui';
import { timeTag, SHARED_TEXTS } from '../../web';
import { TICKET_TEXTS } from './ticket.texts';

const S = SHARED_TEXTS;
const Q = TICKET_TEXTS.merchantQuestion;
const H = TICKET_TEXTS.handBackState;

/** Longest question the form offers; the service checks the same limit. */
const QUESTION_MAX_LENGTH = 10000;

export interface MerchantQuestionFormParams {
  ticket: TicketDetail;
  /** CSRF token and version fields of the ticket page. */
  fields: SafeHtml;
  draft?: string;
  error?: string;
}

/**
 * The agent's question to the merchant (a merchant_query message): sets "waiting on the
 * merchant", or asks more while it waits. The privacy rule is a visible warning beside the field
 * because the question is quoted in mail to the merchant's shared mailboxes.
 */
export function merchantQuestionForm(p: MerchantQuestionFormParams): SafeHtml {
  const t = p.ticket;
  const waiting = t.status === 'pending_merchant';
  if (!waiting && !t.allowedStatuses.includes('pending_merchant')) return html``;
  const lastQuestion = [...t.messages].reverse().find((m) => m.kind === 'merchant_query');
  return html`<section
    class="card card--merchant-query"
    aria-labelledby="merchant-question-heading"
  >
    <h2 id="merchant-question-heading">${phrases(waiting ? Q.headingMore : Q.heading)}</h2>
    ${
      waiting &&
      html`<p class="small">
        ${Q.waiting} ${lastQuestion ? timeTag(lastQuestion.createdAt) : S.common.none}
      </p>`
    }
    <p class="small">${Q.intro}</p>
    <form
      class="form"
      method="post"
      action="/tickets/${encodeURIComponent(t.reference)}/merchant-questions"
      accept-charset="UTF-8"
    >
      ${p.fields}
      ${textArea({
        name: 'body',
        id: 'f-question-body',
        label: Q.label,
        warning: Q.privacy,
        value: p.draft,
        error: p.error,
        required: true,
        requiredMark: S.common.requiredMark,
        maxLength: QUESTION_MAX_LENGTH,
        rows: 4,
      })}
      <button class="btn" type="submit">${Q.submit}</button>
    </form>
  </section>`;
}

/** After a hand-back: whether the merchant marked it answered, and the reminder. */
export function handBackStateCard(state: HandBackState | null | undefined): SafeHtml {
  if (!state) return html``;
  const answered = state.answeredAt
    ? html`<span class="badge badge--open"
          >${formatText(H.answeredBy, {
            name: state.answeredBy ?? H.answeredUnknown,
          })}</span
        >
        ${timeTag(state.answeredAt)}`
    : html`<span class="badge badge--handed_back">${H.notAnswered}</span>`;
  const reminder = state.remindedAt
    ? html`${timeTag(state.remindedAt)}`
    : state.answeredAt
      ? html`${S.common.none}`
      : html`${timeTag(state.reminderDueAt)}`;
  return html`<section class="card" aria-labelledby="hand-back-state-heading">
    <h2 id="hand-back-state-heading">${phrases(H.heading)}</h2>
    <dl class="meta">
      <dt>${H.handedBackAt}</dt>
      <dd>${timeTag(state.handedBackAt)}</dd>
      <dt>${H.answered}</dt>
      <dd data-hand-back-answered="${state.answeredAt ? 'yes' : 'no'}">${answered}</dd>
      <dt>${H.reminder}</dt>
      <dd>${reminder}</dd>
    </dl>
  </section>`;
}
