import { CANNED_PLACEHOLDERS } from '@madoguchi/common';
import {
  ANSWER_PURPOSES,
  type AnswerTemplateView,
  type IncidentDetail,
  type IncidentMerchantView,
  type IncidentSummary,
} from '@madoguchi/incidents';
import {
  dataTable,
  formatText,
  formatTokyoDateTime,
  html,
  phrases,
  SafeHtml,
  selectField,
  textArea,
  textField,
} from '@madoguchi/ui';
import { INCIDENT_REPORT_TEXTS } from '../../console/incident-report/incident-report.texts';
import { adminSubnav } from '../shared/admin-subnav.view';
import {
  type ConsoleViewer,
  csrfField,
  errorSummaryOf,
  noticeBox,
  prefixed,
  renderConsolePage,
} from '../../web/parts/incident-view.util';
import { INCIDENTS_TEXTS } from './incidents.texts';
import { ANSWER_TEMPLATE_TEXTS } from '../../web/parts/answer-template.texts';
import { SHARED_TEXTS } from '../../web';

const T = SHARED_TEXTS;
const I = INCIDENTS_TEXTS;
const A = I.admin;
const W = ANSWER_TEMPLATE_TEXTS;

export const INCIDENT_TEXT_FIELDS = [
  'title',
  'description',
  'leakedItems',
  'occurredFrom',
  'occurredTo',
] as const;

/** The incident form as sent (kept on a 400). Merchant lines keyed by merchant id. */
export interface IncidentFormValues {
  title: string;
  description: string;
  leakedItems: string;
  occurredFrom: string;
  occurredTo: string;
  merchants: { merchantId: number; affected: boolean; noticeDate: string }[];
}

export interface TemplateFormValues {
  title: string;
  purpose: string;
  body: string;
}

/** Field errors by field name (merchant lines: `noticeDate_<merchantId>`). */
export type FormErrors = Readonly<Record<string, string>>;

export function incidentFormValues(incident: IncidentDetail): IncidentFormValues {
  return {
    title: incident.title,
    description: incident.description,
    leakedItems: incident.leakedItems,
    occurredFrom: incident.occurredFrom ?? '',
    occurredTo: incident.occurredTo ?? '',
    merchants: incident.merchants.map((line) => ({
      merchantId: line.merchantId,
      affected: line.affected,
      noticeDate: line.noticeDate ?? '',
    })),
  };
}

/** `2026-10-01 〜 2026-11-10`, or 不明 for an end not known. */
export function periodText(from: string | null, to: string | null): string {
  if (!from && !to) return I.periodUnknown;
  return formatText(I.period, { from: from ?? I.periodUnknown, to: to ?? I.periodUnknown });
}

export function placeholderHint(): string {
  return formatText(I.placeholdersHint, {
    list: Object.keys(CANNED_PLACEHOLDERS)
      .map((key) => `{{${key}}}`)
      .join(' '),
  });
}

/** A merchant's notice date in the new incident's table of merchants. */
function noticeDateInput(
  merchant: IncidentMerchantView,
  line: IncidentFormValues['merchants'][number] | undefined,
  errors: FormErrors,
): SafeHtml {
  const noticeName = `noticeDate_${merchant.merchantId}`;
  const noticeError = errors[noticeName];
  return html`<input
      class="input"
      type="date"
      id="f-${noticeName}"
      name="${noticeName}"
      value="${line?.noticeDate ?? ''}"
      autocomplete="off"
      aria-label="${formatText(A.noticeDateLabel, { merchant: merchant.merchantName })}"
      ${noticeError ? html`aria-invalid="true"` : ''}
    />
    ${noticeError ? html`<p class="field__error">${noticeError}</p>` : ''}`;
}

