import { html, raw, type SafeHtml } from '@madoguchi/ui';
import { SUPERVISOR_TEXTS } from './supervisor.texts';

const S = SUPERVISOR_TEXTS;

/** The supervisor pages (dashboard, audit trail, bulk sends), linked from each other. */
export function supervisorSubnav(current: 'dashboard' | 'audit' | 'bulk'): SafeHtml {
  const link = (href: string, label: string, active: boolean) =>
    html`<li>
      <a href="${href}" ${active ? raw('aria-current="page"') : ''}>${label}</a>
    </li>`;
  return html`<nav class="subnav" aria-label="${S.subnavLabel}">
    <ul class="subnav__list">
      ${link('/supervisor', S.dashboardLink, current === 'dashboard')}
      ${link('/supervisor/audit', S.auditLink, current === 'audit')}
      ${link('/supervisor/bulk-sends', S.bulkLink, current === 'bulk')}
    </ul>
  </nav>`;
}
