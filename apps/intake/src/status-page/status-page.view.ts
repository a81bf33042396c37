import {
  button,
  errorSummary,
  formatText,
  formatTokyoDateTime,
  html,
  phrases,
  SafeHtml,
  textArea,
} from '@madoguchi/ui';
import type { TicketStatus } from '@madoguchi/tickets';
import {
  attachmentField,
  type AttachmentLink,
  attachmentList,
} from '../attachments/attachment-field.view';
import { INTAKE_ATTACHMENT_TEXTS } from '../attachments/attachments.texts';
import { INQUIRY_FORM_TEXTS } from '../inquiry/inquiry-form.texts';
import { INQUIRY_FIELD_MAX_LENGTHS } from '../inquiry/inquiry-form.view';
import { phoneWindow, renderIntakePage } from '../web/intake-page.view';
import { INTAKE_SHARED_TEXTS } from '../web/shared.texts';
import type { SiteBranding } from '../web/site-branding.type';
import { leakCheckHasError, leakCheckSection, type LeakCheckSection } from './leak-check.view';
import { STATUS_PAGE_TEXTS } from './status-page.texts';

const S = STATUS_PAGE_TEXTS;
const COMMON = INTAKE_SHARED_TEXTS.common;

export interface StatusPageMessage {
  kind: 'customer' | 'reply';
  body: string;
  createdAt: Date;
  /** A reply a later correction replaced: marked, with a pointer to the correction below. */
  corrected?: boolean;
  /** A correction of an earlier reply: marked 【訂正】. */
  correction?: boolean;
  /** The message's files, each a download link by the page's token. */
  attachments?: AttachmentLink[];
}

/**
 * The badge's colour says what the status means to the shopper, never the brand's colour (a
 * red brand made 受付済み look like an alarm): informative while the desk works on it, a call to
 * act when the desk waits for the shopper, done when answered, quiet when finished.
 */
export type StatusTone = 'info' | 'action' | 'done' | 'closed';

const STATUS_TONES: Record<TicketStatus, StatusTone> = {
  new: 'info',
  open: 'info',
  pending_merchant: 'info',
  pending_customer: 'action',
  resolved: 'done',
  closed: 'closed',
  handed_back: 'closed',
};

export function statusToneOf(status: TicketStatus): StatusTone {
  return STATUS_TONES[status];
}

export interface StatusPageParams {
  site: SiteBranding;
  reference: string;
  /** Already in end-user words, e.g. STATUS_PAGE_TEXTS.statusLabels[status]. */
  statusLabel: string;
  statusTone: StatusTone;
  /** When the first answer can be expected (expectedAnswerSentence); null once answered. */
  expectedAnswer?: string | null;
  categoryLabel: string;
  createdAt: Date;
  /** Public messages only (never notes); any order, shown oldest first. */
  messages: StatusPageMessage[];
  /** Where the reply form posts; null hides the form (the ticket takes no more replies). */
  replyAction: string | null;
  replyValue?: string;
  replyError?: string;
  /** Why the reply's files were refused. */
  attachmentError?: string;
  /** Files sent with a reply that comes back: they must be chosen again. */
  filesSent?: number;
  /** A one-line confirmation such as 送信しました, announced politely. */
  notice?: string;
  /** leak_check tickets: the verified "was my data included?" check (issue 8B). */
  leakCheck?: LeakCheckSection | null;
}

function timeTag(date: Date): SafeHtml {
  return html`<time datetime="${date.toISOString()}">${formatTokyoDateTime(date)}</time>`;
}

