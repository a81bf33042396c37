import type { SafeHtml } from '@madoguchi/ui';
import { type ConsoleViewer, subnavTabs } from '../../web';
import { SUPERVISOR_TEXTS } from './supervisor.texts';

const S = SUPERVISOR_TEXTS;

/**
 * The supervisor pages (dashboard, audit trail, bulk sends), linked from each other: only those
 * the viewer's role may open.
 */
export function supervisorSubnav(
  current: 'dashboard' | 'audit' | 'bulk' | 'sla' | 'notifications',
  viewer: ConsoleViewer,
): SafeHtml {
  const tabs = [
    { href: '/supervisor', label: S.dashboardLink, current: current === 'dashboard' },
    { href: '/supervisor/audit', label: S.auditLink, current: current === 'audit' },
    { href: '/supervisor/bulk-sends', label: S.bulkLink, current: current === 'bulk' },
    { href: '/supervisor/sla-policies', label: S.slaLink, current: current === 'sla' },
    {
      href: '/supervisor/notifications',
      label: S.notificationsLink,
      current: current === 'notifications',
    },
  ];
  return subnavTabs(
    S.subnavLabel,
    tabs.filter((tab) => viewer.mayOpen(tab.href)),
  );
}
