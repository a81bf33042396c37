import { type FieldError, isTokyoDate, ValidationFailedException } from '@madoguchi/common';

export const INCIDENT_TITLE_MAX_LENGTH = 200;
export const INCIDENT_TEXT_MAX_LENGTH = 10_000;

/** One merchant's line of the incident form. */
export interface IncidentMerchantInput {
  merchantId: number;
  affected: boolean;
  /** Tokyo date `YYYY-MM-DD`, or empty / null for none. */
  noticeDate?: string | null;
}

/** What an admin enters; dates are Tokyo dates `YYYY-MM-DD` (empty: unknown). */
export interface IncidentInput {
  title: string;
  description: string;
  leakedItems: string;
  occurredFrom?: string | null;
  occurredTo?: string | null;
  merchants: IncidentMerchantInput[];
}

export interface IncidentValues {
  title: string;
  description: string;
  leakedItems: string;
  occurredFrom: string | null;
  occurredTo: string | null;
  merchants: { merchantId: number; affected: boolean; noticeDate: string | null }[];
}

/** Checks every field at once; throws one ValidationFailedException naming each bad field. */
export function validateIncidentInput(input: IncidentInput): IncidentValues {
  const errors: FieldError[] = [];
  const title = trimmed(input.title);
  const description = trimmed(input.description);
  const leakedItems = trimmed(input.leakedItems);
  if (title === '') errors.push({ field: 'title', message: '件名を入力してください。' });
  else if (title.length > INCIDENT_TITLE_MAX_LENGTH) {
    errors.push({
      field: 'title',
      message: `件名は${INCIDENT_TITLE_MAX_LENGTH}文字以内で入力してください。`,
    });
  }
  textField(errors, 'description', description, '発生した事象を入力してください。');
  textField(errors, 'leakedItems', leakedItems, '流出した情報を入力してください。');
  const occurredFrom = dateField(errors, 'occurredFrom', input.occurredFrom);
  const occurredTo = dateField(errors, 'occurredTo', input.occurredTo);
  if (occurredFrom && occurredTo && occurredTo < occurredFrom) {
    errors.push({ field: 'occurredTo', message: '終了日は開始日以降の日付にしてください。' });
  }
  const seen = new Set<number>();
  const merchants: IncidentValues['merchants'] = [];
  for (const line of Array.isArray(input.merchants) ? input.merchants : []) {
    if (!Number.isInteger(line.merchantId) || seen.has(line.merchantId)) {
      errors.push({ field: 'merchants', message: '加盟店の指定が正しくありません。' });
      continue;
    }
    seen.add(line.merchantId);
    const noticeDate = dateField(
      errors,
      `noticeDate_${line.merchantId}`,
      line.noticeDate,
      '通知日は YYYY-MM-DD の形式で入力してください。',
    );
    merchants.push({ merchantId: line.merchantId, affected: line.affected === true, noticeDate });
  }
  if (errors.length > 0) throw new ValidationFailedException(errors);
  return { title, description, leakedItems, occurredFrom, occurredTo, merchants };
}

function trimmed(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function textField(errors: FieldError[], field: string, value: string, missing: string): void {
  if (value === '') errors.push({ field, message: missing });
  else if (value.length > INCIDENT_TEXT_MAX_LENGTH) {
    errors.push({
      field,
      message: `${INCIDENT_TEXT_MAX_LENGTH.toLocaleString('ja-JP')}文字以内で入力してください。`,
    });
  }
}

function dateField(
  errors: FieldError[],
  field: string,
  value: unknown,
  message = '日付は YYYY-MM-DD の形式で入力してください。',
): string | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return null;
  if (!isTokyoDate(text)) {
    errors.push({ field, message });
    return null;
  }
  return text;
}
