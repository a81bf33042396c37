import type { OutdatedReceiver, Page } from '@madoguchi/tickets';
import { formatText, html } from '@madoguchi/ui';
import { hasPermission } from '../auth/permissions';
import { DESK_TEXTS } from '../i18n/ja';
import { listPager } from './desk-page.view';
import { type ConsoleViewer, renderConsolePage, statusBadge, timeTag } from './incident-view.util';

const T = DESK_TEXTS;
const O = T.incidents.outdated;

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
  const rows = p.page.items.map(
    (item) =>
      html`<tr>
        <th scope="row">
          <a class="literal" href="${caseLink(item.reference)}">${item.reference}</a>
        </th>
        ${p.area === 'admin' ? html`<td>${item.merchantName}</td>` : ''}
        <td>${statusBadge(item.status)}</td>
        <td>${formatText(T.incidents.admin.versionLabel, { version: item.usedVersion })}</td>
        <td>${formatText(T.incidents.admin.versionLabel, { version: item.approvedVersion })}</td>
        <td>${timeTag(item.repliedAt)}</td>
      </tr>`,
  );
  const table = p.page.items.length
    ? html`<p class="list-count">${formatText(O.count, { total: p.page.total })}</p>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">
              ${O.caption}
            </caption>
            <thead>
              <tr>
                <th scope="col">${O.columns.reference}</th>
                ${p.area === 'admin' ? html`<th scope="col">${O.columns.merchant}</th>` : ''}
                <th scope="col">${O.columns.status}</th>
                <th scope="col">${O.columns.used}</th>
                <th scope="col">${O.columns.approved}</th>
                <th scope="col">${O.columns.repliedAt}</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
        </div>
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
            >${T.bulkSend.sendCorrection}</a
          >
        </p>`
      : '';
  const main = html`<h1>${O.heading}</h1>
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
