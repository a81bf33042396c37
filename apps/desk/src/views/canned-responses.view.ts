import type { CannedResponseView } from '@madoguchi/tickets';
import { formatText, html, SafeHtml, selectField, textArea, textField } from '@madoguchi/ui';
import { DESK_TEXTS } from '../i18n/ja';
import {
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  noticeBox,
  renderConsolePage,
  timeTag,
} from './desk-page.view';

const T = DESK_TEXTS;
const C = T.canned;

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
  const rows = p.items.map(
    (item) =>
      html`<tr>
        <th scope="row">${item.title}</th>
        <td>${merchantName(p.merchants, item.merchantId)}</td>
        <td>${timeTag(item.updatedAt)}</td>
        <td>
          <a href="/canned-responses/${item.id}/edit"
            >${C.edit}<span class="visually-hidden">: ${item.title}</span></a
          >
        </td>
      </tr>`,
  );
  const table = p.items.length
    ? html`<div class="table-wrap">
        <table class="canned-table">
          <caption class="visually-hidden">
            ${C.caption}
          </caption>
          <thead>
            <tr>
              <th scope="col">${C.columns.title}</th>
              <th scope="col">${C.columns.scope}</th>
              <th scope="col">${C.columns.updatedAt}</th>
              <th scope="col">${C.columns.actions}</th>
            </tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>
      </div>`
    : html`<p class="empty card">${C.empty}</p>`;
  const main = html`${fieldErrorSummary(['title', 'body', 'merchantId'], p.errors)}
    <h1>${C.heading}</h1>
    ${noticeBox(p.notice)}
    <div class="card">${placeholderHelp()}</div>
    ${table}
    <section class="card" aria-labelledby="new-canned-heading">
      <h2 id="new-canned-heading">${C.newHeading}</h2>
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
    <h1>${C.editHeading}</h1>
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
      <h2 id="delete-canned-heading">${C.delete}</h2>
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
