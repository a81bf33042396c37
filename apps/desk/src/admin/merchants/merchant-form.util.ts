import type { MerchantInput, SiteInput } from '@madoguchi/tenant-admin';
import { FormValues } from '../../web';
import { SITE_FORM_FIELDS, type SiteFormValues } from '../sites/sites.view';
import { MERCHANT_FORM_FIELDS, type MerchantFormValues } from './merchants.view';

/** The merchant form's fields as sent (shown again after an error) and as the service takes them. */
export function merchantFormOf(body: unknown): MerchantFormValues & MerchantInput {
  const form = new FormValues(body);
  return {
    code: form.text('code'),
    name: form.text('name'),
    notificationEmails: form.text('notificationEmails'),
    allowedIpRanges: form.text('allowedIpRanges'),
    retentionDays: form.text('retentionDays'),
    supportEndsOn: form.text('supportEndsOn'),
  };
}

/** An unchecked checkbox sends nothing, so "absent" means closed. */
export function siteFormOf(body: unknown): SiteFormValues & SiteInput {
  const form = new FormValues(body);
  return {
    slug: form.text('slug'),
    displayName: form.text('displayName'),
    logoUrl: form.text('logoUrl'),
    brandColor: form.text('brandColor'),
    contactUrl: form.text('contactUrl'),
    contactText: form.text('contactText'),
    senderName: form.text('senderName'),
    intakeOpen: form.text('intakeOpen') !== '',
    phoneCode: form.text('phoneCode'),
    inboundAlias: form.text('inboundAlias'),
  };
}

export const MERCHANT_FIELDS = MERCHANT_FORM_FIELDS;
export const SITE_FIELDS = SITE_FORM_FIELDS;
