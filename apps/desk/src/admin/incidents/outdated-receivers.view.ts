import type { OutdatedReceiver } from '@madoguchi/incident-response';
import type { Page } from '@madoguchi/tickets';
import { type DataColumn, dataTable, formatText, html, phrases } from '@madoguchi/ui';
import { hasPermission } from '../../auth/permissions';
import { INCIDENTS_TEXTS } from './incidents.texts';
import { ANSWER_TEMPLATE_TEXTS } from '../../web/parts/answer-template.texts';
import { listPager } from '../../web';
import {
  type ConsoleViewer,
  renderConsolePage,
  statusBadge,
  timeTag,
} from '../../web/parts/incident-view.util';

const O = INCIDENTS_TEXTS.outdated;

export interface OutdatedReceiversParams {
  viewer: ConsoleViewer;
  template: { id: number; incidentId: number; title: string };
  page: Page<OutdatedReceiver>;
  /** 'admin': supervisors (links to the console); 'portal': the merchant's own cases. */
  area: 'admin' | 'portal';
}

/** The tickets whose end users received an older version of a template than the approved one. */
export function renderOutdatedReceivers(p: OutdatedReceiversParams): string {
  const caseLink = (reference: string) =>
    p.area === 'admin'
      ? `/tickets/${encodeURIComponent(reference)}`
      : `/portal/cases/${encodeURIComponent(reference)}`;
  const back =
    p.area === 'admin'
      ? `/admin/incidents/${p.template.incidentId}`
      : `/portal/incidents/${p.template.incidentId}`;
  const base =
    p.area === 'admin'
      ? `/admin/incidents/templates/${p.template.id}/outdated`
      : `/portal/incidents/templates/${p.template.id}/outdated`;
  const merchantColumn: DataColumn<OutdatedReceiver>[] =
    p.area === 'admin' ? [{ header: O.columns.merchant, cell: (item) => item.merchantName }] : [];
  const table = p.page.items.length
    ? html`<p class="list-count">${formatText(O.count, { total: p.page.total })}</p>
        ${dataTable({
          caption: O.caption,
          rows: p.page.items,
          columns: [
            {
              header: O.columns.reference,
              cell: (item) =>
                html`<a class="literal" href="${caseLink(item.reference)}">${item.reference}</a>`,
            },
            ...merchantColumn,
            { header: O.columns.status, cell: (item) => statusBadge(item.status) },
            {
              header: O.columns.used,
              cell: (item) =>
                formatText(ANSWER_TEMPLATE_TEXTS.versionLabel, { version: item.usedVersion }),
            },
            {
              header: O.columns.approved,
              cell: (item) =>
                formatText(ANSWER_TEMPLATE_TEXTS.versionLabel, { version: item.approvedVersion }),
            },
            { header: O.columns.repliedAt, cell: (item) => timeTag(item.repliedAt) },
          ],
        })}
        ${listPager(p.page, (n) => `${base}?page=${n}`)}`
    : html`<p class="empty card">${O.empty}</p>`;
  // The correction itself is a bulk send of the newest approved version to these receivers.
  const bulkRoot = p.area === 'admin' ? '/supervisor/bulk-sends' : '/portal/bulk-sends';
  const sendCorrection =
    p.page.total > 0 && hasPermission(p.viewer.role, 'bulk.send')
      ? html`<p>
          <a
            class="btn btn--primary"
            href="${bulkRoot}/new?templateId=${p.template.id}&selection=outdated_receivers"
            >${O.sendCorrection}</a
          >
        </p>`
      : '';
  const main = html`<h1>${phrases(O.heading)}</h1>
    <p><a href="${back}">${O.back}</a></p>
    <div class="card"><p>${formatText(O.intro, { title: p.template.title })}</p></div>
    ${sendCorrection} ${table}`;
  return renderConsolePage({
    viewer: p.viewer,
    title: formatText(O.title, { title: p.template.title }),
    section: p.area === 'admin' ? 'admin' : 'portal-incidents',
    main,
  });
}
