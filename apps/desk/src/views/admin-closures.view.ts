import type { CalendarClosure } from '@madoguchi/calendar';
import { formatText, html, textField } from '@madoguchi/ui';
import { DESK_TEXTS } from '../i18n/ja';
import {
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  noticeBox,
  renderConsolePage,
} from './desk-page.view';
import { adminSubnav } from './admin-merchant-layout.view';

const T = DESK_TEXTS;
const C = T.adminMerchants.calendar;

export interface ClosureFormValues {
  date: string;
  reason: string;
}
export type ClosureFormErrors = Partial<Record<keyof ClosureFormValues, string>>;

export interface AdminClosuresParams {
  viewer: ConsoleViewer;
  closures: readonly CalendarClosure[];
  values?: ClosureFormValues;
  errors?: ClosureFormErrors;
  notice?: string | null;
}

export function renderAdminClosures(p: AdminClosuresParams): string {
  const rows = p.closures.map(
    (closure) =>
      html`<tr>
        <th scope="row"><time datetime="${closure.date}">${closure.date}</time></th>
        <td>${closure.reason}</td>
        <td>
          <form method="post" action="/admin/calendar/${closure.id}/delete">
            ${csrfField(p.viewer.csrfToken)}
            <button
              class="btn btn--danger btn--small"
              type="submit"
              aria-label="${formatText(C.deleteLabel, { date: closure.date })}"
            >
              ${C.delete}
            </button>
          </form>
        </td>
      </tr>`,
  );
  const table = p.closures.length
    ? html`<div class="table-wrap">
        <table>
          <caption class="visually-hidden">
            ${C.caption}
          </caption>
          <thead>
            <tr>
              <th scope="col">${C.columns.date}</th>
              <th scope="col">${C.columns.reason}</th>
              <th scope="col">${C.columns.actions}</th>
            </tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>
      </div>`
    : html`<p class="empty card">${C.empty}</p>`;
  const values = p.values ?? { date: '', reason: '' };
  const errors = p.errors ?? {};
  const marks = { requiredMark: T.common.requiredMark };
  const main = html`${fieldErrorSummary(['date', 'reason'], errors)} ${adminSubnav('calendar')}
    <h1>${C.heading}</h1>
    ${noticeBox(p.notice)}
    <div class="card">
      <p>${C.intro}</p>
      <p>${C.propagation}</p>
    </div>
    ${table}
    <section class="card" aria-labelledby="new-closure-heading">
      <h2 id="new-closure-heading">${C.newHeading}</h2>
      <form class="form" method="post" action="/admin/calendar" accept-charset="UTF-8">
        ${csrfField(p.viewer.csrfToken)}
        ${textField({
          ...marks,
          name: 'date',
          label: C.date,
          hint: C.dateHint,
          value: values.date,
          error: errors.date,
          required: true,
          maxLength: 10,
          autocomplete: 'off',
        })}
        ${textField({
          ...marks,
          name: 'reason',
          label: C.reason,
          value: values.reason,
          error: errors.reason,
          required: true,
          maxLength: 200,
          autocomplete: 'off',
        })}
        <button class="btn btn--primary" type="submit">${C.add}</button>
      </form>
    </section>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: C.title,
    section: 'admin',
    main,
    hasErrors: Object.keys(errors).length > 0,
  });
}
