import type { AccessLogActor, AccessLogEntry, AccessLogPage } from '@madoguchi/audit';
import type { UserRole } from '@madoguchi/auth';
import {
  dataTable,
  errorSummary,
  type ErrorSummaryItem,
  filterForm,
  formatText,
  html,
  phrases,
  SafeHtml,
  selectField,
  textField,
} from '@madoguchi/ui';
import { auditActionLabel } from '../../web/parts/audit-actions.texts';
import {
  type ConsoleViewer,
  csrfField,
  listPager,
  renderConsolePage,
  timeTag,
  SHARED_TEXTS,
} from '../../web';
import { portalCasePath } from '../cases/cases.view';
import { ACCESS_LOG_TEXTS } from './access-log.texts';

const T = SHARED_TEXTS;
const A = ACCESS_LOG_TEXTS;
const L = ACCESS_LOG_TEXTS.export;

export const PORTAL_ACCESS_LOG_PATH = '/portal/access-log';
export const PORTAL_ACCESS_LOG_EXPORT_PATH = '/portal/access-log/export';

/** The filter form's values as they came in ('' = not set). */
export interface AccessLogFilterValues {
  from: string;
  to: string;
  user: string;
  action: string;
}

export interface PortalAccessLogParams {
  viewer: ConsoleViewer;
  filter: AccessLogFilterValues;
  /** null when the filter was refused (400). */
  page: AccessLogPage | null;
  users: readonly AccessLogActor[];
  /** The actions that occur in this merchant's log (the action filter's choices). */
  actions: readonly string[];
  /** The export's bounds, said on the page before they bite. */
  exportLimits: { rows: number; times: number };
  errors?: readonly ErrorSummaryItem[];
  /** A refusal of the export that is not about one field (daily limit). */
  refusal?: string;
}

function roleLabel(role: string): string {
  return Object.prototype.hasOwnProperty.call(T.roles, role)
    ? T.roles[role as UserRole]
    : T.common.none;
}

/** Every action's Japanese label (AUDIT_ACTION_LABELS_JA); an unknown code shows as itself. */
export function accessActionLabel(action: string): string {
  return auditActionLabel(action);
}

function logQuery(filter: AccessLogFilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value as string);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return query ? `?${query}` : '';
}

function who(entry: AccessLogEntry): SafeHtml {
  if (!entry.actor) return html`<span class="muted">${A.unknownUser}</span>`;
  return html`${entry.actor.displayName}<br /><span class="small muted"
      >${roleLabel(entry.actor.role)}</span
    >`;
}

function ticketCell(entry: AccessLogEntry): SafeHtml {
  return entry.ticketReference
    ? html`<a href="${portalCasePath(entry.ticketReference)}">${entry.ticketReference}</a>`
    : html`<span class="muted">${T.common.none}</span>`;
}

function logFilterForm(p: PortalAccessLogParams): SafeHtml {
  const errorOf = (field: string) => p.errors?.find((e) => e.field === field)?.message;
  const users = [
    { value: '', label: A.anyone },
    ...p.users.map((u) => ({
      value: String(u.id),
      label: `${u.displayName}（${roleLabel(u.role)}）`,
    })),
  ];
  return filterForm({
    action: PORTAL_ACCESS_LOG_PATH,
    heading: A.filtersHeading,
    applyLabel: A.apply,
    resetLabel: A.reset,
    fields: [
      textField({
        name: 'from',
        label: A.from,
        hint: A.dateHint,
        type: 'date',
        value: p.filter.from,
        error: errorOf('from'),
      }),
      textField({
        name: 'to',
        label: A.to,
        hint: A.dateHint,
        type: 'date',
        value: p.filter.to,
        error: errorOf('to'),
      }),
      selectField({
        name: 'user',
        label: A.user,
        options: users,
        value: p.filter.user,
        error: errorOf('user'),
      }),
      selectField({
        name: 'action',
        label: L.action,
        options: actionOptions(p),
        value: p.filter.action,
        error: errorOf('action'),
      }),
    ],
  });
}

