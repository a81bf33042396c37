import {
  CANNED_PLACEHOLDERS,
  type FieldError,
  unknownPlaceholders,
  ValidationFailedException,
} from '@madoguchi/common';
import { ANSWER_PURPOSES, type AnswerPurpose } from './answer-purpose.constant';

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
  const { title, body } = validateAnswerText(input, errors);
  // validateAnswerText throws when it found errors, including the purpose's.
  return { title, body, purpose: purpose as AnswerPurpose };
}
