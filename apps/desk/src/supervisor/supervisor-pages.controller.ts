import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AUDIT_TRAIL_PAGE_SIZE, type AuditTrailPage, AuditTrailService } from '@madoguchi/audit';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { DashboardService, type TicketScope } from '@madoguchi/tickets';
import { CurrentScope, CurrentUser, RequirePermission, Roles } from '../auth';
import { FormValues, sendPage, viewerOf } from '../console/console-http.util';
import type { AuditFilterValues } from '../views/supervisor-audit.view';
import { renderSupervisorAuditPage } from '../views/supervisor-audit.view';
import { renderSupervisorDashboardPage } from '../views/supervisor-dashboard.view';
import { AuditLabelsService } from './audit-labels.service';

/**
 * The supervisors' pages: the dashboard (dashboard.read) and the operator's audit trail
 * (audit.read, staff only here: merchant admins get their own tenant's access log in the portal).
 */
@ApiExcludeController()
@Controller('supervisor')
export class SupervisorPagesController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly trail: AuditTrailService,
    private readonly labels: AuditLabelsService,
  ) {}

  @Get()
  @RequirePermission('dashboard.read')
  async overview(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TicketScope,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const snapshot = await this.dashboard.snapshot(scope);
    sendPage(reply, 200, renderSupervisorDashboardPage({ viewer: viewerOf(user), snapshot }));
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
    const filter: AuditFilterValues = {
      from: form.text('from').trim(),
      to: form.text('to').trim(),
      action: form.text('action').trim(),
      actorId: form.text('actorId').trim(),
      merchantId: form.text('merchantId').trim(),
      target: form.text('target').trim(),
    };
    let status = 200;
    const errors: Record<string, string> = {};
    let page: AuditTrailPage;
    try {
      page = await this.trail.list(filter, form.positiveInt('page') ?? 1);
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
      }),
    );
  }
}
