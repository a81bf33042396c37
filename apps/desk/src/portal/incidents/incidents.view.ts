import { diffChars, renderCannedResponse } from '@madoguchi/common';
import type { AnswerTemplateView, IncidentView } from '@madoguchi/incidents';
import type { AnswerDiffView, VersionProvenance } from '@madoguchi/incident-response';
import {
  dataTable,
  formatText,
  formatTokyoDateTime,
  html,
  phrases,
  SafeHtml,
  textArea,
} from '@madoguchi/ui';
import { INCIDENT_REPORT_TEXTS } from '../../console/incident-report/incident-report.texts';
import { periodText } from '../../admin/incidents/incidents.view';
import {
  type ConsoleViewer,
  csrfField,
  errorSummaryOf,
  noticeBox,
  renderConsolePage,
} from '../../web/parts/incident-view.util';
import { textDiffBlock } from '../../web/parts/text-diff.view';
import { ANSWER_TEMPLATE_TEXTS } from '../../web/parts/answer-template.texts';
import { SHARED_TEXTS } from '../../web';
import { confirmStepLink, renderConfirmStep } from '../../web/parts/confirm-step.view';
import { INCIDENTS_TEXTS } from './incidents.texts';

const T = SHARED_TEXTS;
const W = ANSWER_TEMPLATE_TEXTS;
const P = INCIDENTS_TEXTS;

export const PORTAL_INCIDENTS_PATH = '/portal/incidents';

export interface PortalIncidentListParams {
  viewer: ConsoleViewer;
  merchantName: string;
  incidents: readonly IncidentView[];
}

export function renderPortalIncidentList(p: PortalIncidentListParams): string {
  const table = p.incidents.length
    ? dataTable({
        caption: P.caption,
        rows: p.incidents,
        columns: [
          {
            header: P.columns.title,
            cell: (incident) =>
              html`<a href="${PORTAL_INCIDENTS_PATH}/${incident.id}">${incident.title}</a>`,
          },
          {
            header: P.columns.period,
            cell: (incident) => periodText(incident.occurredFrom, incident.occurredTo),
          },
        ],
      })
    : html`<p class="empty card">${P.empty}</p>`;
  const main = html`<h1>${formatText(P.listHeading, { merchant: p.merchantName })}</h1>
    <div class="card"><p>${P.intro}</p></div>
    ${table}`;
  return renderConsolePage({
    viewer: p.viewer,
    title: P.listTitle,
    section: 'portal-incidents',
    main,
  });
}

export interface PortalIncidentParams {
  viewer: ConsoleViewer;
  incident: IncidentView;
  noticeDate: string | null;
  templates: readonly AnswerTemplateView[];
  /** Whether the user may decide (merchant_admin). */
  canDecide: boolean;
  /** A refused decision: the version, what was typed and the error. */
  failed?: { versionId: number; comment: string; error: string };
  notice?: string | null;
  /** Issue 13.2: the merchant's replies per version (by version id), verbatim or edited. */
  provenance?: ReadonlyMap<number, VersionProvenance>;
  /** Issue 13.3: the values the sample preview fills in (merchant and site are the real ones). */
  sample?: { merchant: string; site: string };
}

/** The version agents get now for this merchant: the newest one it approved. */
function inUseVersionId(template: AnswerTemplateView): number | null {
  // Versions come newest first; the portal's list holds this merchant's decision only.
  const approved = template.versions.find(
    (version) => version.approvals[0]?.decision === 'approved',
  );
  return approved?.id ?? null;
}

