import type { AffectedListIndicator } from '@madoguchi/incident-response';
import { formatText, html, phrases, SafeHtml } from '@madoguchi/ui';
import { AFFECTED_LIST_TEXTS } from '../../portal/affected-list/affected-list.texts';
import { timeTag } from '../../web';
import { TICKET_TEXTS } from './ticket.texts';

const I = TICKET_TEXTS.affectedListIndicator;
/** The same column words as the merchant's list upload. */
const COLUMNS = AFFECTED_LIST_TEXTS.columnNames;

/**
 * The agent's view of a leak_check ticket against the merchant's affected-customer list:
 * which of the requester's email, phone and order number matched, and whether the end user
 * proved the email with a mailed code. Empty for other tickets.
 */
export function affectedListIndicatorCard(
  indicator: AffectedListIndicator | null | undefined,
): SafeHtml {
  if (!indicator) return html``;
  const rows = (['email', 'phone', 'order'] as const).map((kind) => {
    const state = !indicator.present[kind]
      ? html`<span class="muted">${I.absent}</span>`
      : indicator.matched[kind]
        ? html`<strong class="badge badge--pending_merchant" data-match="${kind}"
            >${I.matched}</strong
          >`
        : html`<span>${I.notMatched}</span>`;
    return html`<dt>${COLUMNS[kind]}</dt>
      <dd>${state}</dd>`;
  });
  const list =
    indicator.listSize === 0
      ? html`<p class="muted">${I.noList}</p>`
      : html`<dl class="meta">${rows}</dl>`;
  const verification = indicator.verifiedAt
    ? html`<p data-verified="yes">${I.verifiedAt} ${timeTag(indicator.verifiedAt)}</p>`
    : html`<p data-verified="no">${I.notVerified}</p>`;
  const shown = indicator.verifiedResult
    ? html`<p class="small">
        ${formatText(I.shown, { result: I.results[indicator.verifiedResult] })}
      </p>`
    : html``;
  return html`<section class="card" aria-labelledby="affected-list-heading" data-affected-list>
    <h2 id="affected-list-heading">${phrases(I.heading)}</h2>
    <p class="small">${formatText(I.incident, { title: indicator.incidentTitle })}</p>
    ${list}
    <h3>${phrases(I.verification)}</h3>
    ${verification} ${shown}
    <p class="small muted">${I.note}</p>
  </section>`;
}
