import type { SafeHtml } from '@madoguchi/ui';
import { type ConsoleViewer, subnavTabs } from '../../web';
import { ADMIN_TEXTS } from './admin.texts';

const A = ADMIN_TEXTS;

export type AdminSubsection =
  | 'users'
  | 'queues'
  | 'merchants'
  | 'calendar'
  | 'rules'
  | 'incidents'
  | 'outbox'
  | 'dev-mailbox';

/**
 * Whether the menu offers the dev mailbox: outside production only. Set once per process from the
 * config by createDeskApp (NODE_ENV is a process's own); the page itself also answers 404 in
 * production, whatever the menu says.
 */
let devMailboxOffered = false;

export function offerDevMailboxInAdminMenu(offered: boolean): void {
  devMailboxOffered = offered;
}

/**
 * The admin pages' own menu (users and queues belong to the other admin pages): only the tabs
 * the viewer's role may open (a supervisor sees no ユーザー or 未送信メール tab).
 */
export function adminSubnav(current: AdminSubsection, viewer: ConsoleViewer): SafeHtml {
  const links: [AdminSubsection, string, string][] = [
    ['users', '/admin/users', A.subnav.users],
    ['queues', '/admin/queues', A.subnav.queues],
    ['merchants', '/admin/merchants', A.subnav.merchants],
    ['calendar', '/admin/calendar', A.subnav.calendar],
    ['rules', '/admin/rules', A.subnav.rules],
    ['incidents', '/admin/incidents', A.subnav.incidents],
    ['outbox', '/admin/outbox', A.subnav.outbox],
  ];
  if (devMailboxOffered) links.push(['dev-mailbox', '/admin/dev-mailbox', A.subnav.devMailbox]);
  const offered = links.filter(([, href]) => viewer.mayOpen(href));
  return subnavTabs(
    A.subnavLabel,
    offered.map(([key, href, label]) => ({ href, label, current: key === current })),
  );
}