function decisionForm(
  p: PortalIncidentParams,
  versionId: number,
  alreadyApproved: boolean,
): SafeHtml {
  const failed = p.failed?.versionId === versionId ? p.failed : undefined;
  const action = `${PORTAL_INCIDENTS_PATH}/versions/${versionId}/decision`;
  // Issue 13.3: no approve button on what this merchant already approved (requesting changes
  // stays: it withdraws the approval).
  // Approving lets agents send the text in the merchant's name: a confirm step shows it first.
  const approve = alreadyApproved
    ? html`<p class="small" data-already-approved>${P.alreadyApproved}</p>`
    : html`<div class="form">
        <p class="small muted">${P.approveHint}</p>
        ${confirmStepLink({ action, label: P.approveStart, style: 'primary' })}
      </div>`;
  return html`<div class="answer-decision">
    ${approve}
    <form class="form" method="post" action="${action}" accept-charset="UTF-8">
      ${csrfField(p.viewer.csrfToken)}
      <input type="hidden" name="decision" value="changes_requested" />
      ${textArea({
        name: 'comment',
        id: `f-comment-${versionId}`,
        label: P.commentLabel,
        hint: P.commentHint,
        value: failed?.comment,
        error: failed?.error,
        maxLength: 2000,
        rows: 3,
      })}
      <button class="btn" type="submit">${P.requestChanges}</button>
    </form>
  </div>`;
}

/** Issue 13.3: the version's text as a reply would read, with sample values, marked as such. */
function samplePreview(p: PortalIncidentParams, version: AnswerTemplateView['versions'][number]) {
  const S = P.sample;
  const text = renderCannedResponse(version.body, {
    name: S.name,
    reference: S.reference,
    merchant: p.sample?.merchant ?? S.merchant,
    site: p.sample?.site ?? S.merchant,
    agent: S.agent,
  });
  return html`<details class="answer-preview" data-sample-preview>
    <summary><span class="answer-preview__label">${S.heading}</span></summary>
    <p class="small">${S.note}</p>
    <p class="pre-wrap">${text}</p>
  </details>`;
}

/** Issue 13.3: what changed since the previous version, by character. */
function versionDiff(
  version: AnswerTemplateView['versions'][number],
  previous: AnswerTemplateView['versions'][number] | undefined,
) {
  if (!previous) return html``;
  const heading = formatText(P.diffHeading, { previous: previous.version });
  const ops = diffChars(previous.body, version.body);
  return html`<details class="answer-diff" open data-version-diff>
    <summary>${heading}</summary>
    <p class="small muted">${P.diffLegend}</p>
    ${
      ops.some((op) => op.kind !== 'equal')
        ? textDiffBlock(ops, heading)
        : html`<p class="small">${P.diffNone}</p>`
    }
  </details>`;
}

/** Issue 13.2: the merchant's replies that used this version, verbatim or edited. */
function usageBlock(p: PortalIncidentParams, versionId: number): SafeHtml {
  const U = P.usage;
  const usage = p.provenance?.get(versionId);
  if (!usage) return html`<p class="small muted" data-usage>${U.none}</p>`;
  const counts = formatText(U.counts, { verbatim: usage.verbatim, edited: usage.edited });
  const unrecorded =
    usage.unrecorded > 0 ? html` ${formatText(U.unrecorded, { count: usage.unrecorded })}` : '';
  const total = usage.verbatim + usage.edited + usage.unrecorded;
  return html`<details class="answer-usage" data-usage>
    <summary>${U.heading}: ${counts}${unrecorded}</summary>
    ${
      total > usage.replies.length
        ? html`<p class="small muted">${formatText(U.more, { shown: usage.replies.length })}</p>`
        : ''
    }
    ${dataTable({
      caption: U.caption,
      rows: usage.replies,
      rowAttributes: (reply) => ({ 'data-provenance': reply.provenance ?? 'unrecorded' }),
      columns: [
        {
          header: U.columns.reference,
          cell: (reply) =>
            html`<a href="/portal/cases/${encodeURIComponent(reply.reference)}"
              >${reply.reference}</a
            >`,
        },
        {
          header: U.columns.provenance,
          cell: (reply) =>
            html`<span class="msg__answer msg__answer--${reply.provenance ?? 'unknown'}"
              >${U.provenance[reply.provenance ?? 'unrecorded']}</span
            >`,
        },
        { header: U.columns.repliedAt, cell: (reply) => formatTokyoDateTime(reply.repliedAt) },
        {
          header: U.columns.diff,
          cell: (reply) =>
            reply.provenance === 'edited'
              ? html`<a href="${PORTAL_INCIDENTS_PATH}/replies/${reply.messageId}/diff"
                  >${U.showDiff}</a
                >`
              : '',
        },
      ],
    })}
  </details>`;
}

