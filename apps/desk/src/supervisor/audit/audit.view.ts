import { AUDIT_ACTIONS, type AuditTrailPage } from '@madoguchi/audit';
import {
  dataTable,
  errorSummary,
  formatText,
  html,
  phrases,
  type SafeHtml,
  selectField,
  textField,
} from '@madoguchi/ui';
import { auditActionLabel } from '../../web/parts/audit-actions.texts';
import { type ConsoleViewer, csrfField, renderConsolePage, SHARED_TEXTS, timeTag } from '../../web';
import { supervisorSubnav } from '../shared/supervisor-subnav.view';
import { AUDIT_TEXTS } from './audit.texts';

const S = AUDIT_TEXTS;
const L = AUDIT_TEXTS.export;

export const SUPERVISOR_AUDIT_EXPORT_PATH = '/supervisor/audit/export';

/** The filter form's values as typed (re-shown after a 400). */
export interface AuditFilterValues {
  from: string;
  to: string;
  action: string;
  actorId: string;
  merchantId: string;
  target: string;
}

export interface AuditTrailView {
  viewer: ConsoleViewer;
  filter: AuditFilterValues;
  page: AuditTrailPage;
  /** Display names of the actors on the page, by user id. */
  userNames: ReadonlyMap<number, string>;
  merchants: readonly { id: number; name: string }[];
  errors: Record<string, string>;
  /** The export's bounds, said on the page before they bite. */
  exportLimits: { rows: number; times: number };
  /** A refusal of the export that is not about one field (daily limit). */
  refusal?: string;
}

function pageLink(filter: AuditFilterValues, page: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  params.set('page', String(page));
  return `/supervisor/audit?${params.toString()}`;
}

function actorLabel(
  entry: AuditTrailPage['items'][number],
  userNames: ReadonlyMap<number, string>,
): SafeHtml {
  if (entry.actorType === 'user' && entry.actorId !== null) {
    const name = userNames.get(entry.actorId) ?? formatText(S.unknownUser, { id: entry.actorId });
    return html`${name} <span class="small muted">#${entry.actorId}</span>`;
  }
  return html`${S.actorTypes[entry.actorType]}`;
}

/** The bounded CSV export of what the filters select: password again, the cap said up front. */
function exportForm(p: AuditTrailView): SafeHtml {
  const total = p.page.total;
  const over = total > p.exportLimits.rows;
  const hidden = (Object.keys(p.filter) as (keyof AuditFilterValues)[]).map(
    (name) => html`<input type="hidden" name="${name}" value="${p.filter[name]}" />`,
  );
  return html`<section class="card" aria-labelledby="export-heading" id="export">
    <h2 id="export-heading">${phrases(L.exportHeading)}</h2>
    <p>${L.exportIntro}</p>
    <p class="small muted">${formatText(L.exportLimits, p.exportLimits)}</p>
    <p class="${over ? 'field-error' : 'small'}" data-export-count="${total}">
      ${
        over
          ? formatText(L.exportTooMany, { total, rows: p.exportLimits.rows })
          : formatText(L.exportCount, { total })
      }
    </p>
    <form method="post" action="${SUPERVISOR_AUDIT_EXPORT_PATH}" novalidate>
      ${csrfField(p.viewer.csrfToken)} ${hidden}
      ${textField({
        requiredMark: SHARED_TEXTS.common.requiredMark,
        name: 'password',
        label: L.password,
        hint: L.passwordHint,
        type: 'password',
        autocomplete: 'current-password',
        required: true,
        maxLength: 256,
        error: p.errors.password,
      })}
      <button class="btn btn--primary" type="submit">${L.submit}</button>
    </form>
  </section>`;
}

