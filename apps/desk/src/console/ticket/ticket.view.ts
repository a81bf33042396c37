import {
  type AffectedListIndicator,
  type FilledAnswer,
  type TicketDeterminationState,
} from '@madoguchi/incident-response';
import {
  type CannedResponseView,
  type HandBackState,
  type PresenceView,
  type SignatureView,
  TICKET_CATEGORY_KEYS,
  TICKET_PRIORITIES,
  type TicketDetail,
  type TicketStatus,
} from '@madoguchi/tickets';
import {
  errorSummary,
  type ErrorSummaryItem,
  formatText,
  html,
  isHttpUrl,
  phrases,
  SafeHtml,
  selectField,
  textArea,
} from '@madoguchi/ui';
import { affectedListIndicatorCard } from './affected-list-indicator.view';
import {
  alertBox,
  type ConsoleViewer,
  noticeBox,
  renderConsolePage,
  slaBadge,
  statusBadge,
  ticketFormFields,
  timeTag,
  SHARED_TEXTS,
} from '../../web';
import { handBackStateCard, merchantQuestionForm } from './merchant-question.view';
import { determinationCard, type DeterminationFormState } from '../../web/parts/determination.view';
import {
  mailOpeningMessageId,
  ticketConversation,
  ticketSlaCard,
} from '../../web/parts/ticket-thread.view';
import { attachmentInput } from '../../web/parts/attachments.view';
import { ATTACHMENT_PART_TEXTS } from '../../web/parts/attachments.texts';
import { DETERMINATION_TEXTS } from '../../web/parts/determination.texts';
import { ANSWER_TEMPLATE_TEXTS } from '../../web/parts/answer-template.texts';
import { TICKET_TEXTS } from './ticket.texts';
import { mergeNotices, requesterHistoryCard } from './merge.view';
import { SIGNATURE_TEXTS } from '../../account/signature/signature.texts';

const S = SHARED_TEXTS;
const K = TICKET_TEXTS;

/** Longest reply or note the console offers; the service validates the same limit. */
export const MESSAGE_MAX_LENGTH = 10000;

/** After sending a reply, the ticket moves to one of these (pending_customer by default). */
export const REPLY_NEXT_STATUSES = ['pending_customer', 'resolved', 'open'] as const;
export type ReplyNextStatus = (typeof REPLY_NEXT_STATUSES)[number];

/** What the agent typed, kept across a 400 or a 409 re-render. */
export interface TicketDrafts {
  reply?: string;
  nextStatus?: string;
  note?: string;
  status?: string;
  category?: string;
  priority?: string;
  cannedId?: string;
  /** The approved incident answer inserted into the reply (its version id). */
  answerVersionId?: string;
  /** A question to the merchant (merchant_query). */
  question?: string;
  /** What was told on the phone (a ticket without email; issue 15). */
  callNote?: string;
  /** Files had been chosen on the reply or the note when it came back: they must be chosen again. */
  replyFilesSent?: boolean;
  noteFilesSent?: boolean;
}

/** Field errors beside the fields; keys are the forms' field ids without `f-`. */
export interface TicketFieldErrors {
  'reply-body'?: string;
  'reply-attachments'?: string;
  'note-body'?: string;
  'note-attachments'?: string;
  'call-note-body'?: string;
  'question-body'?: string;
  'new-status'?: string;
  category?: string;
  priority?: string;
  assignee?: string;
}

export interface AssignableAgent {
  id: number;
  displayName: string;
}

