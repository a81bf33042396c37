import type {
  MergePreview,
  MergeSide,
  RequesterHistoryItem,
  TicketDetail,
} from '@madoguchi/tickets';
import {
  checkboxField,
  dataTable,
  errorSummary,
  formatText,
  html,
  phrases,
  SafeHtml,
  textField,
} from '@madoguchi/ui';
import {
  alertBox,
  type ConsoleViewer,
  csrfField,
  renderConsolePage,
  SHARED_TEXTS,
  statusBadge,
  timeTag,
} from '../../web';
import { MERGE_TEXTS } from './merge.texts';

const S = SHARED_TEXTS;
const M = MERGE_TEXTS;

function ticketHref(reference: string): string {
  return `/tickets/${encodeURIComponent(reference)}`;
}

/** The merge's pick step, or its confirm step with `into`. */
export function mergePath(reference: string, into?: string): string {
  const base = `${ticketHref(reference)}/merge`;
  return into === undefined ? base : `${base}?into=${encodeURIComponent(into)}`;
}

/** A ticket that can still be merged (not closed, not merged away). */
function mergeable(t: TicketDetail): boolean {
  return t.status !== 'closed' && !t.mergedInto;
}

/**
 * The top of the ticket page: a merged ticket says where it went (read-only, with the link); a
 * probable duplicate names the earlier ticket. Issue 15.
 */
export function mergeNotices(t: TicketDetail): SafeHtml {
  if (t.mergedInto) {
    return html`<div class="notice" role="status" data-merged-into="${t.mergedInto}">
      <p>${formatText(M.mergedBanner, { reference: t.mergedInto })}</p>
      <p>
        <a href="${ticketHref(t.mergedInto)}"
          >${formatText(M.mergedLink, { reference: t.mergedInto })}</a
        >
      </p>
    </div>`;
  }
  if (t.probableDuplicateOf) {
    return html`<p class="notice" data-probable-duplicate-of="${t.probableDuplicateOf}">
      ${M.probableDuplicate}
      <a href="${ticketHref(t.probableDuplicateOf)}">${t.probableDuplicateOf}</a>
    </p>`;
  }
  return html``;
}

function matchedBy(item: RequesterHistoryItem): string {
  return item.matchedBy.map((match) => M.matchedBy[match]).join('・');
}

function historyTable(
  rows: readonly RequesterHistoryItem[],
  action: ((item: RequesterHistoryItem) => SafeHtml) | null,
): SafeHtml {
  const C = M.columns;
  return dataTable({
    caption: M.historyCaption,
    id: 'requester-history',
    tableClass: 'ticket-table',
    scrollWrapper: false,
    rows,
    rowAttributes: (item) => ({ 'data-reference': item.reference }),
    columns: [
      {
        header: C.reference,
        cell: (item) =>
          html`<a href="${ticketHref(item.reference)}">${item.reference}</a>${
              item.mergedInto &&
              html`<br /><span class="small muted"
                  >${formatText(M.mergedIntoMark, { reference: item.mergedInto })}</span
                >`
            }`,
      },
      { header: C.status, cell: (item) => statusBadge(item.status) },
      { header: C.category, cell: (item) => S.categories[item.category] },
      { header: C.site, cell: (item) => item.siteName ?? S.common.none },
      { header: C.createdAt, cell: (item) => timeTag(item.createdAt) },
      { header: C.matchedBy, cell: (item) => matchedBy(item) },
      ...(action ? [{ header: C.action, cell: action }] : []),
    ],
  });
}

/** One of the requester's tickets in the side column: a list entry that wraps on a phone. */
function historyEntry(item: RequesterHistoryItem): SafeHtml {
  const merged = item.mergedInto
    ? html`・${formatText(M.mergedIntoMark, { reference: item.mergedInto })}`
    : html``;
  return html`<li class="history-list__item" data-reference="${item.reference}">
    <a href="${ticketHref(item.reference)}">${item.reference}</a> ${statusBadge(item.status)}
    <br /><span class="small"
      >${S.categories[item.category]}・${item.siteName ?? S.common.none}・${timeTag(item.createdAt)}</span
    >
    <br /><span class="small muted">${M.columns.matchedBy}: ${matchedBy(item)}${merged}</span>
  </li>`;
}

/**
 * The requester's other tickets of the merchant (issue 15), beside the requester card, and the
 * way into a merge for those who work tickets.
 */
export function requesterHistoryCard(t: TicketDetail, viewer: ConsoleViewer): SafeHtml {
  const rows = t.requesterHistory ?? [];
  const canMerge = viewer.canWork && mergeable(t);
  return html`<section class="card" aria-labelledby="requester-history-heading">
    <h2 id="requester-history-heading">${phrases(M.historyHeading)}</h2>
    ${
      rows.length === 0
        ? html`<p class="small muted">${M.historyNone}</p>`
        : html`<ul class="history-list" id="requester-history" aria-label="${M.historyCaption}">
            ${rows.map(historyEntry)}
          </ul>`
    }
    ${
      canMerge &&
      html`<p><a class="btn btn--ghost" href="${mergePath(t.reference)}">${M.mergeStart}</a></p>`
    }
  </section>`;
}

export interface MergePickParams {
  viewer: ConsoleViewer;
  ticket: TicketDetail;
  into?: string;
  error?: string | null;
}

