import {
  errorSummary,
  type ErrorSummaryItem,
  formatText,
  html,
  phrases,
  textField,
} from '@madoguchi/ui';
import { type ConsoleViewer, csrfField, renderConsolePage, SHARED_TEXTS } from '../../web';
import { EXPORT_TEXTS } from './export.texts';

const T = SHARED_TEXTS;
const E = EXPORT_TEXTS;

export const PORTAL_EXPORT_PATH = '/portal/export';

export interface PortalExportParams {
  viewer: ConsoleViewer;
  /** The form's date values ('' = default); the password is never echoed back. */
  filter: { from: string; to: string };
  /** The service's caps: rows per file, files per day, days per range, the default range. */
  limits: { rows: number; times: number; days: number; defaultDays: number };
  errors?: readonly ErrorSummaryItem[];
  /** A refusal that is not about one field (daily limit): shown as the error summary. */
  refusal?: string;
}

export function renderPortalExport(p: PortalExportParams): string {
  const errors: ErrorSummaryItem[] = [...(p.errors ?? [])];
  if (p.refusal) errors.push({ field: 'password', message: p.refusal });
  const errorOf = (field: string) => p.errors?.find((e) => e.field === field)?.message;
  const marks = { requiredMark: T.common.requiredMark };
  // The range's limit is said once, with the first date; the caps per file and day above both.
  const fromHint = `${formatText(E.rangeLimit, p.limits)} ${E.dateHint}`;
  const perFile = { ...p.limits, rows: p.limits.rows.toLocaleString('ja-JP') };
  const main = html`${errorSummary(errors, p.refusal ? E.refused : T.validation.summaryTitle)}
    <h1>${phrases(E.title)}</h1>
    <p>${E.intro}</p>
    <form class="card" method="post" action="${PORTAL_EXPORT_PATH}" novalidate>
      ${csrfField(p.viewer.csrfToken)}
      <p class="field__hint" id="export-limits" data-limits>${formatText(E.limits, perFile)}</p>
      ${textField({ name: 'from', label: E.from, type: 'date', hint: fromHint, value: p.filter.from, error: errorOf('from') })}
      ${textField({ name: 'to', label: E.to, type: 'date', hint: E.dateHint, value: p.filter.to, error: errorOf('to') })}
      ${textField({
        ...marks,
        name: 'password',
        label: E.password,
        hint: E.passwordHint,
        type: 'password',
        autocomplete: 'current-password',
        required: true,
        maxLength: 256,
        error: errorOf('password'),
      })}
      <button class="btn btn--primary" type="submit">${E.submit}</button>
    </form>`;
  return renderConsolePage({
    viewer: p.viewer,
    title: E.title,
    section: 'portal-export',
    main,
    hasErrors: errors.length > 0,
  });
}