export interface TicketPageParams {
  viewer: ConsoleViewer;
  ticket: TicketDetail;
  canned: readonly CannedResponseView[];
  /** Agents the ticket may be reassigned to; empty offers only 自分 / 担当を外す. */
  agents: readonly AssignableAgent[];
  drafts?: TicketDrafts;
  errors?: TicketFieldErrors;
  /** A stale version or a refused change: shown at the top, announced assertively. */
  alert?: string | null;
  notice?: string | null;
  /** Incident tickets: the answers approved for the ticket's merchant, filled in (8A). */
  answers?: readonly FilledAnswer[];
  /** leak_check tickets: the affected-list match and the end user's verification (8B). */
  affectedList?: AffectedListIndicator | null;
  /** A handed-back ticket: the merchant's side (answered, reminder); issue 13.5. */
  handBack?: HandBackState | null;
  /** Incident and leak_check tickets: the determination and its evidence (issue 13.1). */
  determination?: TicketDeterminationState | null;
  /** The agent's determination form as typed, kept across a 400. */
  determinationForm?: DeterminationFormState;
  /** Issue 15: colleagues on the ticket now, and its newest message (staff pages only). */
  live?: TicketLivePart | null;
  /** Issue 15: the signature the viewer's replies end with (set on /account/signature). */
  signature?: SignatureView | null;
}

/** What the ticket page's script starts from: who else is here, the newest message shown. */
export interface TicketLivePart {
  others: readonly PresenceView[];
  lastMessageId: number | null;
}

const ERROR_ORDER: readonly (keyof TicketFieldErrors)[] = [
  'reply-body',
  'reply-attachments',
  'note-body',
  'note-attachments',
  'call-note-body',
  'question-body',
  'new-status',
  'category',
  'priority',
  'assignee',
];

function ticketPath(t: TicketDetail, suffix = ''): string {
  return `/tickets/${encodeURIComponent(t.reference)}${suffix}`;
}

/** The console's scoped, audited download of one of the ticket's files. */
export function consoleAttachmentPath(reference: string, attachmentId: number): string {
  return `/tickets/${encodeURIComponent(reference)}/attachments/${attachmentId}`;
}

function requesterValue(value: string | null, erased: boolean): SafeHtml {
  if (value) return html`${value}`;
  return html`<span class="muted">${erased ? K.requester.erased : S.common.none}</span>`;
}

function requesterCard(t: TicketDetail): SafeHtml {
  const r = t.requester;
  const erased = r.name === null && r.email === null;
  const email = r.email
    ? html`<a href="mailto:${r.email}" class="literal">${r.email}</a>`
    : requesterValue(null, erased);
  const phone = r.phone
    ? html`<span class="literal">${r.phone}</span>`
    : requesterValue(null, false);
  return html`<section class="card" aria-labelledby="requester-heading">
    <h2 id="requester-heading">${phrases(K.requesterHeading)}</h2>
    <dl class="meta">
      <dt>${K.requester.name}</dt>
      <dd>${requesterValue(r.name, erased)}</dd>
      <dt>${K.requester.email}</dt>
      <dd>${email}</dd>
      <dt>${K.requester.phone}</dt>
      <dd>${phone}</dd>
      <dt>${K.requester.orderNumber}</dt>
      <dd>
        ${r.orderNumber ? html`<span class="literal">${r.orderNumber}</span>` : S.common.none}
      </dd>
    </dl>
  </section>`;
}

function detailsCard(t: TicketDetail): SafeHtml {
  const d = K.details;
  return html`<section class="card" aria-labelledby="details-heading">
    <h2 id="details-heading">${phrases(K.detailsHeading)}</h2>
    <dl class="meta">
      <dt>${d.merchant}</dt>
      <dd>${t.merchantName}</dd>
      <dt>${d.site}</dt>
      <dd>${t.siteName ?? S.common.none}</dd>
      <dt>${d.queue}</dt>
      <dd><a href="/queues/${t.queueId}">${S.nav.queues} #${t.queueId}</a></dd>
      <dt>${d.channel}</dt>
      <dd>${S.channels[t.channel]}</dd>
      <dt>${d.status}</dt>
      <dd>${statusBadge(t.status)}</dd>
      <dt>${d.category}</dt>
      <dd>${S.categories[t.category]}</dd>
      ${
        t.incident &&
        html`<dt>${d.incident}</dt>
          <dd>${t.incident.title}</dd>`
      }
      <dt>${d.priority}</dt>
      <dd><span class="priority priority--${t.priority}">${S.priorities[t.priority]}</span></dd>
      <dt>${d.assignee}</dt>
      <dd>${t.assignee ? t.assignee.displayName : S.common.unassigned}</dd>
      <dt>${d.createdAt}</dt>
      <dd>${timeTag(t.createdAt)}</dd>
      <dt>${d.updatedAt}</dt>
      <dd>${timeTag(t.updatedAt)}</dd>
    </dl>
  </section>`;
}