/** Step one: the survivor, from the requester's tickets or by reference (a GET form). */
export function renderMergePick(p: MergePickParams): string {
  const t = p.ticket;
  const title = formatText(M.pickTitle, { reference: t.reference });
  const candidates = (t.requesterHistory ?? []).filter(
    (item) => item.status !== 'closed' && !item.mergedInto,
  );
  const pick = (item: RequesterHistoryItem) =>
    html`<a
      class="btn btn--small merge-pick"
      href="${mergePath(t.reference, item.reference)}"
      aria-label="${formatText(M.mergeIntoLabel, { reference: item.reference })}"
      >${M.mergePick}</a
    >`;
  const items = p.error ? [{ field: 'into', message: p.error }] : [];
  const main = html`${errorSummary(items, S.validation.summaryTitle)}
    <h1>${phrases(title)}</h1>
    <p>${M.pickIntro}</p>
    <section class="card" aria-labelledby="merge-candidates-heading">
      <h2 id="merge-candidates-heading">${phrases(M.candidatesHeading)}</h2>
      ${
        candidates.length === 0
          ? html`<p class="small muted">${M.candidatesNone}</p>`
          : historyTable(candidates, pick)
      }
    </section>
    <form class="form card" method="get" action="${mergePath(t.reference)}">
      ${textField({
        name: 'into',
        id: 'f-into',
        label: M.intoLabel,
        hint: M.intoHint,
        value: p.into,
        error: p.error ?? undefined,
        autocomplete: 'off',
        maxLength: 32,
      })}
      <button class="btn btn--primary" type="submit">${M.next}</button>
    </form>
    <p><a href="${ticketHref(t.reference)}">${M.cancel}</a></p>`;
  return renderConsolePage({
    viewer: p.viewer,
    title,
    section: 'queues',
    main,
    hasErrors: items.length > 0,
  });
}

function sideCard(heading: string, side: MergeSide, id: string): SafeHtml {
  const D = M.side;
  return html`<section class="card" aria-labelledby="${id}" data-merge-side="${id}">
    <h2 id="${id}">${phrases(heading)}</h2>
    <dl class="meta">
      <dt>${D.reference}</dt>
      <dd><a href="${ticketHref(side.reference)}">${side.reference}</a></dd>
      <dt>${D.status}</dt>
      <dd>${statusBadge(side.status)}</dd>
      <dt>${D.category}</dt>
      <dd>${S.categories[side.category]}</dd>
      <dt>${D.channel}</dt>
      <dd>${S.channels[side.channel]}</dd>
      <dt>${D.site}</dt>
      <dd>${side.siteName ?? S.common.none}</dd>
      <dt>${D.createdAt}</dt>
      <dd>${timeTag(side.createdAt)}</dd>
      <dt>${D.messages}</dt>
      <dd>${side.messages}</dd>
    </dl>
  </section>`;
}

export interface MergeConfirmParams {
  viewer: ConsoleViewer;
  preview: MergePreview;
  /** A supervisor or admin may confirm tickets that share no email or phone. */
  mayConfirmUnrelated: boolean;
  alert?: string | null;
}

/** Step two: both tickets side by side, what will happen, and the POST (versions of both). */
export function renderMergeConfirm(p: MergeConfirmParams): string {
  const { merged, survivor } = p.preview;
  const names = { merged: merged.reference, survivor: survivor.reference };
  const title = formatText(M.confirmTitle, names);
  const blocked = p.preview.refusal !== null || (!p.preview.related && !p.mayConfirmUnrelated);
  const relation = p.preview.related
    ? html`<p class="notice">${M.related}</p>`
    : html`<div class="field__warning" data-merge-unrelated>
        <p>${M.unrelated}</p>
        ${!p.mayConfirmUnrelated && html`<p>${M.unrelatedNeedsSupervisor}</p>`}
      </div>`;
  const form = blocked
    ? html``
    : html`<form method="post" action="${mergePath(merged.reference)}">
        ${csrfField(p.viewer.csrfToken)}
        <input type="hidden" name="into" value="${survivor.reference}" />
        <input type="hidden" name="version" value="${merged.version}" />
        <input type="hidden" name="intoVersion" value="${survivor.version}" />
        ${
          !p.preview.related &&
          checkboxField({
            name: 'confirmUnrelated',
            label: M.confirmUnrelatedLabel,
            checked: false,
            required: true,
          })
        }
        <button class="btn btn--danger" type="submit">${M.confirm}</button>
      </form>`;
  const main = html`${alertBox(p.alert ?? p.preview.refusal)}
    <h1>${phrases(title)}</h1>
    <div class="merge-sides">
      ${sideCard(M.mergedSide, merged, 'merge-merged')}
      ${sideCard(M.survivorSide, survivor, 'merge-survivor')}
    </div>
    <div class="card" data-confirm-consequences>
      ${relation}
      <ul class="steps">
        ${M.consequences.map((item) => html`<li>${formatText(item, names)}</li>`)}
      </ul>
    </div>
    <div class="button-row">
      ${form}
      <a class="btn btn--ghost" href="${ticketHref(merged.reference)}">${M.cancel}</a>
    </div>`;
  return renderConsolePage({ viewer: p.viewer, title, section: 'queues', main });
}
