import type { Merchant, Site } from '@madoguchi/tenancy';
import { tokyoDateOf } from '@madoguchi/common';
import type { MerchantSummary } from '@madoguchi/tenant-admin';
import { dataTable, formatText, html, phrases, SafeHtml, textArea, textField } from '@madoguchi/ui';
import {
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
} from '../../web';
import { adminSubnav } from '../shared/admin-subnav.view';
import { type SiteFormErrors, type SiteFormValues, siteFields } from '../sites/sites.view';
import { MERCHANTS_TEXTS } from './merchants.texts';

const T = SHARED_TEXTS;
const A = MERCHANTS_TEXTS;
const M = A.merchant;

export const MERCHANT_FORM_FIELDS = [
  'code',
  'name',
  'notificationEmails',
  'allowedIpRanges',
  'retentionDays',
  'supportEndsOn',
] as const;
export type MerchantFormField = (typeof MERCHANT_FORM_FIELDS)[number];
export type MerchantFormValues = Record<MerchantFormField, string>;
export type MerchantFormErrors = Partial<Record<MerchantFormField, string>>;

export function merchantFormValues(merchant: Merchant): MerchantFormValues {
  return {
    code: merchant.code,
    name: merchant.name,
    notificationEmails: merchant.notificationEmails.join('\n'),
    allowedIpRanges: merchant.allowedIpRanges.join('\n'),
    retentionDays: String(merchant.retentionDays),
    supportEndsOn: merchant.supportEndsAt ? tokyoDateOf(merchant.supportEndsAt) : '',
  };
}

export const EMPTY_MERCHANT_FORM: MerchantFormValues = {
  code: '',
  name: '',
  notificationEmails: '',
  allowedIpRanges: '',
  retentionDays: '365',
  supportEndsOn: '',
};

function merchantFields(values: MerchantFormValues, errors: MerchantFormErrors): SafeHtml {
  const marks = { requiredMark: T.common.requiredMark, optionalMark: T.common.optionalMark };
  return html`${textField({
    ...marks,
    name: 'code',
    label: M.code,
    hint: M.codeHint,
    value: values.code,
    error: errors.code,
    required: true,
    maxLength: 32,
    autocomplete: 'off',
  })}
  ${textField({
    ...marks,
    name: 'name',
    label: M.name,
    value: values.name,
    error: errors.name,
    required: true,
    maxLength: 200,
    autocomplete: 'off',
  })}
  ${textArea({
    ...marks,
    name: 'notificationEmails',
    label: M.notificationEmails,
    hint: M.notificationEmailsHint,
    value: values.notificationEmails,
    error: errors.notificationEmails,
    rows: 3,
  })}
  ${textArea({
    ...marks,
    name: 'allowedIpRanges',
    label: M.allowedIpRanges,
    hint: M.allowedIpRangesHint,
    value: values.allowedIpRanges,
    error: errors.allowedIpRanges,
    rows: 3,
  })}
  ${textField({
    ...marks,
    name: 'retentionDays',
    label: M.retentionDays,
    hint: M.retentionDaysHint,
    value: values.retentionDays,
    error: errors.retentionDays,
    required: true,
    maxLength: 4,
    inputmode: 'numeric',
    autocomplete: 'off',
  })}
  ${textField({
    ...marks,
    name: 'supportEndsOn',
    label: M.supportEndsOn,
    type: 'date',
    hint: M.supportEndsOnHint,
    value: values.supportEndsOn,
    error: errors.supportEndsOn,
    maxLength: 10,
    autocomplete: 'off',
  })}`;
}

function sitesSummary(sites: readonly Site[]): SafeHtml {
  if (sites.length === 0) return html`<span class="muted">${A.list.noSites}</span>`;
  return html`<ul class="plain-list">
    ${sites.map(
      (site) =>
        html`<li>
          <a href="/admin/sites/${site.id}">${site.displayName}</a> (<code>${site.slug}</code>)${
            site.intakeOpen ? '' : A.list.intakeClosed
          }
        </li>`,
    )}
  </ul>`;
}

/** "Edit", with the row's name for screen readers (a list of bare "Edit" links says nothing). */
function editLink(href: string, name: string): SafeHtml {
  return html`<a href="${href}">${A.list.edit}<span class="visually-hidden">: ${name}</span></a>`;
}

export interface AdminMerchantListParams {
  viewer: ConsoleViewer;
  merchants: readonly MerchantSummary[];
  values?: MerchantFormValues;
  errors?: MerchantFormErrors;
  notice?: string | null;
}