function assigneeNotice(t: TicketDetail, viewer: ConsoleViewer): SafeHtml {
  if (!t.assignee) return html``;
  if (t.assignee.id === viewer.id) {
    return html`<p class="assignee-note assignee-note--me">${K.assignedToMe}</p>`;
  }
  return html`<p class="assignee-note assignee-note--other">
    <span aria-hidden="true">👤 </span
    >${formatText(K.assignedToOther, { name: t.assignee.displayName })}
  </p>`;
}

function cannedPicker(p: TicketPageParams): SafeHtml {
  if (p.canned.length === 0) return html`<p class="small muted">${K.cannedNone}</p>`;
  const options = p.canned.map((c) => ({ value: String(c.id), label: c.title }));
  // A GET form: without JS it reloads the page with the text pre-filled; console.js fetches it instead.
  return html`<form
    class="canned"
    method="get"
    action="${ticketPath(p.ticket)}"
    data-canned-url="/api/v1${ticketPath(p.ticket, '/canned-responses/')}"
    data-canned-target="f-reply-body"
  >
    ${selectField({
      name: 'canned',
      label: K.cannedLabel,
      options,
      placeholder: K.cannedPlaceholder,
      value: p.drafts?.cannedId,
    })}
    <button class="btn btn--ghost" type="submit">${K.cannedInsert}</button>
  </form>`;
}

/**
 * Incident tickets: the answers the ticket's merchant approved (newest approved version of
 * each template). A GET form like the canned picker: 挿入 reloads the page with the filled text
 * and the version id in the reply form, so the reply records which version it used.
 */
function answerPicker(p: TicketPageParams): SafeHtml {
  const t = p.ticket;
  if (t.incident === null) return html``;
  const A = K.incidentAnswers;
  const answers = p.answers ?? [];
  if (answers.length === 0) return html`<p class="small muted">${A.none}</p>`;
  const options = answers.map((answer) => ({
    value: String(answer.versionId),
    label:
      formatText(A.option, {
        title: answer.title,
        version: answer.version,
        purpose: ANSWER_TEMPLATE_TEXTS.purposes[answer.purpose],
      }) + notAllowedMark(p, answer.purpose),
  }));
  // console.js inserts the filled text at the cursor and records the version (no reload).
  return html`<form
    class="canned answers"
    method="get"
    action="${ticketPath(t)}"
    data-answer-url="/api/v1${ticketPath(t, '/approved-answers')}"
    data-canned-target="f-reply-body"
  >
    ${selectField({
      name: 'answer',
      id: 'f-answer',
      label: formatText(A.label, { merchant: t.merchantName }),
      options,
      placeholder: A.placeholder,
      value: p.drafts?.answerVersionId,
    })}
    <button class="btn btn--ghost" type="submit">${A.insert}</button>
  </form>`;
}

/** Issue 13.1: a leak answer the ticket's determination does not allow says so in the picker. */
function notAllowedMark(p: TicketPageParams, purpose: FilledAnswer['purpose']): string {
  if (purpose !== 'leak_included' && purpose !== 'leak_not_included') return '';
  return p.determination?.allows[purpose] ? '' : DETERMINATION_TEXTS.notAllowedOption;
}

/** The hidden version id of an inserted answer, with a line saying it will be recorded. */
function insertedAnswer(p: TicketPageParams): SafeHtml {
  const id = p.drafts?.answerVersionId;
  const answer = id ? (p.answers ?? []).find((row) => String(row.versionId) === id) : undefined;
  if (!answer) return html``;
  return html`<input type="hidden" name="answerVersionId" value="${answer.versionId}" />
    <p class="notice small" id="inserted-answer">
      ${formatText(K.incidentAnswers.inserted, {
        title: answer.title,
        version: answer.version,
      })}
    </p>`;
}

