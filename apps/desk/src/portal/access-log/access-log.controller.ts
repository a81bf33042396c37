import { ApiExcludeController } from '@nestjs/swagger';
import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { type AccessLogFilter, AccessLogService } from '@madoguchi/audit';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode, type FieldError, type MerchantScope } from '@madoguchi/common';
import {
  AUDIT_LOG_EXPORT_DAILY_LIMIT,
  AUDIT_LOG_EXPORT_MAX_ROWS,
  AuditLogExportService,
} from '@madoguchi/reporting';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { AUDIT_EXPORT_LABELS_JA, sendCsv } from '../../audit-export/audit-export.util';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  sendWebResponse,
  viewerOf,
} from '../../web';
import { type AccessLogFilterValues, renderPortalAccessLog } from './access-log.view';
import { merchantScopeOf, PORTAL_ROLES } from '../shared/portal-http.util';

const EXPORT_LIMITS = { rows: AUDIT_LOG_EXPORT_MAX_ROWS, times: AUDIT_LOG_EXPORT_DAILY_LIMIT };

/**
 * The merchant's access log (merchant_admin): who viewed or changed which of its cases, when and
 * from which IP, filtered by date, user and action; and its bounded, audited CSV export (the
 * password again). The merchant id comes from the session's scope, never from the request.
 */
@ApiExcludeController()
@Controller('portal/access-log')
@Roles(...PORTAL_ROLES)
@RequirePermission('audit.read')
export class PortalAccessLogController {
  constructor(
    private readonly accessLog: AccessLogService,
    private readonly exports: AuditLogExportService,
  ) {}

  @Get()
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
    const merchantScope = merchantScopeOf(scope);
    const form = new FormValues(query);
    const values = filterValuesOf(form);
    return this.page(user, merchantScope, values, form.positiveInt('page') ?? 1);
  }

  @Post('export')
  async export(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const merchantScope = merchantScopeOf(scope);
    const form = new FormValues(body);
    const values = filterValuesOf(form);
    try {
      const file = await this.exports.exportAccessLog(
        merchantScope,
        actor,
        { password: form.text('password'), filter: filterOf(values) },
        AUDIT_EXPORT_LABELS_JA,
      );
      sendCsv(reply, file);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      if (error.code === ErrorCode.ValidationFailed) {
        sendWebResponse(
          reply,
          await this.page(user, merchantScope, values, 1, error.fieldErrors, 400),
        );
        return;
      }
      if (error.code === ErrorCode.RateLimited) {
        sendWebResponse(
          reply,
          await this.page(user, merchantScope, values, 1, [], 429, error.message),
        );
        return;
      }
      throw error;
    }
  }

  private async page(
    user: AuthenticatedUser,
    scope: MerchantScope,
    values: AccessLogFilterValues,
    pageNumber: number,
    errors: readonly FieldError[] = [],
    status = 200,
    refusal?: string,
  ): Promise<HtmlPage> {
    const viewer = viewerOf(user);
    const [users, actions] = await Promise.all([
      this.accessLog.actors(scope),
      this.accessLog.actions(scope),
    ]);
    const common = { viewer, filter: values, users, actions, exportLimits: EXPORT_LIMITS };
    try {
      const page = await this.accessLog.list(scope, filterOf(values), pageNumber);
      return htmlPage(renderPortalAccessLog({ ...common, page, errors, refusal }), status);
    } catch (error) {
      if (!(error instanceof DomainException && error.code === ErrorCode.ValidationFailed))
        throw error;
      return htmlPage(
        renderPortalAccessLog({ ...common, page: null, errors: uniqueErrors(errors, error) }),
        400,
      );
    }
  }
}

function filterValuesOf(form: FormValues): AccessLogFilterValues {
  return {
    from: form.text('from').trim(),
    to: form.text('to').trim(),
    user: form.text('user').trim(),
    action: form.text('action').trim(),
  };
}

function filterOf(values: AccessLogFilterValues): AccessLogFilter {
  const filter: AccessLogFilter = {};
  if (values.from) filter.from = values.from;
  if (values.to) filter.to = values.to;
  if (values.user) filter.userId = /^\d{1,9}$/.test(values.user) ? Number(values.user) : -1;
  if (values.action) filter.action = values.action;
  return filter;
}

function uniqueErrors(earlier: readonly FieldError[], error: DomainException): FieldError[] {
  const all = [...earlier, ...error.fieldErrors];
  return all.filter(
    (e, i) => all.findIndex((o) => o.field === e.field && o.message === e.message) === i,
  );
}