export function renderSupervisorAuditPage(p: AuditTrailView): string {
  const merchantNames = new Map(p.merchants.map((m) => [m.id, m.name]));
  const actions = [
    { value: '', label: S.anyAction },
    ...Object.values(AUDIT_ACTIONS)
      .map((action) => ({ value: action, label: `${auditActionLabel(action)}（${action}）` }))
      .sort((a, b) => a.label.localeCompare(b.label, 'ja')),
  ];
  const merchants = [
    { value: '', label: S.anyMerchant },
    ...p.merchants.map((m) => ({ value: String(m.id), label: m.name })),
  ];
  const errorItems = Object.entries(p.errors).map(([field, message]) => ({ field, message }));
  if (p.refusal) errorItems.push({ field: 'password', message: p.refusal });
  const form = html`<form class="filters" method="get" action="/supervisor/audit">
    ${textField({ name: 'from', label: S.from, type: 'date', value: p.filter.from, hint: S.dateHint, error: p.errors.from })}
    ${textField({ name: 'to', label: S.to, type: 'date', value: p.filter.to, hint: S.dateHint, error: p.errors.to })}
    ${selectField({ name: 'action', label: S.action, options: actions, value: p.filter.action, error: p.errors.action })}
    ${textField({ name: 'actorId', label: S.actorId, value: p.filter.actorId, inputmode: 'numeric', error: p.errors.actorId })}
    ${selectField({ name: 'merchantId', label: S.merchant, options: merchants, value: p.filter.merchantId, error: p.errors.merchantId })}
    ${textField({ name: 'target', label: S.target, value: p.filter.target, error: p.errors.target })}
    <div class="filters__actions">
      <button class="btn" type="submit">${S.apply}</button>
      <a class="btn btn--ghost" href="/supervisor/audit">${S.reset}</a>
    </div>
  </form>`;
  const { page } = p;
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const start = page.total === 0 ? 0 : (page.page - 1) * page.pageSize + 1;
  const end = (page.page - 1) * page.pageSize + page.items.length;
  const table =
    page.items.length === 0
      ? html`<p class="muted" id="audit-empty">${S.auditEmpty}</p>`
      : dataTable({
          caption: formatText(S.auditCaption, { total: page.total, start, end }),
          captionVisible: true,
          id: 'audit-table',
          tableClass: 'table',
          scrollWrapper: false,
          rowHeader: false,
          rows: page.items,
          rowAttributes: (entry) => ({ 'data-audit-id': entry.id }),
          columns: [
            { header: S.columns.time, cell: (entry) => timeTag(entry.createdAt) },
            { header: S.columns.actor, cell: (entry) => actorLabel(entry, p.userNames) },
            {
              header: S.columns.action,
              cell: (entry) =>
                html`${auditActionLabel(entry.action)}<br /><code class="small muted"
                    >${entry.action}</code
                  >`,
              cellAttributes: (entry) => ({ 'data-action': entry.action }),
            },
            {
              header: S.columns.merchant,
              cell: (entry) =>
                entry.merchantId === null
                  ? SHARED_TEXTS.common.none
                  : (merchantNames.get(entry.merchantId) ?? `#${entry.merchantId}`),
            },
            {
              header: S.columns.target,
              cell: (entry) =>
                entry.targetId === null
                  ? SHARED_TEXTS.common.none
                  : html`<span class="small muted">${entry.targetType ?? ''}</span>
                      ${entry.targetId}`,
            },
            { header: S.columns.ip, cell: (entry) => entry.ip ?? SHARED_TEXTS.common.none },
            {
              header: S.columns.detail,
              cell: (entry) => html`<code class="small">${entry.detail ?? ''}</code>`,
            },
          ],
        });
  const pager =
    pages > 1
      ? html`<nav class="pagination" aria-label="${S.paginationLabel}">
          ${
            page.page > 1
              ? html`<a rel="prev" href="${pageLink(p.filter, page.page - 1)}">${S.previous}</a>`
              : ''
          }
          <span>${formatText(S.pageOf, { page: page.page, pages })}</span>
          ${
            page.page < pages
              ? html`<a rel="next" href="${pageLink(p.filter, page.page + 1)}">${S.next}</a>`
              : ''
          }
        </nav>`
      : html``;
  const main = html`<h1>${phrases(S.auditTitle)}</h1>
    ${supervisorSubnav('audit', p.viewer)}
    ${errorSummary(errorItems, p.refusal ? L.refused : S.errorSummary)}
    <p class="small muted">${S.auditIntro}</p>
    ${form} ${table} ${pager} ${exportForm(p)}`;
  return renderConsolePage({
    viewer: p.viewer,
    title: S.auditTitle,
    section: 'supervisor',
    main,
    hasErrors: errorItems.length > 0,
  });
}
