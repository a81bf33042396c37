import type { CalendarClosure } from '@madoguchi/calendar';
import { dataTable, formatText, html, phrases, textField } from '@madoguchi/ui';
import {
  type ConsoleViewer,
  csrfField,
  fieldErrorSummary,
  noticeBox,
  renderConsolePage,
  SHARED_TEXTS,
} from '../../web';
import { confirmStepLink, renderConfirmStep } from '../../web/parts/confirm-step.view';
import { adminSubnav } from '../shared/admin-subnav.view';
import { CLOSURES_TEXTS } from './closures.texts';

const T = SHARED_TEXTS;
const C = CLOSURES_TEXTS;

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

export const ADMIN_CLOSURES_PATH = '/admin/calendar';

/** The POST route that deletes a closure. */
export function closureDeletePath(id: number): string {
  return `${ADMIN_CLOSURES_PATH}/${id}/delete`;
}

export function renderAdminClosures(p: AdminClosuresParams): string {
  const table = p.closures.length
    ? dataTable({
        caption: C.caption,
        rows: p.closures,
        columns: [
          {
            header: C.columns.date,
            cell: (closure) => html`<time datetime="${closure.date}">${closure.date}</time>`,
          },
          { header: C.columns.reason, cell: (closure) => closure.reason },
          {
            header: C.columns.actions,
            cell: (closure) =>
              confirmStepLink({
                action: closureDeletePath(closure.id),
                label: C.deleteStart,
                accessibleLabel: formatText(C.deleteLabel, { date: closure.date }),
                small: true,
              }),
          },
        ],
      })
    : html`<p class="empty card">${C.empty}</p>`;
  const values = p.values ?? { date: '', reason: '' };
  const errors = p.errors ?? {};
  const marks = { requiredMark: T.common.requiredMark };
  const main = html`${fieldErrorSummary(['date', 'reason'], errors)}
    ${adminSubnav('calendar', p.viewer)}
    <h1>${phrases(C.heading)}</h1>
    ${noticeBox(p.notice)}
    <div class="card">
      <p>${C.intro}</p>
      <p>${C.propagation}</p>
    </div>
    ${table}
    <section class="card" aria-labelledby="new-closure-heading">
      <h2 id="new-closure-heading">${phrases(C.newHeading)}</h2>
      <form class="form" method="post" action="/admin/calendar" accept-charset="UTF-8">
        ${csrfField(p.viewer.csrfToken)}
        ${textField({
          ...marks,
          name: 'date',
          label: C.date,
          type: 'date',
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

/** The confirm step of deleting a closure: the date, the reason and what changes. */
export function renderAdminClosureDeleteConfirm(p: {
  viewer: ConsoleViewer;
  closure: CalendarClosure;
}): string {
  const D = C.deleteConfirm;
  return renderConfirmStep({
    viewer: p.viewer,
    section: 'admin',
    title: formatText(D.title, { date: p.closure.date }),
    facts: [
      [D.date, html`<time datetime="${p.closure.date}">${p.closure.date}</time>`],
      [D.reason, p.closure.reason],
    ],
    consequences: D.items,
    action: closureDeletePath(p.closure.id),
    confirmLabel: C.delete,
    cancelLabel: T.common.cancel,
    cancelHref: ADMIN_CLOSURES_PATH,
  });
}
