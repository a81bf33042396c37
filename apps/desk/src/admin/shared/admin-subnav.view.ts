import { html, raw, SafeHtml } from '@madoguchi/ui';
import { ADMIN_TEXTS } from './admin.texts';

const A = ADMIN_TEXTS;

export type AdminSubsection =
  'users' | 'queues' | 'merchants' | 'calendar' | 'incidents' | 'outbox' | 'dev-mailbox';

/**
 * Whether the menu offers the dev mailbox: outside production only. Set once per process from the
 * config by createDeskApp (NODE_ENV is a process's own); the page itself also answers 404 in
 * production, whatever the menu says.
 */
let devMailboxOffered = false;

export function offerDevMailboxInAdminMenu(offered: boolean): void {
  devMailboxOffered = offered;
}

/** The admin pages' own menu (users and queues belong to the other admin pages). */
export function adminSubnav(current: AdminSubsection): SafeHtml {
  const links: [AdminSubsection, string, string][] = [
    ['users', '/admin/users', A.subnav.users],
    ['queues', '/admin/queues', A.subnav.queues],
    ['merchants', '/admin/merchants', A.subnav.merchants],
    ['calendar', '/admin/calendar', A.subnav.calendar],
    ['incidents', '/admin/incidents', A.subnav.incidents],
    ['outbox', '/admin/outbox', A.subnav.outbox],
  ];
  if (devMailboxOffered) links.push(['dev-mailbox', '/admin/dev-mailbox', A.subnav.devMailbox]);
  return html`<nav class="admin-subnav" aria-label="${A.subnavLabel}">
    <ul class="button-row">
      ${links.map(
        ([key, href, label]) =>
          html`<li>
            <a
              class="btn btn--ghost btn--small"
              href="${href}"
              ${key === current ? raw('aria-current="page"') : ''}
              >${label}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}
