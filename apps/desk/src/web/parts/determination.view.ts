import type {
  BulkSendDeterminationCheck,
  BulkSendEvidence,
  BulkSendPreview,
  DeterminationView,
  TicketDeterminationState,
} from '@madoguchi/incident-response';
import type { TicketStatus } from '@madoguchi/tickets';
import { DETERMINATION_FILTERS } from '@madoguchi/tickets';
import { DETERMINATION_MISMATCH_REASONS } from '@madoguchi/incident-response';
import {
  type AttributeValue,
  type DataColumn,
  dataTable,
  formatText,
  html,
  type HtmlValue,
  phrases,
  type SafeHtml,
  selectField,
  textArea,
} from '@madoguchi/ui';
import { ANSWER_TEMPLATE_TEXTS } from './answer-template.texts';
import { csrfField, statusBadge, timeTag, SHARED_TEXTS } from '..';
import { DETERMINATION_TEXTS } from './determination.texts';

const S = SHARED_TEXTS;
const D = DETERMINATION_TEXTS;

/** The agent's determination form: what they chose and typed, and its field errors. */
export interface DeterminationFormState {
  outcome?: string;
  reason?: string;
  errors?: { outcome?: string; reason?: string };
}

function outcomeBadge(outcome: DeterminationView['outcome']): SafeHtml {
  return html`<strong
    class="badge badge--${outcome === 'included' ? 'pending_merchant' : 'resolved'}"
    data-determination-outcome="${outcome}"
    >${D.outcomes[outcome]}</strong
  >`;
}

function listText(view: DeterminationView): SafeHtml {
  if (!view.listUpload) return html`<span class="muted">${D.noList}</span>`;
  return html`${formatText(D.listUpload, { id: view.listUpload.id, count: view.listUpload.listSize })}
  ${timeTag(view.listUpload.createdAt)}`;
}

function reviewBox(view: DeterminationView): SafeHtml {
  if (!view.review) return html``;
  const text = formatText(D.review[view.review.reason], { upload: view.review.uploadId ?? '' });
  return html`<div
    class="console-alert"
    role="status"
    data-determination-review="${view.review.reason}"
  >
    <span class="console-alert__icon" aria-hidden="true">!</span>
    <div class="console-alert__text">
      <p>${D.review.heading} ${timeTag(view.review.flaggedAt)}</p>
      <p>${text}</p>
      <p>${D.review.help}</p>
    </div>
  </div>`;
}

/** One determination's facts: outcome, evidence, reason, who, when, against which list. */
function determinationFacts(view: DeterminationView): SafeHtml {
  const reason =
    view.evidence === 'agent'
      ? html`<dt>${D.reasonLabel}</dt>
          <dd class="pre-wrap" data-determination-reason>${view.reason ?? D.reasonErased}</dd>`
      : html``;
  return html`<dl class="meta">
    <dt>${D.outcomeLabel}</dt>
    <dd>${outcomeBadge(view.outcome)}</dd>
    <dt>${D.evidenceLabel}</dt>
    <dd data-determination-evidence="${view.evidence}">${D.evidence[view.evidence]}</dd>
    ${reason}
    <dt>${D.decidedByLabel}</dt>
    <dd>
      ${view.actor === 'end_user' ? D.endUser : (view.decidedBy?.displayName ?? S.common.none)}
    </dd>
    <dt>${D.decidedAtLabel}</dt>
    <dd>${timeTag(view.createdAt)}</dd>
    <dt>${D.listLabel}</dt>
    <dd>${listText(view)}</dd>
  </dl>`;
}

function historyList(state: TicketDeterminationState): SafeHtml {
  const older = state.history.filter((row) => row.supersededAt !== null);
  if (older.length === 0) return html``;
  return html`<details class="determination-history">
    <summary>${formatText(D.historyHeading, { count: older.length })}</summary>
    <ol>
      ${older.map(
        (row) =>
          html`<li data-determination-id="${row.id}">
            ${determinationFacts(row)}
            <p class="small muted">
              ${formatText(D.superseded, { at: '' })}${timeTag(row.supersededAt)}
            </p>
          </li>`,
      )}
    </ol>
  </details>`;
}

