import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { type AccessLogFilter, AccessLogService } from '@madoguchi/audit';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import type { TicketScope } from '@madoguchi/tickets';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../auth';
import { FormValues, sendPage, viewerOf } from '../console/console-http.util';
import { type AccessLogFilterValues, renderPortalAccessLog } from '../views/portal-access-log.view';
import { merchantScopeOf, PORTAL_ROLES } from './portal-http.util';

/**
 * The merchant's access log (merchant_admin): who viewed or changed which of its cases, when and
 * from which IP. The merchant id comes from the session's scope, never from the query string.
 */
@ApiExcludeController()
@Controller('portal/access-log')
@Roles(...PORTAL_ROLES)
@RequirePermission('audit.read')
export class PortalAccessLogController {
  constructor(private readonly accessLog: AccessLogService) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { merchantId } = merchantScopeOf(scope);
    const form = new FormValues(query);
    const values: AccessLogFilterValues = {
      from: form.text('from').trim(),
      to: form.text('to').trim(),
      user: form.text('user').trim(),
    };
    const filter: AccessLogFilter = {};
    if (values.from) filter.from = values.from;
    if (values.to) filter.to = values.to;
    if (values.user) filter.userId = /^\d{1,9}$/.test(values.user) ? Number(values.user) : -1;
    const viewer = viewerOf(user);
    const users = await this.accessLog.actors(merchantId);
    try {
      const page = await this.accessLog.list(merchantId, filter, form.positiveInt('page') ?? 1);
      sendPage(reply, 200, renderPortalAccessLog({ viewer, filter: values, page, users }));
    } catch (error) {
      if (!(error instanceof DomainException && error.code === ErrorCode.ValidationFailed))
        throw error;
      sendPage(
        reply,
        400,
        renderPortalAccessLog({
          viewer,
          filter: values,
          page: null,
          users,
          errors: error.fieldErrors,
        }),
      );
    }
  }
}
