import { isEmail } from 'class-validator';
import { foldWidth, normalisePhoneE164 } from '@madoguchi/crypto';
import { TICKET_CATEGORY_KEYS, type TicketCategory } from '../ticket/ticket.constant';

export const INQUIRY_LIMITS = {
  name: 100,
  email: 254,
  phone: 30,
  orderNumber: 64,
  message: 4000,
} as const;

export const INQUIRY_FIELDS = [
  'name',
  'email',
  'phone',
  'orderNumber',
  'category',
  'message',
  'consent',
] as const;
export type InquiryField = (typeof INQUIRY_FIELDS)[number];

export type InquiryIssueCode =
  | 'required'
  | 'too_long'
  | 'invalid_type'
  | 'invalid_email'
  | 'invalid_phone'
  | 'invalid_category'
  | 'consent_required'
  | 'unknown_field';

/** A problem with one field; the app turns the code into words in its own language. */
export interface InquiryIssue {
  field: string;
  code: InquiryIssueCode;
  max?: number;
}

/** A validated inquiry: trimmed, optional fields absent rather than empty. */
export interface InquiryInput {
  name: string;
  email: string;
  phone: string | null;
  orderNumber: string | null;
  category: TicketCategory;
  message: string;
}

export type InquiryValidation =
  { ok: true; value: InquiryInput } | { ok: false; issues: InquiryIssue[] };

// eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * The one set of rules for an inquiry, shared by the JSON API and the HTML form: every field
 * checked, unknown fields refused, nothing partially accepted.
 */
export function validateInquiryInput(
  body: unknown,
  options: { consentFromCheckbox?: boolean; ignoredFields?: readonly string[] } = {},
): InquiryValidation {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, issues: [{ field: 'body', code: 'invalid_type' }] };
  }
  const raw = body as Record<string, unknown>;
  const issues: InquiryIssue[] = [];
  const ignored = new Set(options.ignoredFields ?? []);
  for (const key of Object.keys(raw)) {
    if (!(INQUIRY_FIELDS as readonly string[]).includes(key) && !ignored.has(key)) {
      issues.push({ field: key, code: 'unknown_field' });
    }
  }

  const text = (
    field: InquiryField,
    max: number,
    required: boolean,
    multiline = false,
  ): string | null => {
    const value = raw[field];
    if (value === undefined || value === null || value === '') {
      if (required) issues.push({ field, code: 'required' });
      return null;
    }
    if (typeof value !== 'string') {
      issues.push({ field, code: 'invalid_type' });
      return null;
    }
    const cleaned = (multiline ? value.replace(/\r\n?/g, '\n') : value.replace(/\s+/g, ' '))
      .replace(CONTROL_CHARS, '')
      .trim();
    if (cleaned === '') {
      if (required) issues.push({ field, code: 'required' });
      return null;
    }
    if ([...cleaned].length > max) {
      issues.push({ field, code: 'too_long', max });
      return null;
    }
    return cleaned;
  };

  const name = text('name', INQUIRY_LIMITS.name, true);
  let email = text('email', INQUIRY_LIMITS.email, true);
  if (email !== null) {
    email = foldWidth(email);
    if (!isEmail(email)) {
      issues.push({ field: 'email', code: 'invalid_email' });
      email = null;
    }
  }
  let phone = text('phone', INQUIRY_LIMITS.phone, false);
  if (phone !== null && normalisePhoneE164(phone) === null) {
    issues.push({ field: 'phone', code: 'invalid_phone' });
    phone = null;
  }
  const orderNumber = text('orderNumber', INQUIRY_LIMITS.orderNumber, false);
  const categoryValue = raw.category;
  let category: TicketCategory | null = null;
  if (categoryValue === undefined || categoryValue === null || categoryValue === '') {
    issues.push({ field: 'category', code: 'required' });
  } else if (
    typeof categoryValue !== 'string' ||
    !(TICKET_CATEGORY_KEYS as string[]).includes(categoryValue)
  ) {
    issues.push({ field: 'category', code: 'invalid_category' });
  } else {
    category = categoryValue as TicketCategory;
  }
  const message = text('message', INQUIRY_LIMITS.message, true, true);
  const consent = raw.consent;
  const consentGiven = options.consentFromCheckbox
    ? typeof consent === 'string' && ['on', 'true', '1', 'yes'].includes(consent)
    : consent === true;
  if (!consentGiven) issues.push({ field: 'consent', code: 'consent_required' });

  if (
    issues.length > 0 ||
    name === null ||
    email === null ||
    category === null ||
    message === null
  ) {
    return { ok: false, issues };
  }
  return { ok: true, value: { name, email, phone, orderNumber, category, message } };
}

/** The text of a reply an end user adds on the status page. */
export function validateCustomerReply(
  body: unknown,
): { ok: true; message: string } | { ok: false; issue: InquiryIssue } {
  const raw = (body ?? {}) as Record<string, unknown>;
  const value = raw.message;
  if (typeof value !== 'string' || value.trim() === '')
    return { ok: false, issue: { field: 'message', code: 'required' } };
  const cleaned = value.replace(/\r\n?/g, '\n').replace(CONTROL_CHARS, '').trim();
  if ([...cleaned].length > INQUIRY_LIMITS.message) {
    return {
      ok: false,
      issue: { field: 'message', code: 'too_long', max: INQUIRY_LIMITS.message },
    };
  }
  return { ok: true, message: cleaned };
}
