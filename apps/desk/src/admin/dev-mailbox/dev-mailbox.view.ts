import { DEV_MAILBOX_ROWS, type DevMailboxEntry } from '@madoguchi/mail';
import {
  formatText,
  formatTokyoDateTime,
  html,
  isHttpUrl,
  phrases,
  type SafeHtml,
} from '@madoguchi/ui';
import { type ConsoleViewer, renderConsolePage } from '../../web';
import { adminSubnav } from '../shared/admin-subnav.view';
import { DEV_MAILBOX_TEXTS } from './dev-mailbox.texts';

const D = DEV_MAILBOX_TEXTS;

export const DEV_MAILBOX_PATH = '/admin/dev-mailbox';

/** An http(s) URL in plain text: the characters RFC 3986 allows, nothing else (no spaces, no 「」). */
const URL_IN_TEXT = /https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/g;
/** Punctuation that ends a sentence rather than the URL before it. */
const TRAILING_PUNCTUATION = new Set([...'.,;:!?\'")]']);

/** The URL without that punctuation, one character at a time (a `/[…]+$/` backtracks quadratically). */
function withoutTrailingPunctuation(url: string): string {
  let end = url.length;
  while (end > 0 && TRAILING_PUNCTUATION.has(url[end - 1] ?? '')) end--;
  return url.slice(0, end);
}

/**
 * Mail text with its http(s) URLs as links. Every piece goes through the escaping `html`
 * template, the href too, and only an http(s) URL becomes a link: a `javascript:` text stays
 * text, and markup in a mail is shown as written, never run.
 */
export function linkifiedText(text: string): SafeHtml {
  const pieces: SafeHtml[] = [];
  let shownUpTo = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const url = withoutTrailingPunctuation(match[0]);
    if (url === '' || !isHttpUrl(url)) continue;
    pieces.push(html`${text.slice(shownUpTo, match.index)}`);
    pieces.push(html`<a href="${url}" rel="noopener noreferrer" target="_blank">${url}</a>`);
    shownUpTo = match.index + url.length;
  }
  pieces.push(html`${text.slice(shownUpTo)}`);
  return html`${pieces}`;
}

function mailArticle(entry: DevMailboxEntry): SafeHtml {
  const C = D.columns;
  const mail = entry.mail;
  const subject = mail ? mail.subject || D.noSubject : D.unreadable;
  const meta = html`<dl class="meta meta--compact">
    ${
      mail &&
      html`<dt>${C.to}</dt>
        <dd class="literal" data-mail-to>${mail.to}</dd>
        <dt>${C.from}</dt>
        <dd>${mail.fromName}</dd>
        ${
          mail.replyTo &&
          html`<dt>${C.replyTo}</dt>
            <dd class="literal">${mail.replyTo}</dd>`
        }`
    }
    <dt>${C.state}</dt>
    <dd data-mail-state="${entry.status}">${D.states[entry.status]}</dd>
    <dt>${C.createdAt}</dt>
    <dd>${formatTokyoDateTime(entry.createdAt)}</dd>
    ${
      entry.sentAt &&
      html`<dt>${C.sentAt}</dt>
        <dd>${formatTokyoDateTime(entry.sentAt)}</dd>`
    }
    ${
      mail &&
      mail.attachmentCount > 0 &&
      html`<dt>${C.attachments}</dt>
        <dd>${formatText(D.attachmentCount, { count: mail.attachmentCount })}</dd>`
    }
    ${
      entry.lastError &&
      html`<dt>${C.lastError}</dt>
        <dd class="literal small">${entry.lastError}</dd>`
    }
  </dl>`;
  return html`<li class="dev-mail card" id="mail-${entry.id}" data-mail-id="${entry.id}">
    <article aria-labelledby="mail-${entry.id}-subject">
      <h2 class="dev-mail__subject" id="mail-${entry.id}-subject">#${entry.id} ${subject}</h2>
      ${meta}
      ${
        mail &&
        // A <span> (display: block in console.css): formatters add no whitespace that pre-wrap would show.
        html`<span class="dev-mail__text" aria-label="${D.bodyLabel}" data-mail-text
          >${linkifiedText(mail.text)}</span
        >`
      }
    </article>
  </li>`;
}

export interface DevMailboxParams {
  viewer: ConsoleViewer;
  entries: readonly DevMailboxEntry[];
}

/** `/admin/dev-mailbox`: the newest mails of the outbox, whole, with their links clickable. */
export function renderDevMailbox(p: DevMailboxParams): string {
  const list = p.entries.length
    ? html`<ol class="dev-mail-list" aria-label="${D.listLabel}">
        ${p.entries.map(mailArticle)}
      </ol>`
    : html`<p class="card muted">${D.empty}</p>`;
  const main = html`${adminSubnav('dev-mailbox', p.viewer)}
    <h1>${phrases(D.heading)}</h1>
    <p>${formatText(D.intro, { rows: DEV_MAILBOX_ROWS })}</p>
    <p class="small">${D.statusLinkHint}</p>
    ${list}`;
  return renderConsolePage({ viewer: p.viewer, title: D.title, section: 'admin', main });
}