function versionBlock(
  p: PortalIncidentParams,
  version: AnswerTemplateView['versions'][number],
  previous: AnswerTemplateView['versions'][number] | undefined,
  inUse: boolean,
): SafeHtml {
  // The portal's list holds this merchant's decision only.
  const own = version.approvals[0];
  const key = own?.decision ?? 'none';
  const decided = own
    ? html`<span class="small muted"
        >${formatText(P.decidedBy, {
          name: own.decidedByName ?? T.common.none,
          at: formatTokyoDateTime(own.decidedAt),
        })}</span
      >`
    : html``;
  return html`<article class="answer-version" id="version-${version.id}">
    <h4>
      ${formatText(W.versionLabel, { version: version.version })}
      ${
        inUse
          ? html`<span class="badge badge--in-use" title="${P.inUseHint}" data-in-use
              >${P.inUse}</span
            >`
          : ''
      }
      <span class="small muted"
        >${formatText(W.versionCreated, { at: formatTokyoDateTime(version.createdAt) })}</span
      >
    </h4>
    <p class="pre-wrap answer-version__body">${version.body}</p>
    ${versionDiff(version, previous)} ${samplePreview(p, version)}
    <p>
      <span class="badge badge--decision-${key}"
        >${formatText(P.yourDecision, { decision: W.decisions[key] })}</span
      >
      ${decided}
    </p>
    ${own?.comment ? html`<p class="pre-wrap small">${formatText(P.comment, { comment: own.comment })}</p>` : ''}
    ${usageBlock(p, version.id)}
    ${p.canDecide ? decisionForm(p, version.id, own?.decision === 'approved') : ''}
  </article>`;
}

