import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { Clock, tokyoDateOf } from '@madoguchi/common';
import { DashboardService } from '@madoguchi/reporting';
import { FaqPageService } from '@madoguchi/incident-response';
import { type TenantScope } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, RequirePermission } from '../../auth';
import { type HtmlPage, htmlPage, viewerOf } from '../../web';
import { renderSupervisorDashboardPage } from './dashboard.view';
import { AuditLabelsService } from '../audit/audit-labels.service';

/** The dashboard's public-incident-page figures cover this many Tokyo days up to today. */
export const DASHBOARD_FAQ_DAYS = 7;

/** The supervisors' dashboard (dashboard.read): open tickets, agents' load, public-page figures. */
@ApiExcludeController()
@Controller('supervisor')
export class SupervisorDashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly labels: AuditLabelsService,
    private readonly faq: FaqPageService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @RequirePermission('dashboard.read')
  async overview(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
  ): Promise<HtmlPage> {
    const snapshot = await this.dashboard.snapshot(scope);
    const now = this.clock.now();
    const to = tokyoDateOf(now);
    const from = tokyoDateOf(new Date(now.getTime() - (DASHBOARD_FAQ_DAYS - 1) * 86_400_000));
    // Per merchant: staff only (this page's permission is staff's; a merchant never reaches it).
    const [faqTotals, merchants] = await Promise.all([
      scope.kind === 'staff' ? this.faq.totalsByMerchant({ from, to }) : Promise.resolve([]),
      this.labels.merchants(),
    ]);
    const names = new Map(merchants.map((m) => [m.id, m.name]));
    const faq = {
      days: DASHBOARD_FAQ_DAYS,
      rows: faqTotals
        .map((row) => ({ ...row, merchantName: names.get(row.merchantId) ?? `#${row.merchantId}` }))
        .sort((a, b) => b.views - a.views || a.merchantName.localeCompare(b.merchantName, 'ja')),
    };
    return htmlPage(renderSupervisorDashboardPage({ viewer: viewerOf(user), snapshot, faq }));
  }
}