function agentForm(action: string, csrfToken: string, form: DeterminationFormState): SafeHtml {
  const F = D.form;
  const chosen = form.outcome ?? '';
  const radios = (['included', 'not_included'] as const).map(
    (outcome) =>
      html`<div class="radio">
        <input
          class="radio__input"
          type="radio"
          id="f-determination-${outcome}"
          name="outcome"
          value="${outcome}"
          required
          ${chosen === outcome ? html`checked` : ''}
        />
        <label class="radio__label" for="f-determination-${outcome}">${D.outcomes[outcome]}</label>
      </div>`,
  );
  return html`<form
    class="form"
    method="post"
    action="${action}"
    accept-charset="UTF-8"
    data-determination-form
  >
    <h3>${phrases(F.heading)}</h3>
    <p class="small">${F.help}</p>
    ${csrfField(csrfToken)}
    <fieldset
      class="fieldset${form.errors?.outcome ? ' field--error' : ''}"
      id="f-determination-outcome"
    >
      <legend class="field__label">${F.outcome}${S.common.requiredMark}</legend>
      ${form.errors?.outcome ? html`<p class="field__error">${form.errors.outcome}</p>` : ''}
      ${radios}
    </fieldset>
    ${textArea({
      name: 'reason',
      id: 'f-determination-reason',
      label: F.reason,
      hint: F.reasonHint,
      value: form.reason,
      error: form.errors?.reason,
      required: true,
      requiredMark: S.common.requiredMark,
      maxLength: 2000,
      rows: 3,
    })}
    <button class="btn" type="submit">${F.submit}</button>
  </form>`;
}

/**
 * The determination card of a ticket (console and portal): the current determination and its
 * evidence, a review flag if any, the history, and — for agents — the form that records an
 * explicit determination with its reason.
 */
export function determinationCard(
  state: TicketDeterminationState | null | undefined,
  options: { form?: { action: string; csrfToken: string; state: DeterminationFormState } } = {},
): SafeHtml {
  if (!state) return html``;
  const current = state.current;
  const allowed = (['leak_included', 'leak_not_included'] as const).filter(
    (purpose) => state.allows[purpose],
  );
  const allows =
    allowed.length === 0
      ? D.allowsNone
      : formatText(D.allows, {
          answers: allowed.map((purpose) => ANSWER_TEMPLATE_TEXTS.purposes[purpose]).join('、'),
        });
  return html`<section
    class="card"
    aria-labelledby="determination-heading"
    data-determination="${current ? (current.review ? 'review' : current.outcome) : 'none'}"
  >
    <h2 id="determination-heading">${phrases(D.heading)}</h2>
    ${current ? html`${reviewBox(current)} ${determinationFacts(current)}` : html`<p class="muted">${D.none}</p>`}
    <p class="small" data-determination-allows>${allows}</p>
    ${historyList(state)}
    ${options.form ? agentForm(options.form.action, options.form.csrfToken, options.form.state) : ''}
  </section>`;
}

interface EvidenceRow {
  reference: string;
  status: TicketStatus;
  evidence: BulkSendEvidence | null;
  reason?: string;
}

/** A column of the ticket's evidence: a muted "none" where the ticket has none. */
function evidenceColumn(
  header: string,
  cell: (evidence: BulkSendEvidence) => HtmlValue,
  attributes: (evidence: BulkSendEvidence) => Record<string, AttributeValue> = () => ({}),
): DataColumn<EvidenceRow> {
  return {
    header,
    cell: (row) => (row.evidence ? cell(row.evidence) : S.common.none),
    cellAttributes: (row) => (row.evidence ? attributes(row.evidence) : { class: 'muted' }),
  };
}

