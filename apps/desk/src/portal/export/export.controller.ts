import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import {
  CASE_EXPORT_DAILY_LIMIT,
  CASE_EXPORT_DEFAULT_DAYS,
  CASE_EXPORT_MAX_DAYS,
  CASE_EXPORT_MAX_ROWS,
  CaseExportService,
} from '@madoguchi/reporting';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { AttemptLimiter, CurrentScope, CurrentUser, RequirePermission, Roles } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  sendWebResponse,
  viewerOf,
} from '../../web';
import { renderPortalExport } from './export.view';
import { merchantScopeOf, PORTAL_ROLES } from '../shared/portal-http.util';

/** Every cap the service enforces, said on the form before it bites (issue 19). */
const LIMITS = {
  rows: CASE_EXPORT_MAX_ROWS,
  times: CASE_EXPORT_DAILY_LIMIT,
  days: CASE_EXPORT_MAX_DAYS,
  defaultDays: CASE_EXPORT_DEFAULT_DAYS,
};

/**
 * CSV export of the merchant's cases (merchant_admin): the password again, a date range; the
 * service bounds, rate-limits and audits it. Refusals re-render the form with their status
 * (400 for input, 429 for the daily limit or the hourly re-entry budget); the password is never
 * echoed back.
 */
@ApiExcludeController()
@Controller('portal/export')
@Roles(...PORTAL_ROLES)
@RequirePermission('export.cases')
export class PortalExportController {
  constructor(
    private readonly exports: CaseExportService,
    private readonly limiter: AttemptLimiter,
  ) {}

  @Get()
  form(@CurrentUser() user: AuthenticatedUser, @CurrentScope() scope: TenantScope): HtmlPage {
    merchantScopeOf(scope);
    return htmlPage(
      renderPortalExport({ viewer: viewerOf(user), filter: { from: '', to: '' }, limits: LIMITS }),
    );
  }

  @Post()
  async download(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const merchantScope = merchantScopeOf(scope);
    const form = new FormValues(body);
    const filter = { from: form.text('from').trim(), to: form.text('to').trim() };
    const viewer = viewerOf(user);
    try {
      // Reserved before the service checks the password (an argon2 hash): parallel guesses
      // cannot all be checked before the audit-counted daily limit sees them.
      await this.limiter.reserveReauth(user.id);
      const file = await this.exports.export(merchantScope, actor, {
        password: form.text('password'),
        from: filter.from || undefined,
        to: filter.to || undefined,
      });
      void reply
        .status(200)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .type('text/csv; charset=utf-8')
        .send(file.content);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      if (error.code === ErrorCode.ValidationFailed) {
        sendWebResponse(
          reply,
          htmlPage(
            renderPortalExport({ viewer, filter, limits: LIMITS, errors: error.fieldErrors }),
            400,
          ),
        );
        return;
      }
      if (error.code === ErrorCode.RateLimited) {
        sendWebResponse(
          reply,
          htmlPage(
            renderPortalExport({ viewer, filter, limits: LIMITS, refusal: error.message }),
            429,
          ),
        );
        return;
      }
      throw error;
    }
  }
}
