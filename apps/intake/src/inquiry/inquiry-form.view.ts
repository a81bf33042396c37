import { INQUIRY_LIMITS } from '@madoguchi/tickets';
import {
  button,
  checkboxField,
  errorSummary,
  ErrorSummaryItem,
  formatText,
  honeypotField,
  html,
  phrases,
  selectField,
  SelectOption,
  textArea,
  textField,
} from '@madoguchi/ui';
import { attachmentField } from '../attachments/attachment-field.view';
import { INTAKE_ATTACHMENT_TEXTS } from '../attachments/attachments.texts';
import { FROM_FAQ_FIELD, incidentPageLink } from '../incident-page/incident-page.view';
import { statusLinkRecoveryLink } from '../status-link/status-link.view';
import { phoneWindow, renderIntakePage } from '../web/intake-page.view';
import { INTAKE_SHARED_TEXTS } from '../web/shared.texts';
import type { SiteBranding } from '../web/site-branding.type';
import { INQUIRY_FORM_TEXTS } from './inquiry-form.texts';

const T = INQUIRY_FORM_TEXTS;
const COMMON = INTAKE_SHARED_TEXTS.common;

/** Browser-side length hints: the server's own limits, so the two cannot drift apart. */
export const INQUIRY_FIELD_MAX_LENGTHS = INQUIRY_LIMITS;

export type InquiryTextField = 'name' | 'email' | 'phone' | 'orderNumber' | 'category' | 'message';

export interface InquiryFormValues extends Partial<Record<InquiryTextField, string>> {
  consent?: boolean;
}

export interface InquiryFormParams {
  site: SiteBranding;
  categories: SelectOption[];
  values: InquiryFormValues;
  /** Messages by field name (the JSON API's names, and `attachments`); other keys appear in the summary only. */
  errors: Partial<Record<string, string>>;
  /** Files the shopper had sent when the form comes back: they must be chosen again. */
  filesSent?: number;
  action: string;
  /** The site's public incident page, linked above the fields; null when it has nothing to show. */
  incidentPageUrl?: string | null;
  /** The shopper came from the incident page: the form carries `from_faq=1` (counted, no cookie). */
  fromFaq?: boolean;
  /** When an answer can be expected (generalExpectedAnswerSentence of @madoguchi/tickets). */
  expectedAnswer: string;
  /** The form's one-time token (issue 15): a second post of it shows the first ticket again. */
  formToken?: string;
}

/** The form's fields in page order: the error summary follows it. */
const FORM_FIELDS: readonly string[] = [
  'name',
  'email',
  'phone',
  'orderNumber',
  'category',
  'message',
  'attachments',
  'consent',
];

/** Also the name the server checks: a value here means a bot. */
export const HONEYPOT_FIELD = 'website';

/** The hidden one-time token of the form (issue 15). */
export const FORM_TOKEN_FIELD = 'form_token';

function summaryItems(errors: Partial<Record<string, string>>): ErrorSummaryItem[] {
  const known = FORM_FIELDS.flatMap((field) => {
    const message = errors[field];
    return message ? [{ field, message }] : [];
  });
  const other = Object.entries(errors).flatMap(([field, message]) =>
    message && !FORM_FIELDS.includes(field) ? [{ field: null, message }] : [],
  );
  return [...known, ...other];
}

export function renderInquiryForm(p: InquiryFormParams): string {
  const { site, values, errors } = p;
  const f = T.fields;
  const max = INQUIRY_FIELD_MAX_LENGTHS;
  const marks = { requiredMark: COMMON.requiredMark, optionalMark: COMMON.optionalMark };
  const names = { siteName: site.displayName, merchantName: site.merchantName };
  const items = summaryItems(errors);

  const main = html`${errorSummary(items, COMMON.errorSummaryTitle)}
    <h1>${phrases(T.form.heading)}</h1>
    <div class="card">
      ${T.form.intro.map((text) => html`<p>${formatText(text, names)}</p>`)}
      <p class="expected-answer">
        <strong>${T.form.expectedAnswerLabel}</strong><span>${p.expectedAnswer}</span>
      </p>
    </div>
    ${p.incidentPageUrl ? incidentPageLink(p.incidentPageUrl) : ''} ${phoneWindow(site)}
    <form
      class="form card"
      method="post"
      action="${p.action}"
      accept-charset="UTF-8"
      enctype="multipart/form-data"
    >
      ${p.fromFaq ? html`<input type="hidden" name="${FROM_FAQ_FIELD}" value="1" />` : ''}
      ${p.formToken && html`<input type="hidden" name="${FORM_TOKEN_FIELD}" value="${p.formToken}" />`}
      ${textField({
        ...marks,
        name: 'name',
        label: f.name.label,
        hint: f.name.hint,
        value: values.name,
        error: errors.name,
        required: true,
        autocomplete: 'name',
        maxLength: max.name,
      })}
      ${textField({
        ...marks,
        name: 'email',
        label: f.email.label,
        hint: f.email.hint,
        type: 'email',
        value: values.email,
        error: errors.email,
        required: true,
        autocomplete: 'email',
        inputmode: 'email',
        maxLength: max.email,
      })}
      ${textField({
        ...marks,
        name: 'phone',
        label: f.phone.label,
        hint: f.phone.hint,
        type: 'tel',
        value: values.phone,
        error: errors.phone,
        autocomplete: 'tel',
        inputmode: 'tel',
        maxLength: max.phone,
      })}
      ${textField({
        ...marks,
        name: 'orderNumber',
        label: f.orderNumber.label,
        hint: f.orderNumber.hint,
        value: values.orderNumber,
        error: errors.orderNumber,
        autocomplete: 'off',
        maxLength: max.orderNumber,
      })}
      ${selectField({
        ...marks,
        name: 'category',
        label: f.category.label,
        options: p.categories,
        placeholder: T.form.categoryPlaceholder,
        value: values.category,
        error: errors.category,
        required: true,
      })}
      ${textArea({
        ...marks,
        name: 'message',
        label: f.message.label,
        hint: formatText(f.message.hint, { max: max.message }),
        warning: T.form.cardNumberWarning,
        value: values.message,
        error: errors.message,
        required: true,
        maxLength: max.message,
        rows: 10,
      })}
      ${attachmentField({
        hint: INTAKE_ATTACHMENT_TEXTS.hint,
        error: errors.attachments,
        filesSent: p.filesSent,
        optionalMark: COMMON.optionalMark,
      })}
      <section aria-labelledby="consent-heading">
        <h2 id="consent-heading">${phrases(T.form.consentHeading)}</h2>
        <p class="consent-text">${formatText(T.form.consentText, names)}</p>
        ${checkboxField({
          ...marks,
          name: 'consent',
          label: T.form.consentLabel,
          checked: values.consent === true,
          error: errors.consent,
          required: true,
        })}
      </section>
      ${honeypotField({ name: HONEYPOT_FIELD, label: T.form.honeypotLabel })}
      ${button(T.form.submit)}
    </form>
    ${statusLinkRecoveryLink(site.slug)}`;

  return renderIntakePage({ site, title: T.form.title, hasErrors: items.length > 0, main });
}
