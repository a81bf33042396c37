import {
  button,
  errorSummary,
  formatText,
  formatTokyoDateTime,
  html,
  SafeHtml,
  textArea,
} from '@madoguchi/ui';
import {
  attachmentField,
  type AttachmentLink,
  attachmentList,
} from '../attachments/attachment-field.view';
import { INTAKE_ATTACHMENT_TEXTS } from '../attachments/attachments.texts';
import { INTAKE_TEXTS } from '../i18n/ja';
import { INQUIRY_FIELD_MAX_LENGTHS } from './inquiry-form.view';
import { leakCheckSection, type LeakCheckSection } from './leak-check.view';
import { phoneWindow, renderIntakePage } from './intake-page.view';
import { SiteBranding } from './site-branding.type';

const T = INTAKE_TEXTS;

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

export interface StatusPageParams {
  site: SiteBranding;
  reference: string;
  /** Already in end-user words, e.g. INTAKE_TEXTS.statusLabels[status]. */
  statusLabel: string;
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
  if (p.messages.length === 0) return html`<p class="empty">${T.status.empty}</p>`;
  // Oldest first, newest last, like any chat; copied so the caller's array is left alone.
  const sorted = [...p.messages].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const replyAuthor = formatText(T.status.authorReply, { name: p.site.merchantName });
  const items = sorted.map((m) => {
    const author = m.kind === 'customer' ? T.status.authorYou : replyAuthor;
    const correction = m.correction
      ? html`<strong class="msg__correction">${T.status.correctionMark}</strong>`
      : html``;
    const corrected = m.corrected
      ? html`<p class="msg__corrected" role="note">${T.status.correctedNote}</p>`
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
  if (p.replyAction === null) return html`<p class="card">${T.status.replyClosed}</p>`;
  const max = INQUIRY_FIELD_MAX_LENGTHS.message;
  return html`<section class="card" aria-labelledby="reply-heading">
    <h2 id="reply-heading">${T.status.replyHeading}</h2>
    <form
      class="form"
      method="post"
      action="${p.replyAction}"
      accept-charset="UTF-8"
      enctype="multipart/form-data"
    >
      ${textArea({
        name: 'message',
        label: T.status.replyLabel,
        hint: formatText(T.status.replyHint, { max }),
        warning: T.form.cardNumberWarning,
        value: p.replyValue,
        error: p.replyError,
        required: true,
        requiredMark: T.common.requiredMark,
        maxLength: max,
        rows: 6,
      })}
      ${attachmentField({
        hint: INTAKE_ATTACHMENT_TEXTS.replyHint,
        error: p.attachmentError,
        filesSent: p.filesSent,
        optionalMark: T.common.optionalMark,
      })}
      ${button(T.status.replySubmit)}
    </form>
  </section>`;
}

export function renderStatusPage(p: StatusPageParams): string {
  const s = T.status;
  const errors = [
    ...(p.replyError ? [{ field: 'message', message: p.replyError }] : []),
    ...(p.attachmentError ? [{ field: 'attachments', message: p.attachmentError }] : []),
  ];
  const summary = errorSummary(errors, T.validation.summaryTitle);
  const notice = p.notice ? html`<div class="notice" role="status">${p.notice}</div>` : html``;

  const main = html`${summary}
    <h1>${s.heading}</h1>
    ${notice}
    <div class="card">
      <dl class="meta">
        <dt>${s.reference}</dt>
        <dd>${p.reference}</dd>
        <dt>${s.status}</dt>
        <dd><span class="status-badge">${p.statusLabel}</span></dd>
        <dt>${s.category}</dt>
        <dd>${p.categoryLabel}</dd>
        <dt>${s.createdAt}</dt>
        <dd>${timeTag(p.createdAt)}</dd>
      </dl>
    </div>
    <section aria-labelledby="conversation-heading">
      <h2 id="conversation-heading">${s.conversationHeading}</h2>
      ${conversation(p)}
    </section>
    ${leakCheckSection(p.leakCheck)} ${replyForm(p)} ${phoneWindow(p.site, true)}
    <p class="small muted">${s.privateNote}</p>`;

  return renderIntakePage({ site: p.site, title: s.title, hasErrors: errors.length > 0, main });
}
