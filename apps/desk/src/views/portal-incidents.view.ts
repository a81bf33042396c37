import type { AnswerTemplateView, IncidentView } from '@madoguchi/incidents';
import { formatText, formatTokyoDateTime, html, SafeHtml, textArea } from '@madoguchi/ui';
import { DESK_TEXTS } from '../i18n/ja';
import { periodText } from './admin-incidents.view';
import {
  type ConsoleViewer,
  csrfField,
  errorSummaryOf,
  noticeBox,
  renderConsolePage,
} from './incident-view.util';

const T = DESK_TEXTS;
const I = T.incidents;
const P = I.portal;

export const PORTAL_INCIDENTS_PATH = '/portal/incidents';

export interface PortalIncidentListParams {
  viewer: ConsoleViewer;
  merchantName: string;
  incidents: readonly IncidentView[];
}

export function renderPortalIncidentList(p: PortalIncidentListParams): string {
  const rows = p.incidents.map(
    (incident) =>
      html`<tr>
        <th scope="row">
          <a href="${PORTAL_INCIDENTS_PATH}/${incident.id}">${incident.title}</a>
        </th>
        <td>${periodText(incident.occurredFrom, incident.occurredTo)}</td>
      </tr>`,
  );
  const table = p.incidents.length
    ? html`<div class="table-wrap">
        <table>
          <caption class="visually-hidden">
            ${P.caption}
          </caption>
          <thead>
            <tr>
              <th scope="col">${I.admin.columns.title}</th>
              <th scope="col">${I.admin.columns.period}</th>
            </tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>
      </div>`
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
}

function decisionForm(p: PortalIncidentParams, versionId: number): SafeHtml {
  const failed = p.failed?.versionId === versionId ? p.failed : undefined;
  const action = `${PORTAL_INCIDENTS_PATH}/versions/${versionId}/decision`;
  return html`<div class="answer-decision">
    <form class="form" method="post" action="${action}">
      ${csrfField(p.viewer.csrfToken)}
      <input type="hidden" name="decision" value="approved" />
      <p class="small muted" id="approve-hint-${versionId}">${P.approveHint}</p>
      <button class="btn btn--primary" type="submit" aria-describedby="approve-hint-${versionId}">
        ${P.approve}
      </button>
    </form>
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

function versionBlock(
  p: PortalIncidentParams,
  version: AnswerTemplateView['versions'][number],
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
      ${formatText(I.admin.versionLabel, { version: version.version })}
      <span class="small muted"
        >${formatText(I.admin.versionCreated, { at: formatTokyoDateTime(version.createdAt) })}</span
      >
    </h4>
    <p class="pre-wrap answer-version__body">${version.body}</p>
    <p>
      <span class="badge badge--decision-${key}"
        >${formatText(P.yourDecision, { decision: I.decisions[key] })}</span
      >
      ${decided}
    </p>
    ${own?.comment ? html`<p class="pre-wrap small">${formatText(P.comment, { comment: own.comment })}</p>` : ''}
    ${p.canDecide ? decisionForm(p, version.id) : ''}
  </article>`;
}

export function renderPortalIncident(p: PortalIncidentParams): string {
  const incident = p.incident;
  const templates = p.templates.length
    ? html`${p.templates.map(
        (template) =>
          html`<section class="card" aria-labelledby="template-${template.id}-heading">
            <h3 id="template-${template.id}-heading">
              ${formatText(I.admin.templateHeading, {
                title: template.title,
                purpose: I.purposes[template.purpose],
              })}
            </h3>
            <p>
              <a href="${PORTAL_INCIDENTS_PATH}/templates/${template.id}/outdated"
                >${P.outdatedLink}</a
              >
            </p>
            ${template.versions.map((version) => versionBlock(p, version))}
          </section>`,
      )}`
    : html`<p class="empty card">${P.noTemplates}</p>`;
  const errors: Record<string, string> = p.failed
    ? { [`comment-${p.failed.versionId}`]: p.failed.error }
    : {};
  const main = html`${errorSummaryOf(errors)}
    <h1>${incident.title}</h1>
    ${noticeBox(p.notice)}
    <p><a href="${PORTAL_INCIDENTS_PATH}">${P.backToList}</a></p>
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
      <h2 id="templates-heading">${P.templatesHeading}</h2>
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
