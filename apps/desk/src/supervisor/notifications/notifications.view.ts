import type { SlaNotificationView } from '@madoguchi/tickets';
import { checkboxField, dataTable, formatText, html, phrases } from '@madoguchi/ui';
import { type ConsoleViewer, csrfField, noticeBox, renderConsolePage, timeTag } from '../../web';
import { supervisorSubnav } from '../shared/supervisor-subnav.view';
import { NOTIFICATIONS_TEXTS } from './notifications.texts';

const N = NOTIFICATIONS_TEXTS;
export const NOTIFICATIONS_PATH = '/supervisor/notifications';

export interface NotificationsPageParams {
  viewer: ConsoleViewer;
  notifications: readonly SlaNotificationView[];
  mailOn: boolean;
  notice?: string | null;
}

function markReadForm(viewer: ConsoleViewer, item: SlaNotificationView) {
  return html`<form method="post" action="${NOTIFICATIONS_PATH}/read">
    ${csrfField(viewer.csrfToken)}
    <input type="hidden" name="alertId" value="${item.alertId}" />
    <button
      class="btn btn--ghost btn--small"
      type="submit"
      aria-label="${formatText(N.markReadLabel, { reference: item.reference })}"
    >
      ${N.markRead}
    </button>
  </form>`;
}

export function renderNotificationsPage(p: NotificationsPageParams): string {
  const unread = p.notifications.filter((item) => !item.read).length;
  const table = p.notifications.length
    ? dataTable({
        caption: N.caption,
        rows: p.notifications,
        rowAttributes: (item) => ({
          class: item.kind === 'breached' ? 'ticket-row ticket-row--breached' : 'ticket-row',
        }),
        columns: [
          {
            header: N.columns.reference,
            cell: (item) =>
              html`<a class="ticket-link" href="/tickets/${encodeURIComponent(item.reference)}"
                >${item.reference}</a
              >`,
          },
          {
            header: N.columns.kind,
            cell: (item) =>
              html`<span class="sla sla--${item.kind === 'breached' ? 'breached' : 'due-soon'}"
                >${N.kinds[item.kind]}</span
              >`,
          },
          {
            header: N.columns.queue,
            cell: (item) =>
              html`${item.queueName}<br /><span class="small muted">${item.merchantName}</span>`,
          },
          { header: N.columns.deadline, cell: (item) => timeTag(item.deadline) },
          { header: N.columns.createdAt, cell: (item) => timeTag(item.createdAt) },
          {
            header: N.columns.state,
            cell: (item) =>
              item.read
                ? html`<span class="muted">${N.read}</span>`
                : html`<strong>${N.unread}</strong> ${markReadForm(p.viewer, item)}`,
          },
        ],
      })
    : html`<p class="empty card">${N.empty}</p>`;
  const markAll =
    unread > 0
      ? html`<form method="post" action="${NOTIFICATIONS_PATH}/read">
          ${csrfField(p.viewer.csrfToken)}
          <input type="hidden" name="alertId" value="all" />
          <button class="btn btn--small" type="submit">${N.markAllRead}</button>
        </form>`
      : html``;
  const main = html`${supervisorSubnav('notifications', p.viewer)}
    <h1>${phrases(N.heading)}</h1>
    ${noticeBox(p.notice)}
    <p class="card">${N.intro}</p>
    ${markAll} ${table}
    <section class="card" aria-labelledby="sla-mail-heading">
      <h2 id="sla-mail-heading">${phrases(N.mailHeading)}</h2>
      <form class="form" method="post" action="${NOTIFICATIONS_PATH}/mail">
        ${csrfField(p.viewer.csrfToken)}
        ${checkboxField({ name: 'mail', label: N.mailOn, hint: N.mailHint, checked: p.mailOn })}
        <button class="btn btn--primary" type="submit">${N.mailSave}</button>
      </form>
    </section>`;
  return renderConsolePage({ viewer: p.viewer, title: N.title, section: 'supervisor', main });
}
