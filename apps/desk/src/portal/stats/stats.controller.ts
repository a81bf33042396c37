import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Query } from '@nestjs/common';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { CallStatsService } from '@madoguchi/calls';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { FaqPageService } from '@madoguchi/incident-response';
import { MerchantStatsService } from '@madoguchi/reporting';
import { type TenantScope } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../../auth';
import { FormValues, type HtmlPage, htmlPage, viewerOf } from '../../web';
import { renderPortalStats } from './stats.view';
import { merchantScopeOf, PORTAL_ROLES } from '../shared/portal-http.util';

/**
 * The merchant's statistics: inquiries per day by category and channel, open vs resolved, SLA
 * figures and its calls. Both services take the session's merchant scope, so only the
 * merchant's own tickets and calls are ever counted.
 */
@ApiExcludeController()
@Controller('portal/stats')
@Roles(...PORTAL_ROLES)
@RequirePermission('ticket.read')
export class PortalStatsController {
  constructor(
    private readonly stats: MerchantStatsService,
    private readonly calls: CallStatsService,
    private readonly faq: FaqPageService,
  ) {}

  @Get()
  async show(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
    const merchantScope = merchantScopeOf(scope);
    const form = new FormValues(query);
    const filter = { from: form.text('from').trim(), to: form.text('to').trim() };
    const viewer = viewerOf(user);
    try {
      const stats = await this.stats.stats(merchantScope, {
        from: filter.from || undefined,
        to: filter.to || undefined,
      });
      const calls = await this.calls.stats(merchantScope, { from: stats.from, to: stats.to });
      // The public incident page's counters, same range, this merchant's sites only.
      const faq = await this.faq.stats(merchantScope, {
        from: stats.from,
        to: stats.to,
      });
      return htmlPage(renderPortalStats({ viewer, filter, stats, calls, faq }));
    } catch (error) {
      if (!(error instanceof DomainException && error.code === ErrorCode.ValidationFailed))
        throw error;
      return htmlPage(
        renderPortalStats({ viewer, filter, stats: null, calls: null, errors: error.fieldErrors }),
        400,
      );
    }
  }
}