function evidenceTable(
  caption: string,
  rows: readonly EvidenceRow[],
  withReason: boolean,
  marker: string,
): SafeHtml {
  const C = D.bulk.columns;
  const reason: DataColumn<EvidenceRow>[] = withReason
    ? [{ header: C.reason, cell: (row) => row.reason ?? '' }]
    : [];
  return dataTable({
    caption,
    captionVisible: true,
    tableAttributes: { [`data-${marker}`]: true },
    rows,
    rowAttributes: (row) => ({ 'data-reference': row.reference }),
    columns: [
      { header: C.reference, cell: (row) => html`<span class="literal">${row.reference}</span>` },
      { header: C.status, cell: (row) => statusBadge(row.status) },
      ...reason,
      evidenceColumn(C.outcome, (e) => D.outcomes[e.outcome]),
      evidenceColumn(
        C.evidence,
        (e) => D.evidence[e.evidence],
        (e) => ({ 'data-evidence': e.evidence }),
      ),
      evidenceColumn(C.decidedAt, (e) => timeTag(e.decidedAt)),
      evidenceColumn(C.decidedBy, (e) => e.decidedBy ?? D.endUser),
      evidenceColumn(C.list, (e) => (e.listUploadId === null ? D.noList : `#${e.listUploadId}`)),
    ],
  });
}

/**
 * A leak answer's bulk-send preview (issue 13.1): which outcome the tickets must have, each
 * selected ticket's evidence, and the tickets left out with the reason and their counts.
 */
export function bulkDeterminationSection(preview: BulkSendPreview): SafeHtml {
  const check: BulkSendDeterminationCheck | null = preview.determination;
  if (!check) return html``;
  const B = D.bulk;
  const counts = DETERMINATION_MISMATCH_REASONS.filter((reason) => check.excluded[reason] > 0).map(
    (reason) =>
      html`<li data-excluded-reason="${reason}">
        ${formatText(B.reasonCount, { reason: B.reasons[reason], count: check.excluded[reason] })}
      </li>`,
  );
  const sample = preview.sample.map((row) => ({ ...row, evidence: row.evidence ?? null }));
  return html`<section
    class="card"
    aria-labelledby="bulk-determination-heading"
    data-bulk-determination
  >
    <h2 id="bulk-determination-heading">${phrases(B.heading)}</h2>
    <p>${formatText(B.required, { outcome: D.outcomes[check.required] })}</p>
    ${
      check.excludedTotal > 0
        ? html`<p data-excluded-total="${check.excludedTotal}">
              <strong>${formatText(B.excluded, { count: check.excludedTotal })}</strong>
            </p>
            <ul>
              ${counts}
            </ul>`
        : ''
    }
    ${
      sample.length > 0
        ? evidenceTable(
            formatText(B.sampleHeading, { count: sample.length }),
            sample,
            false,
            'bulk-evidence',
          )
        : ''
    }
    ${
      check.excludedSample.length > 0
        ? evidenceTable(
            formatText(B.excludedHeading, { count: check.excludedSample.length }),
            check.excludedSample.map((row) => ({ ...row, reason: B.reasons[row.reason] })),
            true,
            'bulk-excluded',
          )
        : ''
    }
  </section>`;
}

/**
 * The determination filter of the portal's case list (issue 13.1): cases flagged for review,
 * by outcome, or without one. Shown only where an incident affects the merchant.
 */
export function determinationFilterField(
  incidents: readonly { id: number; title: string }[] | undefined,
  value: string | undefined,
): SafeHtml {
  if (!incidents || incidents.length === 0) return html``;
  const F = D.filter;
  return selectField({
    name: 'determination',
    label: F.label,
    options: (['', ...DETERMINATION_FILTERS] as const).map((option) => ({
      value: option,
      label: option === '' ? F.any : F[option],
    })),
    value: value ?? '',
  });
}