export function renderPortalIncident(p: PortalIncidentParams): string {
  const incident = p.incident;
  const templates = p.templates.length
    ? html`${p.templates.map(
        (template) =>
          html`<section class="card" aria-labelledby="template-${template.id}-heading">
            <h3 id="template-${template.id}-heading">
              ${formatText(W.templateHeading, {
                title: template.title,
                purpose: W.purposes[template.purpose],
              })}
            </h3>
            ${template.purpose === 'faq' ? html`<p class="callout small" data-faq-notice>${W.faqNotice}</p>` : ''}
            <p>
              <a href="${PORTAL_INCIDENTS_PATH}/templates/${template.id}/outdated"
                >${P.outdatedLink}</a
              >
            </p>
            ${template.versions.map((version, index) =>
              versionBlock(
                p,
                version,
                template.versions[index + 1],
                version.id === inUseVersionId(template),
              ),
            )}
          </section>`,
      )}`
    : html`<p class="empty card">${P.noTemplates}</p>`;
  const errors: Record<string, string> = p.failed
    ? { [`comment-${p.failed.versionId}`]: p.failed.error }
    : {};
  const main = html`${errorSummaryOf(errors)}
    <h1>${phrases(incident.title)}</h1>
    ${noticeBox(p.notice)}
    <p><a href="${PORTAL_INCIDENTS_PATH}">${P.backToList}</a></p>
    <p>
      <a
        class="btn btn--ghost"
        href="${PORTAL_INCIDENTS_PATH}/${incident.id}/report"
        data-report-link
        >${INCIDENT_REPORT_TEXTS.link}</a
      >
    </p>
    <section class="card">
      <dl class="meta">
        <dt>${P.period}</dt>
        <dd>${periodText(incident.occurredFrom, incident.occurredTo)}</dd>
        <dt>${P.noticeDate}</dt>
        <dd>${p.noticeDate ?? T.common.none}</dd>
        <dt>${P.description}</dt>
        <dd class="pre-wrap">${incident.description}</dd>
        <dt>${P.leakedItems}</dt>
        <dd class="pre-wrap">${incident.leakedItems}</dd>
      </dl>
    </section>
    <section aria-labelledby="templates-heading">
      <h2 id="templates-heading">${phrases(P.templatesHeading)}</h2>
      ${p.canDecide ? html`<p class="small">${P.intro}</p>` : html`<p class="small muted">${P.readOnly}</p>`}
      ${templates}
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: formatText(P.detailTitle, { title: incident.title }),
    section: 'portal-incidents',
    main,
    hasErrors: Object.keys(errors).length > 0,
  });
}

export interface PortalAnswerDiffParams {
  viewer: ConsoleViewer;
  diff: AnswerDiffView;
}

/** Issue 13.2: one edited approved reply, the change from the approved text to the text sent. */
export function renderPortalAnswerDiff(p: PortalAnswerDiffParams): string {
  const R = P.replyDiff;
  const d = p.diff;
  const main = html`<h1>${formatText(R.heading, { reference: d.reference })}</h1>
    <p>
      <a href="${PORTAL_INCIDENTS_PATH}/${d.incidentId}#version-${d.versionId}">${R.back}</a>
      ・
      <a href="/portal/cases/${encodeURIComponent(d.reference)}">${R.caseLink}</a>
    </p>
    <section class="card">
      <dl class="meta">
        <dt>${R.template}</dt>
        <dd>${d.templateTitle}</dd>
        <dt>${R.version}</dt>
        <dd>${formatText(W.versionLabel, { version: d.version })}</dd>
        <dt>${R.repliedAt}</dt>
        <dd>${formatTokyoDateTime(d.repliedAt)}</dd>
      </dl>
      <p class="small">${formatText(R.intro, { version: d.version })}</p>
      <p class="small muted">${P.diffLegend}</p>
      ${
        d.ops === null
          ? html`<p class="empty">${R.erased}</p>`
          : textDiffBlock(d.ops, formatText(R.heading, { reference: d.reference }))
      }
      <p class="small muted">${R.audited}</p>
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: formatText(R.title, { reference: d.reference }),
    section: 'portal-incidents',
    main,
  });
}

export interface PortalApproveConfirmParams {
  viewer: ConsoleViewer;
  incident: IncidentView;
  template: AnswerTemplateView;
  version: AnswerTemplateView['versions'][number];
}

/**
 * The confirm step of approving a version: the text the agents will send in the merchant's
 * name, and what approving changes; it posts decision=approved to the version's decision route.
 */
export function renderPortalApproveConfirm(p: PortalApproveConfirmParams): string {
  const C = P.approveConfirm;
  const inUse = p.template.versions.find((v) => v.id === inUseVersionId(p.template));
  const replaces =
    inUse && inUse.id !== p.version.id ? [formatText(C.replaces, { previous: inUse.version })] : [];
  return renderConfirmStep({
    viewer: p.viewer,
    section: 'portal-incidents',
    title: formatText(C.title, { template: p.template.title, version: p.version.version }),
    facts: [
      [C.incident, p.incident.title],
      [C.template, p.template.title],
      [C.version, formatText(C.versionValue, { version: p.version.version })],
      [C.body, html`<span class="pre-wrap">${p.version.body}</span>`],
    ],
    consequences: [...C.items.slice(0, 2), ...replaces, ...C.items.slice(2)],
    action: `${PORTAL_INCIDENTS_PATH}/versions/${p.version.id}/decision`,
    fields: { decision: 'approved' },
    confirmLabel: P.approve,
    cancelLabel: T.common.cancel,
    cancelHref: `${PORTAL_INCIDENTS_PATH}/${p.incident.id}#version-${p.version.id}`,
    style: 'primary',
  });
}