function replyForm(p: TicketPageParams, fields: SafeHtml): SafeHtml {
  const t = p.ticket;
  if (t.requester.email === null) return callNoteForm(p, fields);
  const next = p.drafts?.nextStatus ?? 'pending_customer';
  const radios = REPLY_NEXT_STATUSES.map(
    (status) =>
      html`<div class="radio">
        <input
          class="radio__input"
          type="radio"
          id="f-next-${status}"
          name="nextStatus"
          value="${status}"
          ${next === status ? html`checked` : ''}
        />
        <label class="radio__label" for="f-next-${status}">${K.nextStatus[status]}</label>
      </div>`,
  );
  return html`<section class="card card--reply" aria-labelledby="reply-heading">
    <h2 id="reply-heading">${phrases(K.replyHeading)}</h2>
    ${answerPicker(p)} ${cannedPicker(p)}
    <form
      class="form"
      method="post"
      action="${ticketPath(t, '/replies')}"
      accept-charset="UTF-8"
      enctype="multipart/form-data"
    >
      ${fields} ${insertedAnswer(p)}
      ${textArea({
        name: 'body',
        id: 'f-reply-body',
        label: K.replyLabel,
        hint: formatText(K.replyHint, { merchant: t.merchantName }),
        warning: K.cardWarning,
        value: p.drafts?.reply,
        error: p.errors?.['reply-body'],
        required: true,
        requiredMark: S.common.requiredMark,
        maxLength: MESSAGE_MAX_LENGTH,
        rows: 10,
      })}
      ${signatureLine(p.signature ?? null)}
      <fieldset class="fieldset">
        <legend class="field__label">${K.nextStatusLabel}</legend>
        ${radios}
      </fieldset>
      ${attachmentInput({
        id: 'f-reply-attachments',
        hint: ATTACHMENT_PART_TEXTS.replyHint,
        error: p.errors?.['reply-attachments'],
        filesSent: p.drafts?.replyFilesSent,
        optionalMark: S.common.optionalMark,
      })}
      <button class="btn btn--primary" type="submit">${K.replySubmit}</button>
    </form>
  </section>`;
}

function noteForm(p: TicketPageParams, fields: SafeHtml): SafeHtml {
  return html`<section class="card card--note" aria-labelledby="note-heading">
    <h2 id="note-heading">${phrases(K.noteHeading)}</h2>
    <form
      class="form"
      method="post"
      action="${ticketPath(p.ticket, '/notes')}"
      accept-charset="UTF-8"
      enctype="multipart/form-data"
    >
      ${fields}
      ${textArea({
        name: 'body',
        id: 'f-note-body',
        label: K.noteLabel,
        hint: K.noteHint,
        value: p.drafts?.note,
        error: p.errors?.['note-body'],
        required: true,
        requiredMark: S.common.requiredMark,
        maxLength: MESSAGE_MAX_LENGTH,
        rows: 4,
      })}
      ${attachmentInput({
        id: 'f-note-attachments',
        hint: ATTACHMENT_PART_TEXTS.noteHint,
        error: p.errors?.['note-attachments'],
        filesSent: p.drafts?.noteFilesSent,
        optionalMark: S.common.optionalMark,
      })}
      <button class="btn" type="submit">${K.noteSubmit}</button>
    </form>
  </section>`;
}

function statusForm(p: TicketPageParams, fields: SafeHtml): SafeHtml {
  const t = p.ticket;
  // Handing back mails the end user and the merchant: it has its own form with a confirm step.
  const allowed = t.allowedStatuses.filter((s) => s !== 'handed_back');
  const body = allowed.length
    ? html`<form class="form form--inline" method="post" action="${ticketPath(t, '/status')}">
        ${fields}
        ${selectField({
          name: 'status',
          id: 'f-new-status',
          label: K.statusLabel,
          options: allowed.map((s: TicketStatus) => ({ value: s, label: S.statuses[s] })),
          value: p.drafts?.status,
          error: p.errors?.['new-status'],
        })}
        <button class="btn" type="submit">${K.statusSubmit}</button>
      </form>`
    : html`<p class="small muted">${K.statusNone}</p>`;
  return html`<section class="card" aria-labelledby="status-heading">
    <h2 id="status-heading">${phrases(K.statusHeading)}</h2>
    ${body}
  </section>`;
}

