import { html, raw, SafeHtml } from '@madoguchi/ui';
import { ADMIN_TEXTS } from './admin.texts';

const A = ADMIN_TEXTS;

export type AdminSubsection =
  'users' | 'queues' | 'merchants' | 'calendar' | 'incidents' | 'outbox';

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
