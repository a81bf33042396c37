/** The placeholders a canned response may hold, with what each stands for. */
export const CANNED_PLACEHOLDERS = {
  name: 'お客様のお名前',
  reference: '受付番号',
  merchant: '加盟店名',
  site: 'サイト名',
  agent: '担当者名',
} as const;
export type CannedPlaceholder = keyof typeof CANNED_PLACEHOLDERS;

const PLACEHOLDER_PATTERN = /\{\{\s*([a-z]+)\s*\}\}/g;

/**
 * Fills `{{name}}`-style placeholders (spaces inside the braces allowed). Unknown placeholders
 * stay as written, so a typo shows in the draft instead of vanishing; a known one without a
 * value (a phone ticket has no name, say) becomes empty. Values are inserted as they are:
 * the text is a draft the agent edits, and pages escape it when they show it.
 */
export function renderCannedResponse(
  template: string,
  values: Partial<Record<CannedPlaceholder, string | null>>,
): string {
  return template.replace(PLACEHOLDER_PATTERN, (placeholder, key: string) => {
    if (!Object.prototype.hasOwnProperty.call(CANNED_PLACEHOLDERS, key)) return placeholder;
    return values[key as CannedPlaceholder] ?? '';
  });
}

/**
 * The placeholders of `template` that are not in {@link CANNED_PLACEHOLDERS}, each once, as
 * written inside the braces. Texts that must be exact (approved answers) are refused with them.
 */
export function unknownPlaceholders(template: string): string[] {
  const unknown = new Set<string>();
  for (const match of template.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) {
    const key = match[1];
    if (!Object.prototype.hasOwnProperty.call(CANNED_PLACEHOLDERS, key)) unknown.add(key);
  }
  return [...unknown];
}
