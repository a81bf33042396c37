import {
  CALL_OUTCOMES,
  CALLBACK_OUTCOMES_OF_ATTEMPT,
  domesticPhoneNumber,
  type CallbackItem,
  type CallDetail,
  type CallerTicket,
  type CallLogItem,
  type WaitingCall,
  type WindowStatus,
} from '@madoguchi/calls';
import { CALL_AVAILABILITIES, type CallAvailability } from '@madoguchi/auth';
import { TICKET_CATEGORY_KEYS, type Page } from '@madoguchi/tickets';
import {
  dataTable,
  errorSummary,
  formatText,
  html,
  phrases,
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
import { formatTokyoDateTime } from '@madoguchi/ui';
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

/** +81367447492 → 03-6744-7492 as a tel: link (the href keeps E.164). */
export function telLink(e164: string, domestic: string): SafeHtml {
  return html`<a href="tel:${e164}">${domestic}</a>`;
}

/** Why the window is closed now, in words. */
export function closedReasonText(window: WindowStatus): string {
  if (window.reason === null) return '';
  const label = C.window.reasons[window.reason];
  return window.holidayName ? `${label}・${window.holidayName}` : label;
}

/** Whether the window takes calls now: said on the calls pages (an aria-live-free banner). */
export function windowBanner(window: WindowStatus): SafeHtml {
  const state = window.open
    ? formatText(C.window.openNow, { close: window.closeHour })
    : formatText(C.window.closedNow, {
        reason: closedReasonText(window),
        next: window.nextOpeningAt ? formatTokyoDateTime(window.nextOpeningAt) : '',
      });
  return html`<section
    class="card window-status window-status--${window.open ? 'open' : 'closed'}"
    id="window-status"
    data-window-open="${window.open ? 'yes' : 'no'}"
    aria-labelledby="window-status-heading"
  >
    <h2 id="window-status-heading">${phrases(C.window.heading)}</h2>
    <p><strong>${state}</strong></p>
    <p class="small">
      ${C.window.number}: ${telLink(window.number, domesticPhoneNumber(window.number))}
      ・${formatText(C.window.hours, { open: window.openHour, close: window.closeHour })}
    </p>
  </section>`;
}

/** The availability control (the /calls page and the desk header post the same form). */
export function availabilityForm(
  viewer: ConsoleViewer,
  current: CallAvailability,
  id: string,
): SafeHtml {
  return html`<form class="availability-form" method="post" action="/calls/availability">
    ${csrfField(viewer.csrfToken)}
    <label class="small" for="${id}">${C.availability.label}</label>
    <select class="input input--select input--small" id="${id}" name="availability">
      ${CALL_AVAILABILITIES.map(
        (state) =>
          html`<option value="${state}" ${state === current ? raw('selected') : ''}>
            ${C.availability.states[state]}
          </option>`,
      )}
    </select>
    <button class="btn btn--small" type="submit">${C.availability.save}</button>
  </form>`;
}

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

export interface WaitingPageContext {
  window: WindowStatus;
  availability: CallAvailability;
  counts: Record<CallAvailability, number>;
  overflowMinutes: number;
  notice?: string | null;
}

export function renderWaitingPage(
  viewer: CallsViewer,
  calls: readonly WaitingCall[],
  voiceReady: boolean,
  context: WaitingPageContext,
): string {
  const closed = !context.window.open;
  const main = html`<h1>${phrases(C.waitingTitle)}</h1>
    ${subnav('waiting', viewer)} ${noticeBox(context.notice)} ${windowBanner(context.window)}
    <section class="card" aria-labelledby="availability-heading">
      <h2 id="availability-heading">${phrases(C.availability.label)}</h2>
      ${availabilityForm(viewer, context.availability, 'calls-availability')}
      <p class="small" id="availability-counts">
        ${formatText(C.availability.counts, context.counts)}
      </p>
      ${
        context.counts.available === 0
          ? html`<p class="small warning" role="note">${C.availability.nobody}</p>`
          : html`<p class="small muted">${C.availability.hint}</p>`
      }
      <p class="small muted">${formatText(C.overflowNote, { minutes: context.overflowMinutes })}</p>
    </section>
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
        ${closed ? raw('disabled') : ''}
      >
        ${C.takeNext}
      </button>
      <button class="btn btn--ghost" type="button" id="voice-hang-up" hidden>${C.hangUp}</button>
      <p class="small muted" id="voice-hint">
        ${closed ? C.window.takeNextDisabled : C.takeNextHint}
      </p>
      <p class="small" id="voice-status" role="status" aria-live="polite"></p>
    </section>
    <p class="small muted">${C.pollNote}</p>
    <div id="waiting-calls" data-poll-url="/calls?fragment=waiting">
      ${renderWaitingRows(calls)}
    </div>
    <script src="${CONSOLE_VOICE_SCRIPT_PATH}" defer></script>`;
  return renderConsolePage({ viewer, title: C.waitingTitle, section: 'calls', main });
}

/**
 * A voicemail plays in the desk: <audio preload="none">, so nothing is fetched (and audited)
 * until the agent presses play; the desk streams it from Twilio or from its sealed copy.
 */
function recordingCell(item: CallbackItem): SafeHtml {
  if (item.recordingSid === null && item.recordingUrl === null && !item.recordingStored)
    return html`<span class="muted">${C.noRecording}</span>`;
  const label = formatText(C.recordingPlayer, { duration: durationLabel(item.recordingSeconds) });
  return html`<figure class="recording">
    <figcaption class="small">${label}</figcaption>
    <audio class="recording__player" controls preload="none" src="/calls/${item.id}/recording">
      <a href="/calls/${item.id}/recording">${C.play}</a>
    </audio>
  </figure>`;
}

/** Who has the callback, how often it was tried, and the claim button when it is free. */
function claimCell(viewer: CallsViewer, item: CallbackItem): SafeHtml {
  const attempts =
    item.callbackAttempts > 0
      ? html`<span class="small"
          >${formatText(C.attempts, { count: item.callbackAttempts })}${
            item.callbackOutcome
              ? html`（${(C.attemptOutcomes as Record<string, string>)[item.callbackOutcome] ?? item.callbackOutcome}）`
              : ''
          }</span
        >`
      : '';
  if (item.callerIdWithheld) return html`<span class="small muted">${C.withheldNoCallback}</span>`;
  if (item.callbackClaimedBy) {
    const mine = item.callbackClaimedBy.id === viewer.id;
    return html`<span class="badge"
        >${
          mine
            ? C.claimedByMe
            : formatText(C.claimedBy, { name: item.callbackClaimedBy.displayName })
        }</span
      >
      ${attempts}`;
  }
  return html`<form method="post" action="/calls/${item.id}/claim">
      ${csrfField(viewer.csrfToken)}
      <button class="btn btn--small" type="submit">${C.claim}</button>
    </form>
    ${attempts}`;
}

export function renderCallbacksPage(
  viewer: CallsViewer,
  page: Page<CallbackItem>,
  notice: string | null,
  alert: string | null = null,
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
            { header: C.claim, cell: (item) => claimCell(viewer, item) },
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
  const main = html`<h1>${phrases(C.callbacksTitle)}</h1>
    ${subnav('callbacks', viewer)} ${noticeBox(notice)} ${alertBox(alert)}
    <p>${C.callbacksIntro}</p>
    <p class="small muted">${C.recordingNote}</p>
    ${rows}`;
  return renderConsolePage({
    viewer,
    title: C.callbacksTitle,
    section: 'calls',
    main,
    hasErrors: Boolean(alert),
  });
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
    <h2 class="visually-hidden" id="filters-heading">${phrases(C.filtersHeading)}</h2>
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
  const main = html`<h1>${phrases(C.logTitle)}</h1>
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

export interface CallbackAttemptDrafts {
  outcome?: string;
  note?: string;
}

/** The callback part of a call's page: claim, click-to-call, the attempt's outcome and note. */
function callbackSection(p: {
  viewer: CallsViewer;
  call: CallDetail;
  voiceReady: boolean;
  window: WindowStatus;
  attemptDrafts: CallbackAttemptDrafts;
  attemptErrors: Record<string, string>;
}): SafeHtml {
  const { call, viewer } = p;
  if (!call.isCallbackOpen) return html``;
  if (call.callerIdWithheld || call.callerNumber === null) {
    return html`<section class="card" id="callback" aria-labelledby="callback-heading">
      <h2 id="callback-heading">${phrases(C.attemptHeading)}</h2>
      <p>${C.withheldNoCallback}</p>
    </section>`;
  }
  const mine = call.callbackClaimedBy?.id === viewer.id;
  const holder = call.callbackClaimedBy
    ? html`<p>
        <span class="badge"
          >${
            mine
              ? C.claimedByMe
              : formatText(C.claimedBy, { name: call.callbackClaimedBy.displayName })
          }</span
        >
        ${call.callbackAttempts > 0 ? formatText(C.attempts, { count: call.callbackAttempts }) : ''}
      </p>`
    : html`<form method="post" action="/calls/${call.id}/claim">
        ${csrfField(viewer.csrfToken)}
        <button class="btn" type="submit">${C.claim}</button>
      </form>`;
  // Click-to-call only when the browser phone is configured (else not offered at all).
  const dial = !p.voiceReady
    ? html``
    : html`<div
          class="voice-panel"
          id="voice-panel"
          data-token-url="/api/v1/calls/voice-token"
          data-csrf="${viewer.csrfToken}"
          data-voice-ready="yes"
          data-callback-call-id="${call.id}"
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
            ${!mine || !p.window.open ? raw('disabled') : ''}
          >
            ${C.dial}
          </button>
          <button class="btn btn--ghost" type="button" id="voice-hang-up" hidden>
            ${C.hangUp}
          </button>
          <p class="small muted" id="voice-hint">
            ${!p.window.open ? C.window.dialDisabled : mine ? C.dialHint : C.dialClaimFirst}
          </p>
          <p class="small" id="voice-status" role="status" aria-live="polite"></p>
        </div>
        <script src="${CONSOLE_VOICE_SCRIPT_PATH}" defer></script>`;
  const outcomes = CALLBACK_OUTCOMES_OF_ATTEMPT.map((value) => ({
    value,
    label: C.attemptOutcomes[value],
  }));
  const errorItems = Object.entries(p.attemptErrors).map(([field, message]) => ({
    field,
    message,
  }));
  const form =
    call.callbackClaimedBy && !mine
      ? html``
      : html`${errorItems.length > 0 ? errorSummary(errorItems, C.errorSummary) : ''}
          <form method="post" action="/calls/${call.id}/callback-attempt" novalidate>
            ${csrfField(viewer.csrfToken)}
            ${selectField({ name: 'outcome', label: C.attemptOutcome, options: outcomes, placeholder: C.chooseMerchant, value: p.attemptDrafts.outcome ?? '', required: true, error: p.attemptErrors.outcome })}
            ${textArea({ name: 'note', label: C.attemptNote, value: p.attemptDrafts.note, rows: 3, maxLength: 2000, error: p.attemptErrors.note })}
            <button class="btn" type="submit">${C.attemptSave}</button>
          </form>`;
  return html`<section class="card" id="callback" aria-labelledby="callback-heading">
    <h2 id="callback-heading">${phrases(C.attemptHeading)}</h2>
    <p class="small muted">${C.attemptIntro}</p>
    ${holder}
    ${
      call.callbackOutcome
        ? html`<p class="small">
            ${C.lastAttempt}:
            ${
              (C.attemptOutcomes as Record<string, string>)[call.callbackOutcome] ??
              call.callbackOutcome
            }
            ${timeTag(call.callbackAttemptedAt)}${
              call.callbackNote ? html`<br />${call.callbackNote}` : ''
            }
          </p>`
        : ''
    }
    ${dial} ${form}
  </section>`;
}

/** The caller's open tickets of the call's merchant: one click fills the wrap-up's link. */
function linkSuggestions(call: CallDetail): SafeHtml {
  if (call.merchantId === null || call.ticketReference !== null) return html``;
  const own = call.openTickets.filter((ticket) => ticket.merchantId === call.merchantId);
  if (own.length === 0) return html``;
  return html`<div class="card card--inset" id="link-suggestions">
    <p class="small">${C.taggedByNumber}</p>
    <ul class="plain-list">
      ${own.map(
        (ticket) =>
          html`<li>
            ${ticketLink(ticket.reference)}
            <a
              class="btn btn--small"
              href="/calls/${call.id}?link=${encodeURIComponent(ticket.reference)}#wrap-up"
              >${C.linkThisTicket}</a
            >
          </li>`,
      )}
    </ul>
  </div>`;
}

export function renderCallPage(p: {
  viewer: CallsViewer;
  call: CallDetail;
  drafts: WrapUpDrafts;
  errors: Record<string, string>;
  alert?: string | null;
  notice?: string | null;
  voiceReady?: boolean;
  window?: WindowStatus;
  attemptDrafts?: CallbackAttemptDrafts;
  attemptErrors?: Record<string, string>;
}): string {
  const { call } = p;
  const title = formatText(C.callTitle, { id: call.id });
  const fact = (label: string, value: SafeHtml | string) =>
    html`<div>
      <dt>${label}</dt>
      <dd>${value}</dd>
    </div>`;
  const facts = html`<section class="card" aria-labelledby="facts-heading">
    <h2 id="facts-heading">${phrases(C.callFacts)}</h2>
    <dl class="facts">
      ${fact(C.started, timeTag(call.startedAt))} ${fact(C.answered, timeTag(call.answeredAt))}
      ${fact(C.ended, timeTag(call.endedAt))} ${fact(C.waited, durationLabel(call.waitSeconds))}
      ${fact(C.talk, durationLabel(call.talkSeconds))}
      ${fact(C.outcome, outcomeLabel(call.outcome))}
      ${fact(C.withinHours, call.withinHours === null ? S.common.none : call.withinHours ? C.yes : C.no)}
      ${fact(C.shop, tagOf(call.merchantName, call.siteName))}
      ${fact(C.agent, call.agent?.displayName ?? S.common.none)}
      ${fact(C.callerNumber, call.callerIdWithheld ? C.withheld : call.callerNumber === null ? S.common.none : telLink(call.callerNumber, call.callerNumberDomestic ?? call.callerNumber))}
      ${fact(C.recording, recordingCell(call))}
      ${fact(C.linkedTo, call.ticketReference ? html`<a href="/tickets/${encodeURIComponent(call.ticketReference)}">${call.ticketReference}</a>` : S.common.none)}
      ${fact(C.openTickets, callerTickets(call.openTickets))}
      ${fact(C.callbackDoneAt, timeTag(call.callbackDoneAt))}
    </dl>
    <p class="small muted">${C.callerNumberNote} ${C.recordingNote}</p>
    ${linkSuggestions(call)}
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
    <h2 id="wrap-up-heading">${phrases(C.wrapUpHeading)}</h2>
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
  const main = html`<h1>${phrases(title)}</h1>
    ${subnav('log', p.viewer)} ${noticeBox(p.notice)} ${alertBox(p.alert)} ${facts}
    ${
      p.window
        ? callbackSection({
            viewer: p.viewer,
            call,
            voiceReady: p.voiceReady ?? false,
            window: p.window,
            attemptDrafts: p.attemptDrafts ?? {},
            attemptErrors: p.attemptErrors ?? {},
          })
        : ''
    }
    ${form}`;
  return renderConsolePage({
    viewer: p.viewer,
    title,
    section: 'calls',
    main,
    hasErrors:
      errorItems.length > 0 || Boolean(p.alert) || Object.keys(p.attemptErrors ?? {}).length > 0,
  });
}
