import {
  CALL_OUTCOMES,
  type CallbackItem,
  type CallDetail,
  type CallerTicket,
  type CallLogItem,
  type WaitingCall,
} from '@madoguchi/calls';
import { TICKET_CATEGORY_KEYS, type Page } from '@madoguchi/tickets';
import {
  dataTable,
  errorSummary,
  formatText,
  html,
  isHttpUrl,
  raw,
  SafeHtml,
  selectField,
  textArea,
  textField,
} from '@madoguchi/ui';
import {
  type ConsoleViewer,
  csrfField,
  noticeBox,
  alertBox,
  renderConsolePage,
  timeTag,
  SHARED_TEXTS,
} from '../../web';
import { CONSOLE_VOICE_SCRIPT_ASSET } from '../../assets/console-assets';
import { CALLS_TEXTS } from './calls.texts';

const S = SHARED_TEXTS;
const C = CALLS_TEXTS;

export const CONSOLE_VOICE_SCRIPT_PATH = CONSOLE_VOICE_SCRIPT_ASSET.url;

function outcomeLabel(outcome: string | null): string {
  if (outcome === null) return C.outcomes.in_progress;
  return (C.outcomes as Record<string, string>)[outcome] ?? outcome;
}

export function durationLabel(seconds: number | null): string {
  if (seconds === null) return S.common.none;
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}分${seconds % 60}秒` : `${seconds}秒`;
}

function tagOf(merchantName: string | null, siteName: string | null): SafeHtml {
  if (merchantName === null && siteName === null)
    return html`<span class="muted">${C.untagged}</span>`;
  return html`${siteName ?? ''}${siteName && merchantName ? html`<br />` : ''}<span class="small"
      >${merchantName ?? ''}</span
    >`;
}

function ticketLink(reference: string): SafeHtml {
  return html`<a href="/tickets/${encodeURIComponent(reference)}">${reference}</a>`;
}

/** A call's start, linking to the call. */
function startedLink(call: { id: number; startedAt: Date | null }): SafeHtml {
  return html`<a href="/calls/${call.id}">${timeTag(call.startedAt)}</a>`;
}

/** Said beside a call whose caller hid their number. */
function withheldBadge(): SafeHtml {
  return html` <span class="badge">${C.withheld}</span>`;
}

function callerTickets(tickets: readonly CallerTicket[]): SafeHtml {
  if (tickets.length === 0) return html`<span class="muted">${C.noTickets}</span>`;
  return html`<ul class="plain-list">
    ${tickets.map(
      (ticket) =>
        html`<li>
          <a href="/tickets/${encodeURIComponent(ticket.reference)}">${ticket.reference}</a>
          <span class="small"
            >${(S.statuses as Record<string, string>)[ticket.status] ?? ticket.status}
            ・${(S.categories as Record<string, string>)[ticket.category] ?? ticket.category}</span
          >
        </li>`,
    )}
  </ul>`;
}

/** The sub-navigation of the phone pages. */
export function subnav(
  active: 'waiting' | 'callbacks' | 'log' | 'stats',
  viewer: CallsViewer,
): SafeHtml {
  const link = (href: string, label: string, key: typeof active) =>
    html`<li>
      <a href="${href}" ${key === active ? raw('aria-current="page"') : ''}>${label}</a>
    </li>`;
  return html`<nav class="subnav" aria-label="${C.subnav}">
    <ul class="subnav__list">
      ${link('/calls', C.waitingTitle, 'waiting')}
      ${link('/calls/callbacks', C.callbacksTitle, 'callbacks')}
      ${link('/calls/log', C.logTitle, 'log')}
      ${viewer.canSeeStats ? link('/calls/stats', C.statsTitle, 'stats') : ''}
    </ul>
  </nav>`;
}

export type CallsViewer = ConsoleViewer & { canSeeStats: boolean };

/** The waiting list's rows: also the fragment console-voice.js fetches every 5 seconds. */
export function renderWaitingRows(calls: readonly WaitingCall[]): SafeHtml {
  if (calls.length === 0) return html`<p class="empty card">${C.waitingEmpty}</p>`;
  return html`<p class="list-count">${formatText(C.waitingHeading, { count: calls.length })}</p>
    ${dataTable({
      caption: C.waitingCaption,
      tableClass: 'table',
      scrollWrapper: false,
      rowHeader: false,
      rows: calls,
      columns: [
        { header: C.position, cell: (call) => call.position },
        {
          header: C.waited,
          cell: (call) =>
            html`<time datetime="${call.enqueuedAt.toISOString()}"
              >${durationLabel(call.waitSeconds)}</time
            >`,
        },
        {
          header: C.shop,
          cell: (call) =>
            html`${tagOf(call.merchantName, call.siteName)}${call.callerIdWithheld ? withheldBadge() : ''}`,
        },
        { header: C.openTickets, cell: (call) => callerTickets(call.openTickets) },
      ],
    })}`;
}

export function renderWaitingPage(
  viewer: CallsViewer,
  calls: readonly WaitingCall[],
  voiceReady: boolean,
): string {
  const main = html`<h1>${C.waitingTitle}</h1>
    ${subnav('waiting', viewer)}
    <section
      class="card voice-panel"
      id="voice-panel"
      data-token-url="/api/v1/calls/voice-token"
      data-csrf="${viewer.csrfToken}"
      data-voice-ready="${voiceReady ? 'yes' : 'no'}"
      data-msg-no-sdk="${C.voiceNoSdk}"
      data-msg-not-configured="${C.voiceNotConfigured}"
      data-msg-connecting="${C.voiceConnecting}"
      data-msg-connected="${C.voiceConnected}"
      data-msg-ended="${C.voiceEnded}"
      data-msg-error="${C.voiceError}"
    >
      <button
        class="btn btn--primary"
        type="button"
        id="voice-take-next"
        aria-describedby="voice-hint"
      >
        ${C.takeNext}
      </button>
      <button class="btn btn--ghost" type="button" id="voice-hang-up" hidden>${C.hangUp}</button>
      <p class="small muted" id="voice-hint">${C.takeNextHint}</p>
      <p class="small" id="voice-status" role="status" aria-live="polite"></p>
    </section>
    <p class="small muted">${C.pollNote}</p>
    <div id="waiting-calls" data-poll-url="/calls?fragment=waiting">
      ${renderWaitingRows(calls)}
    </div>
    <script src="${CONSOLE_VOICE_SCRIPT_PATH}" defer></script>`;
  return renderConsolePage({ viewer, title: C.waitingTitle, section: 'calls', main });
}

function recordingCell(item: CallbackItem): SafeHtml {
  if (item.recordingSid === null && item.recordingUrl === null)
    return html`<span class="muted">${C.noRecording}</span>`;
  const label = `${item.recordingSid ?? C.recording}（${durationLabel(item.recordingSeconds)}）`;
  return isHttpUrl(item.recordingUrl)
    ? html`<a href="${item.recordingUrl}" rel="noreferrer noopener" target="_blank">${label}</a>`
    : html`${label}`;
}

export function renderCallbacksPage(
  viewer: CallsViewer,
  page: Page<CallbackItem>,
  notice: string | null,
): string {
  const rows =
    page.items.length === 0
      ? html`<p class="empty card">${C.callbacksEmpty}</p>`
      : html`${dataTable({
          caption: C.callbacksCaption,
          tableClass: 'table',
          scrollWrapper: false,
          rowHeader: false,
          rows: page.items,
          columns: [
            { header: C.started, cell: startedLink },
            {
              header: C.outcome,
              cell: (item) =>
                html`${outcomeLabel(item.outcome)}${item.callerIdWithheld ? withheldBadge() : ''}`,
            },
            { header: C.shop, cell: (item) => tagOf(item.merchantName, item.siteName) },
            { header: C.recording, cell: recordingCell },
            { header: C.openTickets, cell: (item) => callerTickets(item.openTickets) },
            {
              header: C.status,
              cell: (item) =>
                html`${
                    item.ticketReference
                      ? ticketLink(item.ticketReference)
                      : html`<a class="btn btn--small" href="/calls/${item.id}#wrap-up"
                          >${item.merchantId !== null ? C.quickCreate : C.createTicket}</a
                        >`
                  }
                  <form method="post" action="/calls/${item.id}/callback-done">
                    ${csrfField(viewer.csrfToken)}
                    <button class="btn btn--small btn--ghost" type="submit">${C.markDone}</button>
                  </form>`,
            },
          ],
        })}
        ${pager('/calls/callbacks', {}, page)}`;
  const main = html`<h1>${C.callbacksTitle}</h1>
    ${subnav('callbacks', viewer)} ${noticeBox(notice)}
    <p>${C.callbacksIntro}</p>
    <p class="small muted">${C.recordingNote}</p>
    ${rows}`;
  return renderConsolePage({ viewer, title: C.callbacksTitle, section: 'calls', main });
}

function pager(path: string, filter: Record<string, string>, page: Page<unknown>): SafeHtml {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  if (pages <= 1) return html``;
  const link = (n: number) =>
    `${path}?${new URLSearchParams({ ...filter, page: String(n) }).toString()}`;
  return html`<nav class="pager" aria-label="${C.paging}">
    ${page.page > 1 ? html`<a class="btn btn--ghost" rel="prev" href="${link(page.page - 1)}">${C.previous}</a>` : ''}
    <span class="pager__position">${formatText(C.pageOf, { page: page.page, pages })}</span>
    ${page.page < pages ? html`<a class="btn btn--ghost" rel="next" href="${link(page.page + 1)}">${C.next}</a>` : ''}
  </nav>`;
}

export interface CallLogFilterValues {
  from: string;
  to: string;
  outcome: string;
  merchantId: string;
}

export function renderCallLogPage(p: {
  viewer: CallsViewer;
  page: Page<CallLogItem>;
  filter: CallLogFilterValues;
  merchants: { id: number; name: string }[];
  errors: Record<string, string>;
}): string {
  const outcomes = [
    { value: '', label: C.any },
    ...CALL_OUTCOMES.map((o) => ({ value: o, label: outcomeLabel(o) })),
  ];
  const merchants = [
    { value: '', label: C.any },
    ...p.merchants.map((m) => ({ value: String(m.id), label: m.name })),
  ];
  const form = html`<form
    class="filters"
    method="get"
    action="/calls/log"
    aria-labelledby="filters-heading"
  >
    <h2 class="visually-hidden" id="filters-heading">${C.filtersHeading}</h2>
    ${textField({ name: 'from', label: C.from, value: p.filter.from, type: 'date', hint: 'YYYY-MM-DD', error: p.errors.from })}
    ${textField({ name: 'to', label: C.to, value: p.filter.to, type: 'date', hint: 'YYYY-MM-DD', error: p.errors.to })}
    ${selectField({ name: 'outcome', label: C.outcome, options: outcomes, value: p.filter.outcome })}
    ${selectField({ name: 'merchantId', label: C.merchant, options: merchants, value: p.filter.merchantId })}
    <div class="filters__actions">
      <button class="btn" type="submit">${C.apply}</button>
      <a class="btn btn--ghost" href="/calls/log">${C.reset}</a>
    </div>
  </form>`;
  const { items, total, page, pageSize } = p.page;
  const from = (page - 1) * pageSize + 1;
  const rows =
    items.length === 0
      ? html`<p class="empty card">${C.logEmpty}</p>`
      : html`<p class="list-count">
            ${formatText(C.count, { total, from, to: from + items.length - 1 })}
          </p>
          ${dataTable({
            caption: C.logCaption,
            tableClass: 'table',
            scrollWrapper: false,
            rowHeader: false,
            rows: items,
            columns: [
              { header: C.started, cell: startedLink },
              {
                header: C.outcome,
                cell: (item) =>
                  html`${outcomeLabel(item.outcome)}${item.withinHours === false ? html` <span class="small muted">${C.outcomes.out_of_hours}</span>` : ''}`,
              },
              {
                header: C.merchant,
                cell: (item) => item.merchantName ?? html`<span class="muted">${C.untagged}</span>`,
              },
              { header: C.waited, cell: (item) => durationLabel(item.waitSeconds) },
              { header: C.talk, cell: (item) => durationLabel(item.talkSeconds) },
              { header: C.agent, cell: (item) => item.agent?.displayName ?? S.common.none },
              {
                header: C.ticket,
                cell: (item) =>
                  item.ticketReference ? ticketLink(item.ticketReference) : S.common.none,
              },
              {
                header: C.recording,
                cell: (item) => (item.hasRecording ? C.recording : S.common.none),
              },
            ],
          })}
          ${pager('/calls/log', Object.fromEntries(Object.entries(p.filter).filter(([, v]) => v !== '')), p.page)}`;
  const hasErrors = Object.keys(p.errors).length > 0;
  const main = html`<h1>${C.logTitle}</h1>
    ${subnav('log', p.viewer)} ${form} ${rows}`;
  return renderConsolePage({
    viewer: p.viewer,
    title: C.logTitle,
    section: 'calls',
    main,
    hasErrors,
  });
}

export interface WrapUpDrafts {
  mode?: string;
  summary?: string;
  merchantId?: string;
  category?: string;
  reference?: string;
  requesterName?: string;
}

export function renderCallPage(p: {
  viewer: CallsViewer;
  call: CallDetail;
  drafts: WrapUpDrafts;
  errors: Record<string, string>;
  alert?: string | null;
  notice?: string | null;
}): string {
  const { call } = p;
  const title = formatText(C.callTitle, { id: call.id });
  const fact = (label: string, value: SafeHtml | string) =>
    html`<div>
      <dt>${label}</dt>
      <dd>${value}</dd>
    </div>`;
  const facts = html`<section class="card" aria-labelledby="facts-heading">
    <h2 id="facts-heading">${C.callFacts}</h2>
    <dl class="facts">
      ${fact(C.started, timeTag(call.startedAt))} ${fact(C.answered, timeTag(call.answeredAt))}
      ${fact(C.ended, timeTag(call.endedAt))} ${fact(C.waited, durationLabel(call.waitSeconds))}
      ${fact(C.talk, durationLabel(call.talkSeconds))}
      ${fact(C.outcome, outcomeLabel(call.outcome))}
      ${fact(C.withinHours, call.withinHours === null ? S.common.none : call.withinHours ? C.yes : C.no)}
      ${fact(C.shop, tagOf(call.merchantName, call.siteName))}
      ${fact(C.agent, call.agent?.displayName ?? S.common.none)}
      ${fact(C.callerNumber, call.callerIdWithheld ? C.withheld : (call.callerNumber ?? S.common.none))}
      ${fact(C.recording, recordingCell(call))}
      ${fact(C.linkedTo, call.ticketReference ? html`<a href="/tickets/${encodeURIComponent(call.ticketReference)}">${call.ticketReference}</a>` : S.common.none)}
      ${fact(C.openTickets, callerTickets(call.openTickets))}
      ${fact(C.callbackDoneAt, timeTag(call.callbackDoneAt))}
    </dl>
    <p class="small muted">${C.callerNumberNote} ${C.recordingNote}</p>
    ${
      call.isCallbackOpen
        ? html`<form method="post" action="/calls/${call.id}/callback-done">
            ${csrfField(p.viewer.csrfToken)}
            <button class="btn btn--small" type="submit">${C.markDone}</button>
          </form>`
        : ''
    }
  </section>`;
  const errorItems = Object.entries(p.errors).map(([field, message]) => ({ field, message }));
  const merchantOptions = [
    { value: '', label: C.chooseMerchant },
    ...call.merchants.map((m) => ({ value: String(m.id), label: m.name })),
  ];
  const categories = [
    { value: '', label: C.chooseMerchant },
    ...TICKET_CATEGORY_KEYS.map((c) => ({ value: c, label: S.categories[c] })),
  ];
  const modes = [
    { value: 'create', label: C.modeCreate },
    { value: 'link', label: C.modeLink },
  ];
  const form = html`<section class="card" id="wrap-up" aria-labelledby="wrap-up-heading">
    <h2 id="wrap-up-heading">${C.wrapUpHeading}</h2>
    <p class="small muted">${C.wrapUpIntro}</p>
    ${errorItems.length > 0 ? errorSummary(errorItems, C.errorSummary) : ''}
    <form method="post" action="/calls/${call.id}/wrap-up" novalidate>
      ${csrfField(p.viewer.csrfToken)}
      ${textArea({ name: 'summary', label: C.summary, value: p.drafts.summary, required: true, rows: 6, maxLength: 10000, error: p.errors.summary })}
      ${selectField({ name: 'merchantId', label: C.merchant, options: merchantOptions, value: p.drafts.merchantId ?? (call.merchantId !== null ? String(call.merchantId) : ''), required: true, error: p.errors.merchantId })}
      ${selectField({ name: 'category', label: C.category, options: categories, value: p.drafts.category ?? '', required: true, error: p.errors.category })}
      ${selectField({ name: 'mode', label: C.mode, options: modes, value: p.drafts.mode ?? (call.ticketReference ? 'link' : 'create'), error: p.errors.mode })}
      ${textField({ name: 'reference', label: C.reference, value: p.drafts.reference ?? '', error: p.errors.reference, autocomplete: 'off' })}
      ${textField({ name: 'requesterName', label: C.requesterName, value: p.drafts.requesterName ?? '', error: p.errors.requesterName, autocomplete: 'off' })}
      <button class="btn btn--primary" type="submit">${C.save}</button>
    </form>
  </section>`;
  const main = html`<h1>${title}</h1>
    ${subnav('log', p.viewer)} ${noticeBox(p.notice)} ${alertBox(p.alert)} ${facts} ${form}`;
  return renderConsolePage({
    viewer: p.viewer,
    title,
    section: 'calls',
    main,
    hasErrors: errorItems.length > 0 || Boolean(p.alert),
  });
}
