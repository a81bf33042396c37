import { html, raw, SafeHtml } from './html.util';
import { phrases } from './phrases';

/** Attribute values: `true` writes a bare boolean attribute, `false`/null/undefined omit it. */
export type AttributeValue = string | number | boolean | null | undefined;

/** Renders ` key="value"` pairs with escaped values. Keys come from code, never from input. */
export function attributes(attrs: Readonly<Record<string, AttributeValue>>): SafeHtml {
  const parts: SafeHtml[] = [];
  for (const [key, value] of Object.entries(attrs)) {
    if (value === true) parts.push(html` ${raw(key)}`);
    else if (value !== false && value !== null && value !== undefined) {
      parts.push(html` ${raw(key)}="${String(value)}"`);
    }
  }
  return html`${parts}`;
}

/** The id of a field's control; the error summary links to it. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

export const DEFAULT_REQUIRED_MARK = '必須';

interface FieldBase {
  name: string;
  label: string;
  /** Defaults to {@link fieldId}(name). */
  id?: string;
  error?: string | null;
  required?: boolean;
  /** Shown between label and control, read out with the control. */
  hint?: string | SafeHtml | null;
  /** Like a hint, styled as a caution (e.g. "no card numbers here"). */
  warning?: string | SafeHtml | null;
  /** Visible required marker; defaults to 必須. */
  requiredMark?: string;
  /** Visible optional marker (e.g. 任意); none when unset. */
  optionalMark?: string | null;
}

export type InputMode =
  'none' | 'text' | 'tel' | 'url' | 'email' | 'numeric' | 'decimal' | 'search';

export interface TextFieldOptions extends FieldBase {
  value?: string | null;
  /**
   * `date`: the browser's date picker, posting YYYY-MM-DD; where a browser has none it is a text
   * box, so give a hint with the format (the server checks the text either way).
   */
  type?: 'text' | 'email' | 'tel' | 'url' | 'search' | 'password' | 'date';
  autocomplete?: string;
  maxLength?: number;
  inputmode?: InputMode;
}

export interface TextAreaOptions extends FieldBase {
  value?: string | null;
  rows?: number;
  maxLength?: number;
  autocomplete?: string;
}

export interface SelectOption {
  value: string;
  label: string;
}

export interface SelectFieldOptions extends FieldBase {
  options: readonly SelectOption[];
  value?: string | null;
  /** An empty first option such as 選択してください; with `required` the browser insists on a choice. */
  placeholder?: string;
  autocomplete?: string;
}

export interface CheckboxFieldOptions extends Omit<FieldBase, 'label'> {
  /** May hold markup, e.g. a link to a privacy notice. */
  label: string | SafeHtml;
  checked?: boolean;
  /** What the browser posts when checked. */
  value?: string;
}

export interface ErrorSummaryItem {
  /** The field to link to; null for errors that belong to no visible field. */
  field?: string | null;
  message: string;
}

interface FieldParts {
  id: string;
  describedBy: string | undefined;
  invalid: 'true' | undefined;
  mark: SafeHtml;
  hint: SafeHtml;
  warning: SafeHtml;
  error: SafeHtml;
  wrapperClass: string;
}

function requirementMark(field: FieldBase | CheckboxFieldOptions): SafeHtml {
  if (field.required) {
    return html` <span class="tag tag--required"
      >${field.requiredMark ?? DEFAULT_REQUIRED_MARK}</span
    >`;
  }
  return field.optionalMark
    ? html` <span class="tag tag--optional">${field.optionalMark}</span>`
    : html``;
}

// Shared by every field so ids, aria wiring and markup cannot drift apart.
function fieldParts(field: FieldBase | CheckboxFieldOptions, kind: string): FieldParts {
  const id = field.id ?? fieldId(field.name);
  const hintId = `${id}-hint`;
  const warningId = `${id}-warning`;
  const errorId = `${id}-error`;
  // Error first: it is what the user needs to hear when returning to the field.
  const describedBy = [field.error && errorId, field.warning && warningId, field.hint && hintId]
    .filter(Boolean)
    .join(' ');
  return {
    id,
    describedBy: describedBy || undefined,
    invalid: field.error ? 'true' : undefined,
    mark: requirementMark(field),
    hint: field.hint ? html`<p class="field__hint" id="${hintId}">${field.hint}</p>` : html``,
    warning: field.warning
      ? html`<p class="field__warning" id="${warningId}">${field.warning}</p>`
      : html``,
    error: field.error
      ? html`<p class="field__error" id="${errorId}">
          <span class="field__error-icon" aria-hidden="true">!</span>${field.error}
        </p>`
      : html``,
    wrapperClass: `field field--${kind}${field.error ? ' field--invalid' : ''}`,
  };
}

function ariaAttributes(
  parts: FieldParts,
  required: boolean | undefined,
): Record<string, AttributeValue> {
  return {
    required: Boolean(required),
    'aria-required': required ? 'true' : undefined,
    'aria-invalid': parts.invalid,
    'aria-describedby': parts.describedBy,
  };
}

