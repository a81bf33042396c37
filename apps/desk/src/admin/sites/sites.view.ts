import type { Merchant, Site } from '@madoguchi/tenancy';
import { checkboxField, formatText, html, SafeHtml, textArea, textField } from '@madoguchi/ui';
import {
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
} from '../../web';
import { adminSubnav } from '../shared/admin-subnav.view';
import { SITES_TEXTS } from './sites.texts';

const T = SHARED_TEXTS;
const S = SITES_TEXTS;

export const SITE_FORM_FIELDS = [
  'slug',
  'displayName',
  'logoUrl',
  'brandColor',
  'contactUrl',
  'contactText',
  'senderName',
  'intakeOpen',
  'phoneCode',
  'inboundAlias',
] as const;
export type SiteFormField = (typeof SITE_FORM_FIELDS)[number];
export type SiteFormValues = Record<Exclude<SiteFormField, 'intakeOpen'>, string> & {
  intakeOpen: boolean;
};
export type SiteFormErrors = Partial<Record<SiteFormField, string>>;

export const EMPTY_SITE_FORM: SiteFormValues = {
  slug: '',
  displayName: '',
  logoUrl: '',
  brandColor: '#0b5fff',
  contactUrl: '',
  contactText: '',
  senderName: '',
  intakeOpen: true,
  phoneCode: '',
  inboundAlias: '',
};

export function siteFormValues(site: Site): SiteFormValues {
  return {
    slug: site.slug,
    displayName: site.displayName,
    logoUrl: site.logoUrl ?? '',
    brandColor: site.brandColor,
    contactUrl: site.contactUrl ?? '',
    contactText: site.contactText ?? '',
    senderName: site.senderName,
    intakeOpen: site.intakeOpen,
    phoneCode: site.phoneCode ?? '',
    inboundAlias: site.inboundAlias ?? '',
  };
}

/** The fields of a site, shared by "add site" (merchant page) and "edit site". */
export function siteFields(
  values: SiteFormValues = EMPTY_SITE_FORM,
  errors: SiteFormErrors = {},
): SafeHtml {
  const marks = { requiredMark: T.common.requiredMark, optionalMark: T.common.optionalMark };
  return html`${textField({
    ...marks,
    name: 'slug',
    label: S.slug,
    hint: S.slugHint,
    value: values.slug,
    error: errors.slug,
    required: true,
    maxLength: 64,
    autocomplete: 'off',
  })}
  ${textField({
    ...marks,
    name: 'displayName',
    label: S.displayName,
    value: values.displayName,
    error: errors.displayName,
    required: true,
    maxLength: 200,
    autocomplete: 'off',
  })}
  ${textField({
    ...marks,
    name: 'logoUrl',
    label: S.logoUrl,
    hint: S.logoUrlHint,
    type: 'url',
    value: values.logoUrl,
    error: errors.logoUrl,
    maxLength: 500,
    autocomplete: 'off',
  })}
  ${textField({
    ...marks,
    name: 'brandColor',
    label: S.brandColor,
    hint: S.brandColorHint,
    value: values.brandColor,
    error: errors.brandColor,
    required: true,
    maxLength: 7,
    autocomplete: 'off',
  })}
  ${textField({
    ...marks,
    name: 'contactUrl',
    label: S.contactUrl,
    hint: S.contactUrlHint,
    type: 'url',
    value: values.contactUrl,
    error: errors.contactUrl,
    maxLength: 500,
    autocomplete: 'off',
  })}
  ${textArea({
    ...marks,
    name: 'contactText',
    label: S.contactText,
    hint: S.contactTextHint,
    value: values.contactText,
    error: errors.contactText,
    maxLength: 500,
    rows: 2,
  })}
  ${textField({
    ...marks,
    name: 'senderName',
    label: S.senderName,
    hint: S.senderNameHint,
    value: values.senderName,
    error: errors.senderName,
    required: true,
    maxLength: 200,
    autocomplete: 'off',
  })}
  ${checkboxField({
    name: 'intakeOpen',
    label: S.intakeOpen,
    hint: S.intakeOpenHint,
    checked: values.intakeOpen,
    error: errors.intakeOpen,
  })}
  ${textField({
    ...marks,
    name: 'phoneCode',
    label: S.phoneCode,
    hint: S.phoneCodeHint,
    value: values.phoneCode,
    error: errors.phoneCode,
    maxLength: 6,
    inputmode: 'numeric',
    autocomplete: 'off',
  })}
  ${textField({
    ...marks,
    name: 'inboundAlias',
    label: S.inboundAlias,
    hint: S.inboundAliasHint,
    // Not type=email: a local part at the inbound domain (`support-a`) is an alias too.
    inputmode: 'email',
    value: values.inboundAlias,
    error: errors.inboundAlias,
    maxLength: 254,
    autocomplete: 'off',
  })}`;
}

/** The addresses mail to which opens a ticket of the site: `<slug>@` the inbound domain, and the alias. */
export function inboundAddressesOf(site: Site, inboundDomain: string): string[] {
  const addresses = [`${site.slug}@${inboundDomain}`];
  if (site.inboundAlias) {
    addresses.push(
      site.inboundAlias.includes('@') ? site.inboundAlias : `${site.inboundAlias}@${inboundDomain}`,
    );
  }
  return addresses;
}

export interface AdminSiteEditParams {
  viewer: ConsoleViewer;
  site: Site;
  merchant: Merchant;
  /** Where the intake serves this site's form (INTAKE_PUBLIC_URL + /s/slug). */
  intakeUrl: string;
  /** INBOUND_MAIL_DOMAIN: the site's inbound address is `<slug>@` it. */
  inboundDomain: string;
  values?: SiteFormValues;
  errors?: SiteFormErrors;
  notice?: string | null;
}

export function renderAdminSiteEdit(p: AdminSiteEditParams): string {
  const name = p.site.displayName;
  const main = html`${fieldErrorSummary(SITE_FORM_FIELDS, p.errors)}
    ${adminSubnav('merchants', p.viewer)}
    <h1>${formatText(S.editHeading, { name })}</h1>
    ${noticeBox(p.notice)}
    <dl class="meta meta--compact card">
      <dt>${S.merchant}</dt>
      <dd><a href="/admin/merchants/${p.merchant.id}">${p.merchant.name}</a></dd>
      <dt>${S.preview}</dt>
      <dd><a href="${p.intakeUrl}" rel="noopener" target="_blank">${p.intakeUrl}</a></dd>
      <dt>${S.inboundAddress}</dt>
      <dd>
        <ul class="inbound-addresses">
          ${inboundAddressesOf(p.site, p.inboundDomain).map(
            (address) => html`<li class="literal" data-inbound-address>${address}</li>`,
          )}
        </ul>
        <p class="small muted">${S.inboundAddressHint}</p>
      </dd>
    </dl>
    <form class="form card" method="post" action="/admin/sites/${p.site.id}" accept-charset="UTF-8">
      <p>${S.liveNote}</p>
      ${csrfField(p.viewer.csrfToken)} ${siteFields(p.values ?? siteFormValues(p.site), p.errors)}
      <div class="button-row">
        <button class="btn btn--primary" type="submit">${S.save}</button>
        <a class="btn btn--ghost" href="/admin/merchants/${p.merchant.id}">${S.backToMerchant}</a>
      </div>
    </form>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: formatText(S.editTitle, { name }),
    section: 'admin',
    main,
    hasErrors: Object.keys(p.errors ?? {}).length > 0,
  });
}
