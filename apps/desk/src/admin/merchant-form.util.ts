import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import type { MerchantInput, SiteInput, TicketActor } from '@madoguchi/tickets';
import { FormValues } from '../console/console-http.util';
import {
  MERCHANT_FORM_FIELDS,
  type MerchantFormValues,
  SITE_FORM_FIELDS,
  type SiteFormValues,
} from '../views';

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
  };
}

/**
 * The field errors of a validation failure, keyed by the form's field names; null for any other
 * error (rethrown to the global filter). An error on an unknown field lands on the first one.
 */
export function fieldErrorsOf<F extends string>(
  error: unknown,
  fields: readonly F[],
): Partial<Record<F, string>> | null {
  if (!(error instanceof DomainException && error.code === ErrorCode.ValidationFailed)) return null;
  const errors: Partial<Record<F, string>> = {};
  for (const { field, message } of error.fieldErrors) {
    const key = (fields as readonly string[]).includes(field) ? (field as F) : fields[0];
    errors[key] ??= message;
  }
  if (Object.keys(errors).length === 0) errors[fields[0]] = error.message;
  return errors;
}

export const MERCHANT_FIELDS = MERCHANT_FORM_FIELDS;
export const SITE_FIELDS = SITE_FORM_FIELDS;

/** Who acts, for audit. */
export function adminActor(user: AuthenticatedUser, request: FastifyRequest): TicketActor {
  return { userId: user.id, ip: request.ip ?? null };
}