function table(p: PortalAccessLogParams, page: AccessLogPage): SafeHtml {
  if (page.items.length === 0) return html`<p class="empty card">${A.empty}</p>`;
  const c = A.columns;
  const from = (page.page - 1) * page.pageSize + 1;
  const count = formatText(A.count, { total: page.total, from, to: from + page.items.length - 1 });
  return html`<p class="list-count">${count}</p>
    ${dataTable({
      caption: A.caption,
      tableClass: 'ticket-table access-log',
      rowHeader: false,
      rows: page.items,
      rowAttributes: (entry) => ({ 'data-event-id': entry.id }),
      columns: [
        { header: c.when, cell: (entry) => timeTag(entry.createdAt) },
        { header: c.who, cell: who },
        {
          header: c.action,
          cell: (entry) => accessActionLabel(entry.action),
          cellAttributes: (entry) => ({ 'data-action': entry.action }),
        },
        { header: c.ticket, cell: ticketCell },
        {
          header: c.ip,
          cell: (entry) => html`<span class="literal">${entry.ip ?? T.common.none}</span>`,
        },
      ],
    })}
    ${listPager(page, (n) => `${PORTAL_ACCESS_LOG_PATH}${logQuery(p.filter, { page: String(n) })}`)}`;
}

/** The actions of the log, by label; the selected one stays even when no longer in the log. */
function actionOptions(p: PortalAccessLogParams): { value: string; label: string }[] {
  const actions = new Set(p.actions);
  if (p.filter.action) actions.add(p.filter.action);
  return [
    { value: '', label: L.anyAction },
    ...[...actions]
      .map((action) => ({ value: action, label: auditActionLabel(action) }))
      .sort((a, b) => a.label.localeCompare(b.label, 'ja')),
  ];
}

/** The bounded CSV export of what the filters select: password again, the cap said up front. */
function exportForm(p: PortalAccessLogParams): SafeHtml {
  const errorOf = (field: string) => p.errors?.find((e) => e.field === field)?.message;
  const total = p.page?.total ?? null;
  const over = total !== null && total > p.exportLimits.rows;
  const count =
    total === null
      ? html``
      : html`<p class="${over ? 'field-error' : 'small'}" data-export-count="${total}">
          ${
            over
              ? formatText(L.exportTooMany, { total, rows: p.exportLimits.rows })
              : formatText(L.exportCount, { total })
          }
        </p>`;
  return html`<section class="card" aria-labelledby="export-heading" id="export">
    <h2 id="export-heading">${phrases(L.exportHeading)}</h2>
    <p>${L.exportIntro}</p>
    <p class="small muted">${formatText(L.exportLimits, p.exportLimits)}</p>
    ${count}
    <form method="post" action="${PORTAL_ACCESS_LOG_EXPORT_PATH}" novalidate>
      ${csrfField(p.viewer.csrfToken)}
      <input type="hidden" name="from" value="${p.filter.from}" />
      <input type="hidden" name="to" value="${p.filter.to}" />
      <input type="hidden" name="user" value="${p.filter.user}" />
      <input type="hidden" name="action" value="${p.filter.action}" />
      ${textField({
        requiredMark: T.common.requiredMark,
        name: 'password',
        label: L.password,
        hint: L.passwordHint,
        type: 'password',
        autocomplete: 'current-password',
        required: true,
        maxLength: 256,
        error: errorOf('password'),
      })}
      <button class="btn btn--primary" type="submit">${L.submit}</button>
    </form>
  </section>`;
}

export function renderPortalAccessLog(p: PortalAccessLogParams): string {
  const errors: ErrorSummaryItem[] = [...(p.errors ?? [])];
  if (p.refusal) errors.push({ field: 'password', message: p.refusal });
  const main = html`${errorSummary(errors, p.refusal ? L.refused : T.validation.summaryTitle)}
    <h1>${phrases(A.title)}</h1>
    <p class="muted">${A.intro}</p>
    ${logFilterForm(p)} ${p.page && table(p, p.page)} ${exportForm(p)}`;
  return renderConsolePage({
    viewer: p.viewer,
    title: A.title,
    section: 'portal-access-log',
    main,
    hasErrors: errors.length > 0,
  });
}