function propertiesForm(p: TicketPageParams, fields: SafeHtml): SafeHtml {
  const t = p.ticket;
  return html`<section class="card" aria-labelledby="properties-heading">
    <h2 id="properties-heading">${phrases(K.propertiesHeading)}</h2>
    <form class="form" method="post" action="${ticketPath(t, '/properties')}">
      ${fields}
      ${selectField({
        name: 'category',
        label: K.categoryLabel,
        options: TICKET_CATEGORY_KEYS.map((c) => ({ value: c, label: S.categories[c] })),
        value: p.drafts?.category ?? t.category,
        error: p.errors?.category,
      })}
      ${selectField({
        name: 'priority',
        label: K.priorityLabel,
        options: TICKET_PRIORITIES.map((pr) => ({ value: pr, label: S.priorities[pr] })),
        value: p.drafts?.priority ?? t.priority,
        error: p.errors?.priority,
      })}
      <button class="btn" type="submit">${K.propertiesSubmit}</button>
    </form>
  </section>`;
}

function assignForm(p: TicketPageParams, fields: SafeHtml): SafeHtml {
  const t = p.ticket;
  const mine = t.assignee?.id === p.viewer.id;
  const action = ticketPath(t, '/assignment');
  const quick = mine
    ? html`<form method="post" action="${action}">
        ${fields}<input type="hidden" name="assignee" value="release" />
        <button class="btn btn--ghost" type="submit">${K.release}</button>
      </form>`
    : html`<form method="post" action="${action}">
        ${fields}<input type="hidden" name="assignee" value="me" />
        <button class="btn" type="submit">${K.assignMe}</button>
      </form>`;
  const others = p.agents.filter((a) => a.id !== t.assignee?.id);
  const reassign = others.length
    ? html`<form class="form form--inline" method="post" action="${action}">
        ${fields}
        ${selectField({
          name: 'assignee',
          id: 'f-assignee',
          label: K.reassignLabel,
          options: others.map((a) => ({ value: String(a.id), label: a.displayName })),
          error: p.errors?.assignee,
        })}
        <button class="btn btn--ghost" type="submit">${K.reassignSubmit}</button>
      </form>`
    : html``;
  const releaseOther =
    !mine && t.assignee
      ? html`<form method="post" action="${action}">
          ${fields}<input type="hidden" name="assignee" value="release" />
          <button class="btn btn--ghost" type="submit">${K.release}</button>
        </form>`
      : html``;
  return html`<section class="card" aria-labelledby="assign-heading">
    <h2 id="assign-heading">${phrases(K.assignHeading)}</h2>
    <div class="button-row">${quick}${releaseOther}</div>
    ${reassign}
  </section>`;
}

function handBackForm(p: TicketPageParams, fields: SafeHtml): SafeHtml {
  if (!p.ticket.allowedStatuses.includes('handed_back')) return html``;
  return html`<section class="card" aria-labelledby="hand-back-heading">
    <h2 id="hand-back-heading">${phrases(K.handBackHeading)}</h2>
    <p class="small">${K.handBackIntro}</p>
    <form method="post" action="${ticketPath(p.ticket, '/hand-back')}">
      ${fields}
      <button class="btn btn--ghost" type="submit">${K.handBackStart}</button>
    </form>
  </section>`;
}

function summaryItems(errors: TicketFieldErrors | undefined): ErrorSummaryItem[] {
  if (!errors) return [];
  return ERROR_ORDER.flatMap((field) => {
    const message = errors[field];
    return message ? [{ field, message }] : [];
  });
}