export function textField(options: TextFieldOptions): SafeHtml {
  const p = fieldParts(options, 'text');
  const type = options.type ?? 'text';
  // Addresses and codes are not prose: stop phones from capitalising or "correcting" them.
  const literal = type === 'email' || type === 'url' || type === 'tel';
  const input = attributes({
    id: p.id,
    name: options.name,
    type,
    value: options.value ?? '',
    autocomplete: options.autocomplete,
    inputmode: options.inputmode,
    maxlength: options.maxLength,
    autocapitalize: literal ? 'off' : undefined,
    spellcheck: literal ? 'false' : undefined,
    ...ariaAttributes(p, options.required),
  });
  return html`<div class="${p.wrapperClass}">
    <label class="field__label" for="${p.id}">${options.label}${p.mark}</label>
    ${p.hint}${p.warning}<input class="input" ${input} /> ${p.error}
  </div>`;
}

export function textArea(options: TextAreaOptions): SafeHtml {
  const p = fieldParts(options, 'textarea');
  const attrs = attributes({
    id: p.id,
    name: options.name,
    rows: options.rows ?? 8,
    maxlength: options.maxLength,
    autocomplete: options.autocomplete,
    ...ariaAttributes(p, options.required),
  });
  // A newline right after <textarea> is swallowed by the parser; the leading one keeps the value's own.
  return html`<div class="${p.wrapperClass}">
    <label class="field__label" for="${p.id}">${options.label}${p.mark}</label>
    ${p.hint}${p.warning}<textarea class="input input--textarea" ${attrs}>
${options.value ?? ''}</textarea>
    ${p.error}
  </div>`;
}

export function selectField(options: SelectFieldOptions): SafeHtml {
  const p = fieldParts(options, 'select');
  const current = options.value ?? '';
  const attrs = attributes({
    id: p.id,
    name: options.name,
    autocomplete: options.autocomplete,
    ...ariaAttributes(p, options.required),
  });
  const placeholder =
    options.placeholder !== undefined
      ? html`<option value="" ${attributes({ selected: current === '' })}>
          ${options.placeholder}
        </option>`
      : html``;
  const items = options.options.map(
    (o) =>
      html`<option${attributes({ value: o.value, selected: o.value === current })}>${o.label}</option>`,
  );
  return html`<div class="${p.wrapperClass}">
    <label class="field__label" for="${p.id}">${options.label}${p.mark}</label>
    ${p.hint}${p.warning}<select class="input input--select" ${attrs}>
      ${placeholder}${items}
    </select>
    ${p.error}
  </div>`;
}

export function checkboxField(options: CheckboxFieldOptions): SafeHtml {
  const p = fieldParts(options, 'checkbox');
  const attrs = attributes({
    id: p.id,
    name: options.name,
    type: 'checkbox',
    value: options.value ?? 'true',
    checked: Boolean(options.checked),
    ...ariaAttributes(p, options.required),
  });
  return html`<div class="${p.wrapperClass}">
    ${p.hint}${p.warning}
    <div class="checkbox">
      <input class="checkbox__input" ${attrs} />
      <label class="checkbox__label" for="${p.id}">${options.label}${p.mark}</label>
    </div>
    ${p.error}
  </div>`;
}

/**
 * The list of problems at the top of a re-rendered form, each linking to its field.
 * `autofocus` moves focus here on load, so keyboard and screen-reader users start at it without JS.
 */
export function errorSummary(errors: readonly ErrorSummaryItem[], title: string): SafeHtml {
  if (errors.length === 0) return html``;
  const items = errors.map((e) =>
    e.field
      ? html`<li><a href="#${fieldId(e.field)}">${e.message}</a></li>`
      : html`<li>${e.message}</li>`,
  );
  return html`<div
    class="error-summary"
    role="alert"
    aria-labelledby="error-summary-title"
    tabindex="-1"
    autofocus
  >
    <h2 class="error-summary__title" id="error-summary-title">${phrases(title)}</h2>
    <ul class="error-summary__list">
      ${items}
    </ul>
  </div>`;
}

export interface ButtonOptions {
  type?: 'submit' | 'button';
  name?: string;
  value?: string;
  /** `secondary`: outlined, for the lesser action beside a primary one (they must not look alike). */
  variant?: 'primary' | 'secondary';
}

export function button(label: string, options: ButtonOptions = {}): SafeHtml {
  const attrs = attributes({
    type: options.type ?? 'submit',
    name: options.name,
    value: options.value,
  });
  const className = options.variant === 'secondary' ? 'button button--secondary' : 'button';
  // Wraps between phrases only, also where a browser lacks word-break: auto-phrase (ui.css).
  return html`<button class="${className}" ${attrs}>${phrases(label)}</button>`;
}

export interface HoneypotOptions {
  name: string;
  /** Tells the rare human who reaches it (e.g. with CSS off) to leave it empty. */
  label: string;
}

/** A field people never see and bots tend to fill; the server rejects posts where it has a value. */
export function honeypotField(options: HoneypotOptions): SafeHtml {
  const id = fieldId(options.name);
  return html`<div class="hp" aria-hidden="true">
<label for="${id}">${options.label}</label>
<input${attributes({ id, name: options.name, type: 'text', value: '', tabindex: '-1', autocomplete: 'off' })}>
</div>`;
}