function incidentFields(
  values: IncidentFormValues,
  merchants: readonly IncidentMerchantView[],
  errors: FormErrors,
): SafeHtml {
  const marks = { requiredMark: T.common.requiredMark, optionalMark: T.common.optionalMark };
  const lineOf = new Map(values.merchants.map((line) => [line.merchantId, line]));
  const merchantTable = merchants.length
    ? dataTable({
        caption: A.merchantsCaption,
        captionVisible: true,
        rows: merchants,
        columns: [
          {
            header: A.merchantColumns.merchant,
            cell: (merchant) =>
              html`${merchant.merchantName}
                <span class="muted small">${merchant.merchantCode}</span>`,
          },
          {
            header: A.merchantColumns.affected,
            cell: (merchant) =>
              html`<input type="hidden" name="merchant" value="${merchant.merchantId}" />
                <input
                  class="checkbox__input"
                  type="checkbox"
                  id="f-affected_${merchant.merchantId}"
                  name="affected_${merchant.merchantId}"
                  value="yes"
                  aria-label="${formatText(A.affectedLabel, { merchant: merchant.merchantName })}"
                  ${lineOf.get(merchant.merchantId)?.affected ? html`checked` : ''}
                />`,
          },
          {
            header: A.merchantColumns.noticeDate,
            cell: (merchant) => noticeDateInput(merchant, lineOf.get(merchant.merchantId), errors),
          },
        ],
      })
    : html`<p class="muted">${A.noMerchants}</p>`;
  return html`${textField({
      ...marks,
      name: 'title',
      label: A.title,
      value: values.title,
      error: errors.title,
      required: true,
      maxLength: 200,
      autocomplete: 'off',
    })}
    ${textArea({
      ...marks,
      name: 'description',
      label: A.description,
      hint: A.descriptionHint,
      value: values.description,
      error: errors.description,
      required: true,
      maxLength: 10000,
      rows: 4,
    })}
    ${textArea({
      ...marks,
      name: 'leakedItems',
      label: A.leakedItems,
      hint: A.leakedItemsHint,
      value: values.leakedItems,
      error: errors.leakedItems,
      required: true,
      maxLength: 10000,
      rows: 3,
    })}
    ${textField({
      ...marks,
      name: 'occurredFrom',
      label: A.occurredFrom,
      type: 'date',
      hint: A.dateHint,
      value: values.occurredFrom,
      error: errors.occurredFrom,
      maxLength: 10,
      autocomplete: 'off',
    })}
    ${textField({
      ...marks,
      name: 'occurredTo',
      label: A.occurredTo,
      type: 'date',
      hint: A.dateHint,
      value: values.occurredTo,
      error: errors.occurredTo ?? errors.merchants,
      maxLength: 10,
      autocomplete: 'off',
    })}
    <fieldset class="fieldset">
      <legend class="field__label">${A.merchantsLegend}</legend>
      ${merchantTable}
    </fieldset>`;
}

export interface AdminIncidentListParams {
  viewer: ConsoleViewer;
  incidents: readonly IncidentSummary[];
  /** Every merchant, for the new incident's lines. */
  merchants: readonly IncidentMerchantView[];
  values?: IncidentFormValues;
  errors?: FormErrors;
  notice?: string | null;
}

