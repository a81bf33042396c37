import {
  CANNED_PLACEHOLDERS,
  type FieldError,
  unknownPlaceholders,
  ValidationFailedException,
} from '@madoguchi/common';
import {
  ANSWER_PURPOSES,
  type AnswerPurpose,
  FAQ_ALLOWED_PLACEHOLDERS,
} from './answer-purpose.constant';

export const ANSWER_TITLE_MAX_LENGTH = 200;
export const ANSWER_BODY_MAX_LENGTH = 10_000;
export const ANSWER_COMMENT_MAX_LENGTH = 2_000;

export interface AnswerTemplateInput {
  title: string;
  purpose: string;
  body: string;
}

/** Title and body of a template (the purpose is fixed once the template exists). */
export function validateAnswerText(
  input: { title: unknown; body: unknown },
  errors: FieldError[] = [],
): { title: string; body: string } {
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  const body = typeof input.body === 'string' ? input.body.trim() : '';
  if (title === '') errors.push({ field: 'title', message: '件名を入力してください。' });
  else if (title.length > ANSWER_TITLE_MAX_LENGTH) {
    errors.push({
      field: 'title',
      message: `件名は${ANSWER_TITLE_MAX_LENGTH}文字以内で入力してください。`,
    });
  }
  if (body === '') errors.push({ field: 'body', message: '本文を入力してください。' });
  else if (body.length > ANSWER_BODY_MAX_LENGTH) {
    errors.push({
      field: 'body',
      message: `本文は${ANSWER_BODY_MAX_LENGTH.toLocaleString('ja-JP')}文字以内で入力してください。`,
    });
  } else {
    const unknown = unknownPlaceholders(body);
    if (unknown.length > 0) {
      const known = Object.keys(CANNED_PLACEHOLDERS)
        .map((key) => `{{${key}}}`)
        .join(' ');
      errors.push({
        field: 'body',
        message: `使えない差し込み項目があります: ${unknown.map((key) => `{{${key}}}`).join(' ')}(使えるもの: ${known})`,
      });
    }
  }
  if (errors.length > 0) throw new ValidationFailedException(errors);
  return { title, body };
}

export function validateAnswerTemplateInput(input: AnswerTemplateInput): {
  title: string;
  purpose: AnswerPurpose;
  body: string;
} {
  const errors: FieldError[] = [];
  const purpose = (ANSWER_PURPOSES as readonly string[]).includes(input.purpose)
    ? (input.purpose as AnswerPurpose)
    : null;
  if (purpose === null) errors.push({ field: 'purpose', message: '用途を選択してください。' });
  if (purpose === 'faq') faqPlaceholderErrors(input.body, errors);
  const { title, body } = validateAnswerText(input, errors);
  // validateAnswerText throws when it found errors, including the purpose's.
  return { title, body, purpose: purpose as AnswerPurpose };
}

/**
 * A `faq` answer (the public incident page) cannot hold a placeholder that needs a ticket:
 * `{{name}}`, `{{reference}}`, `{{agent}}` (only `{{merchant}}` and `{{site}}` are filled there).
 * Adds a field error on `body` naming them; returns whether it found any.
 */
export function faqPlaceholderErrors(body: unknown, errors: FieldError[]): boolean {
  if (typeof body !== 'string') return false;
  const allowed: readonly string[] = FAQ_ALLOWED_PLACEHOLDERS;
  const needTicket = new Set<string>();
  for (const match of body.matchAll(/\{\{\s*([a-z]+)\s*\}\}/g)) {
    const key = match[1];
    if (Object.prototype.hasOwnProperty.call(CANNED_PLACEHOLDERS, key) && !allowed.includes(key))
      needTicket.add(key);
  }
  if (needTicket.size === 0) return false;
  errors.push({
    field: 'body',
    message: `公開ページ用（FAQ）の回答には、お問い合わせごとの差し込み項目は使えません: ${[...needTicket].map((key) => `{{${key}}}`).join(' ')}（使えるもの: {{merchant}} {{site}}）`,
  });
  return true;
}