export function renderAdminMerchantList(p: AdminMerchantListParams): string {
  const L = A.list;
  const table = dataTable({
    caption: L.caption,
    rows: p.merchants,
    empty: L.empty,
    columns: [
      { header: L.columns.code, cell: (item) => html`<code>${item.merchant.code}</code>` },
      { header: L.columns.name, cell: (item) => item.merchant.name, rowHeader: true },
      { header: L.columns.sites, cell: (item) => sitesSummary(item.sites) },
      {
        header: L.columns.tickets,
        cell: (item) => `${item.activeTicketCount} / ${item.ticketCount}`,
      },
      {
        header: L.columns.supportEndsAt,
        cell: (item) =>
          item.merchant.supportEndsAt ? tokyoDateOf(item.merchant.supportEndsAt) : T.common.none,
      },
      {
        header: L.columns.actions,
        cell: (item) => editLink(`/admin/merchants/${item.merchant.id}`, item.merchant.name),
      },
    ],
  });
  const main = html`${fieldErrorSummary(MERCHANT_FORM_FIELDS, p.errors)}
    ${adminSubnav('merchants', p.viewer)}
    <h1>${phrases(L.heading)}</h1>
    ${noticeBox(p.notice)} ${table}
    <section class="card" aria-labelledby="new-merchant-heading">
      <h2 id="new-merchant-heading">${phrases(L.newHeading)}</h2>
      <p>${L.newIntro}</p>
      <form class="form" method="post" action="/admin/merchants" accept-charset="UTF-8">
        ${csrfField(p.viewer.csrfToken)}
        ${merchantFields(p.values ?? EMPTY_MERCHANT_FORM, p.errors ?? {})}
        <button class="btn btn--primary" type="submit">${L.create}</button>
      </form>
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: L.title,
    section: 'admin',
    main,
    hasErrors: Object.keys(p.errors ?? {}).length > 0,
  });
}

export interface AdminMerchantEditParams {
  viewer: ConsoleViewer;
  merchant: Merchant;
  sites: readonly Site[];
  /** The merchant form as sent (after an error); else the stored values. */
  values?: MerchantFormValues;
  errors?: MerchantFormErrors;
  /** The new-site form as sent (after an error). */
  siteValues?: SiteFormValues;
  siteErrors?: SiteFormErrors;
  notice?: string | null;
}

export function renderAdminMerchantEdit(p: AdminMerchantEditParams): string {
  const name = p.merchant.name;
  const sites = p.sites.length
    ? dataTable({
        caption: M.sitesCaption,
        rows: p.sites,
        columns: [
          { header: M.siteColumns.slug, cell: (site) => html`<code>${site.slug}</code>` },
          { header: M.siteColumns.displayName, cell: (site) => site.displayName, rowHeader: true },
          { header: M.siteColumns.intake, cell: (site) => (site.intakeOpen ? M.open : M.closed) },
          { header: M.siteColumns.phoneCode, cell: (site) => site.phoneCode ?? T.common.none },
          {
            header: M.siteColumns.actions,
            cell: (site) => editLink(`/admin/sites/${site.id}`, site.displayName),
          },
        ],
      })
    : html`<p class="empty">${M.noSites}</p>`;
  const errors = { ...(p.errors ?? {}), ...(p.siteErrors ?? {}) };
  const main = html`${fieldErrorSummary(
      [...MERCHANT_FORM_FIELDS, ...Object.keys(p.siteErrors ?? {})],
      errors,
    )}
    ${adminSubnav('merchants', p.viewer)}
    <h1>${formatText(M.editHeading, { name })}</h1>
    ${noticeBox(p.notice)}
    <form
      class="form card"
      method="post"
      action="/admin/merchants/${p.merchant.id}"
      accept-charset="UTF-8"
    >
      ${csrfField(p.viewer.csrfToken)}
      ${merchantFields(p.values ?? merchantFormValues(p.merchant), p.errors ?? {})}
      <div class="button-row">
        <button class="btn btn--primary" type="submit">${M.save}</button>
        <a class="btn btn--ghost" href="/admin/merchants">${M.backToList}</a>
      </div>
    </form>
    <section class="card" aria-labelledby="sites-heading">
      <h2 id="sites-heading">${phrases(M.sitesHeading)}</h2>
      ${sites}
    </section>
    <section class="card" aria-labelledby="new-site-heading">
      <h2 id="new-site-heading">${phrases(M.newSiteHeading)}</h2>
      <form
        class="form"
        method="post"
        action="/admin/merchants/${p.merchant.id}/sites"
        accept-charset="UTF-8"
      >
        ${csrfField(p.viewer.csrfToken)} ${siteFields(p.siteValues, p.siteErrors ?? {})}
        <button class="btn btn--primary" type="submit">${M.addSite}</button>
      </form>
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: formatText(M.editTitle, { name }),
    section: 'admin',
    main,
    hasErrors: Object.keys(errors).length > 0,
  });
}