export function renderAdminIncidentList(p: AdminIncidentListParams): string {
  const table = p.incidents.length
    ? dataTable({
        caption: A.caption,
        rows: p.incidents,
        columns: [
          {
            header: A.columns.title,
            cell: (incident) =>
              html`<a href="/admin/incidents/${incident.id}">${incident.title}</a>`,
          },
          {
            header: A.columns.period,
            cell: (incident) => periodText(incident.occurredFrom, incident.occurredTo),
          },
          {
            header: A.columns.affected,
            cell: (incident) =>
              formatText(A.affectedCount, { count: incident.affectedMerchantCount }),
          },
          {
            header: A.columns.updatedAt,
            cell: (incident) => formatTokyoDateTime(incident.updatedAt),
          },
        ],
      })
    : html`<p class="empty card">${A.empty}</p>`;
  const values = p.values ?? {
    title: '',
    description: '',
    leakedItems: '',
    occurredFrom: '',
    occurredTo: '',
    merchants: [],
  };
  const errors = p.errors ?? {};
  const main = html`${errorSummaryOf(errors)} ${adminSubnav('incidents', p.viewer)}
    <h1>${phrases(A.listHeading)}</h1>
    ${noticeBox(p.notice)}
    <div class="card"><p>${A.intro}</p></div>
    ${table}
    <section class="card" aria-labelledby="new-incident-heading">
      <h2 id="new-incident-heading">${phrases(A.newHeading)}</h2>
      <form class="form" method="post" action="/admin/incidents" accept-charset="UTF-8">
        ${csrfField(p.viewer.csrfToken)} ${incidentFields(values, p.merchants, errors)}
        <button class="btn btn--primary" type="submit">${A.create}</button>
      </form>
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: A.listTitle,
    section: 'admin',
    main,
    hasErrors: Object.keys(errors).length > 0,
  });
}

export interface AdminIncidentEditParams {
  viewer: ConsoleViewer;
  incident: IncidentDetail;
  templates: readonly AnswerTemplateView[];
  values?: IncidentFormValues;
  errors?: FormErrors;
  /** The new-template form after a 400. */
  templateValues?: TemplateFormValues;
  templateErrors?: FormErrors;
  /** An edit form of one template after a 400. */
  editTemplateId?: number;
  editValues?: { title: string; body: string };
  editErrors?: FormErrors;
  notice?: string | null;
}

function decisionText(decision: 'approved' | 'changes_requested' | null): SafeHtml {
  const key = decision ?? 'none';
  return html`<span class="badge badge--decision-${key}">${W.decisions[key]}</span>`;
}

function approvalTable(
  version: AnswerTemplateView['versions'][number],
  affected: readonly IncidentMerchantView[],
): SafeHtml {
  if (affected.length === 0) return html`<p class="small muted">${A.noAffected}</p>`;
  const rows = affected.map((merchant) => ({
    merchant,
    approval: version.approvals.find((row) => row.merchantId === merchant.merchantId),
  }));
  return dataTable({
    caption: formatText(A.approvalsCaption, { version: version.version }),
    captionVisible: true,
    rows,
    columns: [
      { header: A.approvalColumns.merchant, cell: ({ merchant }) => merchant.merchantName },
      {
        header: A.approvalColumns.decision,
        cell: ({ approval }) => decisionText(approval?.decision ?? null),
      },
      {
        header: A.approvalColumns.comment,
        cell: ({ approval }) =>
          approval?.comment ? html`<span class="pre-wrap">${approval.comment}</span>` : '',
      },
      {
        header: A.approvalColumns.decidedAt,
        cell: ({ approval }) => (approval ? formatTokyoDateTime(approval.decidedAt) : ''),
      },
    ],
  });
}

function templateCard(p: AdminIncidentEditParams, template: AnswerTemplateView): SafeHtml {
  const affected = p.incident.merchants.filter((merchant) => merchant.affected);
  const editing = p.editTemplateId === template.id;
  const values =
    editing && p.editValues
      ? p.editValues
      : {
          title: template.title,
          body: template.versions[0]?.body ?? '',
        };
  const errors: FormErrors = editing ? (p.editErrors ?? {}) : {};
  const versions = template.versions.map(
    (version) =>
      html`<article class="answer-version" id="version-${version.id}">
        <h4>
          ${formatText(W.versionLabel, { version: version.version })}
          <span class="small muted"
            >${formatText(W.versionCreated, { at: formatTokyoDateTime(version.createdAt) })}</span
          >
        </h4>
        <p class="pre-wrap answer-version__body">${version.body}</p>
        ${approvalTable(version, affected)}
      </article>`,
  );
  const prefix = `t${template.id}-`;
  return html`<section class="card" aria-labelledby="template-${template.id}-heading">
    <h3 id="template-${template.id}-heading">
      ${formatText(W.templateHeading, { title: template.title, purpose: W.purposes[template.purpose] })}
    </h3>
    ${template.purpose === 'faq' ? html`<p class="small muted" data-faq-notice>${W.faqNotice}</p>` : ''}
    <p><a href="/admin/incidents/templates/${template.id}/outdated">${A.outdatedLink}</a></p>
    ${versions}
    <details ${editing ? html`open` : ''}>
      <summary>${A.editTemplateHeading}</summary>
      <form
        class="form"
        method="post"
        action="/admin/incidents/templates/${template.id}"
        accept-charset="UTF-8"
      >
        ${csrfField(p.viewer.csrfToken)}
        ${textField({
          requiredMark: T.common.requiredMark,
          name: 'title',
          id: `f-${prefix}title`,
          label: A.templateTitle,
          value: values.title,
          error: errors.title,
          required: true,
          maxLength: 200,
          autocomplete: 'off',
        })}
        ${textArea({
          requiredMark: T.common.requiredMark,
          name: 'body',
          id: `f-${prefix}body`,
          label: A.templateBody,
          hint: placeholderHint(),
          value: values.body,
          error: errors.body,
          required: true,
          maxLength: 10000,
          rows: 8,
        })}
        <button class="btn" type="submit">${A.saveVersion}</button>
      </form>
    </details>
  </section>`;
}

export function renderAdminIncidentEdit(p: AdminIncidentEditParams): string {
  const values = p.values ?? incidentFormValues(p.incident);
  const errors = p.errors ?? {};
  const templateValues = p.templateValues ?? { title: '', purpose: 'answer', body: '' };
  const templateErrors = p.templateErrors ?? {};
  const allErrors = {
    ...errors,
    ...prefixed(templateErrors, 'new-template-'),
    ...(p.editTemplateId === undefined ? {} : prefixed(p.editErrors, `t${p.editTemplateId}-`)),
  };
  const templates = p.templates.length
    ? html`${p.templates.map((template) => templateCard(p, template))}`
    : html`<p class="empty card">${A.noTemplates}</p>`;
  const main = html`${errorSummaryOf(allErrors)} ${adminSubnav('incidents', p.viewer)}
    <h1>${formatText(A.editHeading, { title: p.incident.title })}</h1>
    ${noticeBox(p.notice)}
    <p><a href="/admin/incidents">${A.backToList}</a></p>
    <p>
      <a
        class="btn btn--ghost"
        href="/supervisor/incidents/${p.incident.id}/report"
        data-report-link
        >${INCIDENT_REPORT_TEXTS.link}</a
      >
    </p>
    <section class="card" aria-labelledby="incident-form-heading">
      <h2 id="incident-form-heading" class="visually-hidden">${phrases(A.editHeading)}</h2>
      <form
        class="form"
        method="post"
        action="/admin/incidents/${p.incident.id}"
        accept-charset="UTF-8"
      >
        ${csrfField(p.viewer.csrfToken)} ${incidentFields(values, p.incident.merchants, errors)}
        <button class="btn btn--primary" type="submit">${A.save}</button>
      </form>
    </section>
    <section aria-labelledby="templates-heading">
      <h2 id="templates-heading">${phrases(A.templatesHeading)}</h2>
      <p class="small">${A.templatesIntro}</p>
      ${templates}
      <section class="card" aria-labelledby="new-template-heading">
        <h3 id="new-template-heading">${phrases(A.newTemplateHeading)}</h3>
        <form
          class="form"
          method="post"
          action="/admin/incidents/${p.incident.id}/templates"
          accept-charset="UTF-8"
        >
          ${csrfField(p.viewer.csrfToken)}
          ${textField({
            requiredMark: T.common.requiredMark,
            name: 'title',
            id: 'f-new-template-title',
            label: A.templateTitle,
            value: templateValues.title,
            error: templateErrors.title,
            required: true,
            maxLength: 200,
            autocomplete: 'off',
          })}
          ${selectField({
            name: 'purpose',
            id: 'f-new-template-purpose',
            label: A.templatePurpose,
            options: ANSWER_PURPOSES.map((purpose) => ({
              value: purpose,
              label: W.purposes[purpose],
            })),
            value: templateValues.purpose,
            error: templateErrors.purpose,
          })}
          <p class="small muted">${W.faqNotice}</p>
          ${textArea({
            requiredMark: T.common.requiredMark,
            name: 'body',
            id: 'f-new-template-body',
            label: A.templateBody,
            hint: placeholderHint(),
            value: templateValues.body,
            error: templateErrors.body,
            required: true,
            maxLength: 10000,
            rows: 8,
          })}
          <button class="btn btn--primary" type="submit">${A.addTemplate}</button>
        </form>
      </section>
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: formatText(A.editTitle, { title: p.incident.title }),
    section: 'admin',
    main,
    hasErrors: Object.keys(allErrors).length > 0,
  });
}
