import { formatText } from '@madoguchi/ui';
import { DESK_TEXTS } from '../i18n/ja';

/** The REST API's validation messages, from the desk's one catalogue. */
export const API_TEXTS = DESK_TEXTS.api;

/** A catalogue text with its `{name}` placeholders filled (limits, allowed values). */
export function apiText(template: string, values: Record<string, string | number>): string {
  return formatText(template, values);
}