/** Issue 15: which signature the reply will end with, and where to set it. */
function signatureLine(signature: SignatureView | null): SafeHtml {
  const G = SIGNATURE_TEXTS;
  const line = signature ? formatText(G.replyLine, { name: signature.name }) : G.replyNone;
  return html`<p class="small muted" id="reply-signature">
    ${line} <a href="/account/signature">${G.replyLink}</a>
  </p>`;
}

/**
 * Issue 15: a ticket without an email address cannot be answered by mail. The reply box says
 * why and offers to record what was told on the phone instead (a call entry, not a first
 * response by itself).
 */
function callNoteForm(p: TicketPageParams, fields: SafeHtml): SafeHtml {
  const L = K.undeliverable;
  return html`<section
    class="card card--reply"
    aria-labelledby="reply-heading"
    data-reply-undeliverable
  >
    <h2 id="reply-heading">${phrases(K.replyHeading)}</h2>
    <p class="field__warning" id="reply-undeliverable">${L.reason}</p>
    <form
      class="form"
      method="post"
      action="${ticketPath(p.ticket, '/call-notes')}"
      accept-charset="UTF-8"
    >
      ${fields}
      ${textArea({
        name: 'body',
        id: 'f-call-note-body',
        label: L.label,
        hint: L.hint,
        // A reply posted anyway (an old page) comes back here: its text is kept.
        value: p.drafts?.callNote ?? p.drafts?.reply,
        error: p.errors?.['call-note-body'],
        required: true,
        requiredMark: S.common.requiredMark,
        maxLength: MESSAGE_MAX_LENGTH,
        rows: 5,
      })}
      <button class="btn btn--primary" type="submit">${L.submit}</button>
    </form>
  </section>`;
}

/**
 * Issue 15: who else is on this ticket (viewing or writing), across every desk instance. The
 * server draws it as it is now; console.js keeps it current with a heartbeat every 10 s and
 * watches for new messages (the texts it needs ride along as data-msg-*).
 */
function presenceBox(p: TicketPageParams): SafeHtml {
  const live = p.live;
  if (!live) return html``;
  const t = p.ticket;
  const L = K.presence;
  return html`<div
    class="presence"
    id="ticket-presence"
    data-presence-url="/api/v1${ticketPath(t, '/presence')}"
    data-queue-id="${t.queueId}"
    data-last-message-id="${live.lastMessageId ?? 0}"
    data-msg-viewing="${L.viewing}"
    data-msg-writing="${L.writing}"
    data-msg-new-messages="${L.newMessages}"
    data-msg-draft-restored="${L.draftRestored}"
    data-msg-replace-selection="${L.replaceSelection}"
  >
    <ul class="presence__list" aria-label="${L.label}">
      ${live.others.map((other) => presenceItem(other))}
    </ul>
  </div>`;
}

function presenceItem(other: PresenceView): SafeHtml {
  const text = formatText(other.state === 'writing' ? K.presence.writing : K.presence.viewing, {
    name: other.displayName,
  });
  return html`<li
    class="presence__item presence__item--${other.state}"
    data-user-id="${other.userId}"
  >
    <span aria-hidden="true">${other.state === 'writing' ? '✎ ' : '👁 '}</span>${text}
  </li>`;
}

/** The conversation, also the fragment console.js swaps in when a new message arrives. */
export function renderTicketConversation(t: TicketDetail): SafeHtml {
  return ticketConversation(t.messages, {
    showDelivery: true,
    attachmentHref: (file) => consoleAttachmentPath(t.reference, file.id),
    openedByMailMessageId: mailOpeningMessageId(t),
  });
}

