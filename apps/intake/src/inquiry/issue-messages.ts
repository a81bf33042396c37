import { formatText } from '@madoguchi/ui';
import type { FieldError } from '@madoguchi/common';
import type { InquiryIssue } from '@madoguchi/tickets';
import { INQUIRY_FORM_TEXTS } from './inquiry-form.texts';

const V = INQUIRY_FORM_TEXTS.validation;
const FIELD_LABELS: Record<string, string> = Object.fromEntries(
  Object.entries(INQUIRY_FORM_TEXTS.fields).map(([field, { label }]) => [field, label]),
);

/** Puts an issue found by the tickets lib into the intake's words. */
export function issueMessage(issue: InquiryIssue): string {
  const max = { max: String(issue.max ?? '') };
  switch (issue.code) {
    case 'required':
      if (issue.field === 'name') return V.name.required;
      if (issue.field === 'email') return V.email.required;
      if (issue.field === 'category') return V.category.required;
      return V.message.required;
    case 'too_long': {
      const messages = V[issue.field as 'name' | 'email' | 'phone' | 'orderNumber' | 'message'];
      return formatText(messages?.tooLong ?? V.message.tooLong, max);
    }
    case 'invalid_email':
      return V.email.invalid;
    case 'invalid_phone':
      return V.phone.invalid;
    case 'invalid_category':
      return V.category.unknown;
    case 'consent_required':
      return V.consent.required;
    case 'unknown_field':
      return formatText(V.unknownField, { field: issue.field });
    case 'invalid_type':
      return formatText(V.invalidType, { field: FIELD_LABELS[issue.field] ?? issue.field });
  }
}

export function toFieldErrors(issues: InquiryIssue[]): FieldError[] {
  return issues.map((issue) => ({ field: issue.field, message: issueMessage(issue) }));
}
