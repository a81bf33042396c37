import { formatText } from '@madoguchi/ui';

export { API_TEXTS } from './api.texts';

/** A catalogue text with its `{name}` placeholders filled (limits, allowed values). */
export function apiText(template: string, values: Record<string, string | number>): string {
  return formatText(template, values);
}