function conversation(p: StatusPageParams): SafeHtml {
  if (p.messages.length === 0) return html`<p class="empty">${S.empty}</p>`;
  // Oldest first, newest last, like any chat; copied so the caller's array is left alone.
  const sorted = [...p.messages].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const replyAuthor = formatText(S.authorReply, { name: p.site.merchantName });
  const items = sorted.map((m) => {
    const author = m.kind === 'customer' ? S.authorYou : replyAuthor;
    const correction = m.correction
      ? html`<strong class="msg__correction">${S.correctionMark}</strong>`
      : html``;
    const corrected = m.corrected
      ? html`<p class="msg__corrected" role="note">${S.correctedNote}</p>`
      : html``;
    // A <span> (display:block in CSS) because formatters never add whitespace inside inline
    // elements, and the body is shown with white-space: pre-wrap.
    return html`<li class="msg msg--${m.kind}${m.corrected ? ' msg--corrected' : ''}">
      <p class="msg__meta">
        ${correction}<span class="msg__author">${author}</span>${timeTag(m.createdAt)}
      </p>
      ${corrected}
      <span class="msg__body">${m.body}</span>
      ${attachmentList(m.attachments ?? [])}
    </li>`;
  });
  return html`<ol class="thread">
    ${items}
  </ol>`;
}

function replyForm(p: StatusPageParams): SafeHtml {
  if (p.replyAction === null) return html`<p class="card">${S.replyClosed}</p>`;
  const max = INQUIRY_FIELD_MAX_LENGTHS.message;
  return html`<section class="card" aria-labelledby="reply-heading">
    <h2 id="reply-heading">${phrases(S.replyHeading)}</h2>
    <form
      class="form"
      method="post"
      action="${p.replyAction}"
      accept-charset="UTF-8"
      enctype="multipart/form-data"
    >
      ${textArea({
        name: 'message',
        label: S.replyLabel,
        hint: formatText(S.replyHint, { max }),
        warning: INQUIRY_FORM_TEXTS.form.cardNumberWarning,
        value: p.replyValue,
        error: p.replyError,
        required: true,
        requiredMark: COMMON.requiredMark,
        maxLength: max,
        rows: 6,
      })}
      ${attachmentField({
        hint: INTAKE_ATTACHMENT_TEXTS.replyHint,
        error: p.attachmentError,
        filesSent: p.filesSent,
        optionalMark: COMMON.optionalMark,
      })}
      ${button(S.replySubmit)}
    </form>
  </section>`;
}

export function renderStatusPage(p: StatusPageParams): string {
  const errors = [
    ...(p.replyError ? [{ field: 'message', message: p.replyError }] : []),
    ...(p.attachmentError ? [{ field: 'attachments', message: p.attachmentError }] : []),
  ];
  const summary = errorSummary(errors, COMMON.errorSummaryTitle);
  const notice = p.notice ? html`<div class="notice" role="status">${p.notice}</div>` : html``;

  const main = html`${summary}
    <h1>${phrases(S.heading)}</h1>
    ${notice}
    <div class="card">
      <dl class="meta">
        <dt>${S.reference}</dt>
        <dd>${p.reference}</dd>
        <dt>${S.status}</dt>
        <dd>
          <span class="status-badge status-badge--${p.statusTone}">${p.statusLabel}</span>
        </dd>
        <dt>${S.category}</dt>
        <dd>${p.categoryLabel}</dd>
        <dt>${S.createdAt}</dt>
        <dd>${timeTag(p.createdAt)}</dd>
      </dl>
      ${
        p.expectedAnswer
          ? html`<p class="expected-answer">
              <strong>${S.expectedAnswer}</strong><span>${p.expectedAnswer}</span>
            </p>`
          : html``
      }
    </div>
    <section aria-labelledby="conversation-heading">
      <h2 id="conversation-heading">${phrases(S.conversationHeading)}</h2>
      ${conversation(p)}
    </section>
    ${leakCheckSection(p.leakCheck)} ${replyForm(p)} ${phoneWindow(p.site, true)}
    <p class="small muted">${S.privateNote}</p>`;

  const hasErrors = errors.length > 0 || leakCheckHasError(p.leakCheck);
  return renderIntakePage({ site: p.site, title: S.title, hasErrors, main });
}
