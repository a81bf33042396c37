import type { CannedResponseView } from '@madoguchi/tickets';
import {
  dataTable,
  formatText,
  html,
  phrases,
  SafeHtml,
  selectField,
  textArea,
  textField,
} from '@madoguchi/ui';
import {
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  noticeBox,
  renderConsolePage,
  timeTag,
  SHARED_TEXTS as T,
} from '../../web';
import { CANNED_TEXTS as C } from './canned.texts';

export const CANNED_TITLE_MAX_LENGTH = 200;
export const CANNED_BODY_MAX_LENGTH = 10000;

export interface MerchantOption {
  id: number;
  name: string;
}

export interface CannedFormValues {
  title?: string;
  body?: string;
  /** '' = global. */
  merchantId?: string;
}

export type CannedFormErrors = Partial<Record<'title' | 'body' | 'merchantId', string>>;

export interface CannedListParams {
  viewer: ConsoleViewer;
  items: readonly CannedResponseView[];
  merchants: readonly MerchantOption[];
  values?: CannedFormValues;
  errors?: CannedFormErrors;
  notice?: string | null;
}

export interface CannedEditParams {
  viewer: ConsoleViewer;
  item: CannedResponseView;
  merchants: readonly MerchantOption[];
  values?: CannedFormValues;
  errors?: CannedFormErrors;
}

function merchantName(merchants: readonly MerchantOption[], id: number | null): string {
  if (id === null) return C.global;
  return merchants.find((m) => m.id === id)?.name ?? `#${id}`;
}

function fields(
  merchants: readonly MerchantOption[],
  values: CannedFormValues,
  errors: CannedFormErrors,
): SafeHtml {
  const marks = { requiredMark: T.common.requiredMark };
  return html`${textField({
    ...marks,
    name: 'title',
    label: C.titleLabel,
    value: values.title,
    error: errors.title,
    required: true,
    maxLength: CANNED_TITLE_MAX_LENGTH,
    autocomplete: 'off',
  })}
  ${selectField({
    name: 'merchantId',
    label: C.scopeLabel,
    options: [
      { value: '', label: C.global },
      ...merchants.map((m) => ({ value: String(m.id), label: m.name })),
    ],
    value: values.merchantId ?? '',
    error: errors.merchantId,
  })}
  ${textArea({
    ...marks,
    name: 'body',
    label: C.bodyLabel,
    value: values.body,
    error: errors.body,
    required: true,
    maxLength: CANNED_BODY_MAX_LENGTH,
    rows: 10,
  })}`;
}

function placeholderHelp(): SafeHtml {
  return html`<p>${C.intro}</p>
    <dl class="meta meta--compact">
      ${C.placeholders.map(
        (p) =>
          html`<dt><code>${p.key}</code></dt>
            <dd>${p.text}</dd>`,
      )}
    </dl>`;
}

export function renderCannedList(p: CannedListParams): string {
  const table = dataTable({
    caption: C.caption,
    empty: C.empty,
    tableClass: 'canned-table',
    rows: p.items,
    columns: [
      { header: C.columns.title, cell: (item) => item.title },
      { header: C.columns.scope, cell: (item) => merchantName(p.merchants, item.merchantId) },
      { header: C.columns.updatedAt, cell: (item) => timeTag(item.updatedAt) },
      {
        header: C.columns.actions,
        cell: (item) =>
          html`<a href="/canned-responses/${item.id}/edit"
            >${C.edit}<span class="visually-hidden">: ${item.title}</span></a
          >`,
      },
    ],
  });
  const main = html`${fieldErrorSummary(['title', 'body', 'merchantId'], p.errors)}
    <h1>${phrases(C.heading)}</h1>
    ${noticeBox(p.notice)}
    <div class="card">${placeholderHelp()}</div>
    ${table}
    <section class="card" aria-labelledby="new-canned-heading">
      <h2 id="new-canned-heading">${phrases(C.newHeading)}</h2>
      <form class="form" method="post" action="/canned-responses" accept-charset="UTF-8">
        ${csrfField(p.viewer.csrfToken)} ${fields(p.merchants, p.values ?? {}, p.errors ?? {})}
        <button class="btn btn--primary" type="submit">${C.create}</button>
      </form>
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: C.title,
    section: 'canned',
    main,
    hasErrors: Object.keys(p.errors ?? {}).length > 0,
  });
}

export function renderCannedEdit(p: CannedEditParams): string {
  const values: CannedFormValues = p.values ?? {
    title: p.item.title,
    body: p.item.body,
    merchantId: p.item.merchantId === null ? '' : String(p.item.merchantId),
  };
  const main = html`${fieldErrorSummary(['title', 'body', 'merchantId'], p.errors)}
    <h1>${phrases(C.editHeading)}</h1>
    <div class="card">${placeholderHelp()}</div>
    <form
      class="form card"
      method="post"
      action="/canned-responses/${p.item.id}"
      accept-charset="UTF-8"
    >
      ${csrfField(p.viewer.csrfToken)} ${fields(p.merchants, values, p.errors ?? {})}
      <div class="button-row">
        <button class="btn btn--primary" type="submit">${C.update}</button>
        <a class="btn btn--ghost" href="/canned-responses">${T.common.cancel}</a>
      </div>
    </form>
    <section class="card" aria-labelledby="delete-canned-heading">
      <h2 id="delete-canned-heading">${phrases(C.delete)}</h2>
      <p>${formatText(C.deleteConfirm, { title: p.item.title })}</p>
      <form method="post" action="/canned-responses/${p.item.id}/delete">
        ${csrfField(p.viewer.csrfToken)}
        <button class="btn btn--danger" type="submit">${C.delete}</button>
      </form>
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: C.editHeading,
    section: 'canned',
    main,
    hasErrors: Object.keys(p.errors ?? {}).length > 0,
  });
}
