/** Replaces `{key}` placeholders; unknown keys stay visible so a missing param gets noticed. */
export function formatText(
  template: string,
  params: Readonly<Record<string, string | number>>,
): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) =>
    Object.prototype.hasOwnProperty.call(params, key) ? String(params[key]) : match,
  );
}

// Built once: constructing an Intl formatter is the expensive part.
const TOKYO_DATE_TIME = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * `2026年11月24日 21:05` in Japan time, whatever the server's zone. Assembled from parts so
 * the shape does not depend on the ICU version's literals.
 */
export function formatTokyoDateTime(date: Date): string {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of TOKYO_DATE_TIME.formatToParts(date)) parts[part.type] = part.value;
  return `${parts.year}年${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}
