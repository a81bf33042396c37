/**
 * A tiny, dependency-free HTML builder. Every interpolated value is escaped unless it was built
 * by `html` or `raw()`, so a view cannot forget to escape user input.
 */

const SAFE_HTML_BRAND: unique symbol = Symbol('SafeHtml');

/** Markup that is already safe to emit as-is. Only `html` and `raw()` create it. */
export class SafeHtml {
  readonly [SAFE_HTML_BRAND] = true;

  constructor(private readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** What may be interpolated into `html`. Plain objects are excluded so `[object Object]` can't leak. */
export type HtmlValue =
  SafeHtml | string | number | bigint | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (ch) => ESCAPES[ch]);
}

/** Marks trusted markup (never pass user input here). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

export function isSafeHtml(value: unknown): value is SafeHtml {
  return value instanceof SafeHtml;
}

function renderValue(value: HtmlValue): string {
  // `false` lets `${cond && html`…`}` render nothing.
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map((item: HtmlValue) => renderValue(item)).join('');
  return escapeHtml(String(value));
}

/** Tagged template: literal parts are trusted, interpolations are escaped. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) {
    out += renderValue(values[i]) + strings[i + 1];
  }
  return new SafeHtml(out);
}