export function renderTicketPage(p: TicketPageParams): string {
  const t = p.ticket;
  const fields = ticketFormFields(p.viewer.csrfToken, t.version);
  const items = summaryItems(p.errors);
  const work = p.viewer.canWork
    ? html`${replyForm(p, fields)} ${noteForm(p, fields)}
      ${merchantQuestionForm({
        ticket: t,
        fields,
        draft: p.drafts?.question,
        error: p.errors?.['question-body'],
      })}`
    : html`<p class="card muted">${S.common.readOnly}</p>`;
  const side = p.viewer.canWork
    ? html`${assignForm(p, fields)} ${statusForm(p, fields)} ${propertiesForm(p, fields)}
      ${handBackForm(p, fields)}`
    : html``;
  const heading = formatText(K.heading, { reference: t.reference });
  const main = html`${errorSummary(items, S.validation.summaryTitle)} ${alertBox(p.alert)}
    <div class="ticket-head">
      <h1>${phrases(heading)}</h1>
      <p class="ticket-head__badges">
        ${statusBadge(t.status)} ${slaBadge(t.slaState)}
        ${
          t.channel === 'email' &&
          html`<span class="badge badge--channel" data-channel="email"
            >${ATTACHMENT_PART_TEXTS.emailChannel}</span
          >`
        }
      </p>
    </div>
    ${noticeBox(p.notice)} ${mergeNotices(t)} ${assigneeNotice(t, p.viewer)} ${presenceBox(p)}
    <div class="ticket-layout" data-ticket-reference="${t.reference}">
      <div class="ticket-layout__main">
        <div
          id="ticket-conversation"
          data-conversation-url="${ticketPath(t, '?fragment=conversation')}"
        >
          ${renderTicketConversation(t)}
        </div>
        ${work}
      </div>
      <div class="ticket-layout__side">
        ${requesterCard(t)} ${requesterHistoryCard(t, p.viewer)}
        ${affectedListIndicatorCard(p.affectedList)}
        ${determinationCard(p.determination, {
          form: p.viewer.canWork
            ? {
                action: ticketPath(t, '/determinations'),
                csrfToken: p.viewer.csrfToken,
                state: p.determinationForm ?? {},
              }
            : undefined,
        })}
        ${detailsCard(t)} ${ticketSlaCard(t)} ${handBackStateCard(p.handBack)} ${side}
      </div>
    </div>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: formatText(K.title, { reference: t.reference }),
    section: 'queues',
    main,
    hasErrors: items.length > 0,
  });
}

/** Issue 15: without an email address the shopper gets no mail; the confirm step says so. */
function handBackConfirmItems(t: TicketDetail): readonly string[] {
  if (t.requester.email !== null) return K.handBackConfirmItems;
  return [K.handBackNoEmail, ...K.handBackConfirmItems.slice(1)];
}

export interface HandBackConfirmParams {
  viewer: ConsoleViewer;
  ticket: TicketDetail;
  /** The version the agent saw on the ticket page, so a change in between is still caught. */
  version: number;
}

/** The confirm step of a hand-back: says what will happen, then posts with confirm=yes. */
export function renderHandBackConfirm(p: HandBackConfirmParams): string {
  const t = p.ticket;
  const title = formatText(K.handBackConfirmTitle, { reference: t.reference });
  const contact = t.merchantContact;
  const contactLines =
    isHttpUrl(contact.url) || contact.text
      ? html`<dl class="meta">
          <dt>${K.handBackContact}</dt>
          <dd>
            ${isHttpUrl(contact.url) && html`<a href="${contact.url}" rel="noopener noreferrer">${contact.url}</a><br />`}
            ${contact.text && html`<span class="pre-wrap">${contact.text}</span>`}
          </dd>
        </dl>`
      : html`<p class="field__warning">${K.handBackNoContact}</p>`;
  const main = html`<h1>${phrases(title)}</h1>
    <div class="card">
      <ul class="steps">
        ${handBackConfirmItems(t).map((item) => html`<li>${formatText(item, { merchant: t.merchantName })}</li>`)}
      </ul>
      ${contactLines}
    </div>
    <div class="button-row">
      <form method="post" action="${ticketPath(t, '/hand-back')}">
        ${ticketFormFields(p.viewer.csrfToken, p.version)}
        <input type="hidden" name="confirm" value="yes" />
        <button class="btn btn--danger" type="submit">${K.handBackConfirm}</button>
      </form>
      <a class="btn btn--ghost" href="${ticketPath(t)}">${K.handBackCancel}</a>
    </div>`;
  return renderConsolePage({ viewer: p.viewer, title, section: 'queues', main });
}
