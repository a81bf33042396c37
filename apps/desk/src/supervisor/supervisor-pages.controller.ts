import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUDIT_TRAIL_PAGE_SIZE, type AuditTrailPage, AuditTrailService } from '@madoguchi/audit';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode, type FieldError, tokyoDateOf } from '@madoguchi/common';
import {
  AUDIT_LOG_EXPORT_DAILY_LIMIT,
  AUDIT_LOG_EXPORT_MAX_ROWS,
  AuditLogExportService,
  DashboardService,
  FaqPageService,
  type TicketScope,
} from '@madoguchi/tickets';
import { AUDIT_EXPORT_LABELS_JA, sendCsv } from '../audit-export/audit-export.util';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../auth';
import { consoleActor, FormValues, sendPage, viewerOf } from '../console/console-http.util';
import type { AuditFilterValues } from '../views/supervisor-audit.view';
import { renderSupervisorAuditPage } from '../views/supervisor-audit.view';
import { renderSupervisorDashboardPage } from '../views/supervisor-dashboard.view';
import { AuditLabelsService } from './audit-labels.service';

const EXPORT_LIMITS = { rows: AUDIT_LOG_EXPORT_MAX_ROWS, times: AUDIT_LOG_EXPORT_DAILY_LIMIT };
/** The dashboard's public-incident-page figures cover this many Tokyo days up to today. */
export const DASHBOARD_FAQ_DAYS = 7;

/**
 * The supervisors' pages: the dashboard (dashboard.read) and the operator's audit trail
 * (audit.read, staff only here: merchant admins get their own tenant's access log in the portal)
 * with its bounded, audited CSV export (the password again).
 */
@ApiExcludeController()
@Controller('supervisor')
export class SupervisorPagesController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly trail: AuditTrailService,
    private readonly labels: AuditLabelsService,
    private readonly exports: AuditLogExportService,
    private readonly faq: FaqPageService,
  ) {}

  @Get()
  @RequirePermission('dashboard.read')
  async overview(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const snapshot = await this.dashboard.snapshot(scope);
    const now = new Date();
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
    sendPage(reply, 200, renderSupervisorDashboardPage({ viewer: viewerOf(user), snapshot, faq }));
  }

  @Get('audit')
  @RequirePermission('audit.read')
  @Roles('admin', 'supervisor')
  async audit(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(query);
    await this.renderAudit(reply, user, filterValuesOf(form), form.positiveInt('page') ?? 1);
  }

  @Post('audit/export')
  @RequirePermission('audit.read')
  @Roles('admin', 'supervisor')
  async exportAudit(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const filter = filterValuesOf(form);
    try {
      const file = await this.exports.exportAuditTrail(
        consoleActor(user, request),
        { password: form.text('password'), filter },
        AUDIT_EXPORT_LABELS_JA,
      );
      sendCsv(reply, file);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      if (error.code === ErrorCode.ValidationFailed) {
        await this.renderAudit(reply, user, filter, 1, error.fieldErrors, 400);
        return;
      }
      if (error.code === ErrorCode.RateLimited) {
        await this.renderAudit(reply, user, filter, 1, [], 429, error.message);
        return;
      }
      throw error;
    }
  }

  private async renderAudit(
    reply: FastifyReply,
    user: AuthenticatedUser,
    filter: AuditFilterValues,
    pageNumber: number,
    fieldErrors: readonly FieldError[] = [],
    status = 200,
    refusal?: string,
  ): Promise<void> {
    const errors: Record<string, string> = {};
    for (const fieldError of fieldErrors) errors[fieldError.field] ??= fieldError.message;
    let page: AuditTrailPage;
    try {
      page = await this.trail.list(filter, pageNumber);
    } catch (error) {
      if (!(error instanceof DomainException) || error.code !== ErrorCode.ValidationFailed)
        throw error;
      status = 400;
      for (const fieldError of error.fieldErrors) errors[fieldError.field] ??= fieldError.message;
      page = { items: [], total: 0, page: 1, pageSize: AUDIT_TRAIL_PAGE_SIZE };
    }
    const [userNames, merchants] = await Promise.all([
      this.labels.userNames(
        page.items.flatMap((entry) =>
          entry.actorType === 'user' && entry.actorId !== null ? [entry.actorId] : [],
        ),
      ),
      this.labels.merchants(),
    ]);
    sendPage(
      reply,
      status,
      renderSupervisorAuditPage({
        viewer: viewerOf(user),
        filter,
        page,
        userNames,
        merchants,
        errors,
        exportLimits: EXPORT_LIMITS,
        refusal,
      }),
    );
  }
}

function filterValuesOf(form: FormValues): AuditFilterValues {
  return {
    from: form.text('from').trim(),
    to: form.text('to').trim(),
    action: form.text('action').trim(),
    actorId: form.text('actorId').trim(),
    merchantId: form.text('merchantId').trim(),
    target: form.text('target').trim(),
  };
}
