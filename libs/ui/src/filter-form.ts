import { phrases } from './phrases';
import { html, type HtmlValue, SafeHtml } from './html.util';
import type { SelectOption } from './components';

export interface FilterFormOptions {
  /** Where the form GETs to; also the reset link unless `resetHref` is given. */
  action: string;
  /** The form's visually hidden heading, which names it. */
  heading: string;
  /** The controls, e.g. selectField(...) for each filter. */
  fields: readonly HtmlValue[];
  applyLabel: string;
  resetLabel: string;
  resetHref?: string;
  /** Id of the heading; default `filters-heading`. */
  headingId?: string;
}

/** A list's filter form: GET to the list, its fields, apply and a reset link back to the bare list. */
export function filterForm(options: FilterFormOptions): SafeHtml {
  const headingId = options.headingId ?? 'filters-heading';
  const reset = options.resetHref ?? options.action;
  return html`<form
    class="filters"
    method="get"
    action="${options.action}"
    aria-labelledby="${headingId}"
  >
    <h2 class="visually-hidden" id="${headingId}">${phrases(options.heading)}</h2>
    ${options.fields}
    <div class="filters__actions">
      <button class="btn" type="submit">${options.applyLabel}</button>
      <a class="btn btn--ghost" href="${reset}">${options.resetLabel}</a>
    </div>
  </form>`;
}

/** Select options from `[value, label]` pairs. */
export function selectOptions(entries: readonly (readonly [string, string])[]): SelectOption[] {
  return entries.map(([value, label]) => ({ value, label }));
}
