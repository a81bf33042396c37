import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AUDIT_TRAIL_PAGE_SIZE, type AuditTrailPage, AuditTrailService } from '@madoguchi/audit';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { DomainException, ErrorCode, type FieldError } from '@madoguchi/common';
import {
  AUDIT_LOG_EXPORT_DAILY_LIMIT,
  AUDIT_LOG_EXPORT_MAX_ROWS,
  AuditLogExportService,
} from '@madoguchi/reporting';
import { type TicketActor } from '@madoguchi/tenancy';
import { AUDIT_EXPORT_LABELS_JA, sendCsv } from '../../audit-export/audit-export.util';
import { CurrentUser, RequirePermission, Roles } from '../../auth';
import {
  CurrentActor,
  FormValues,
  type HtmlPage,
  htmlPage,
  sendWebResponse,
  viewerOf,
} from '../../web';
import { AuditLabelsService } from './audit-labels.service';
import { type AuditFilterValues, renderSupervisorAuditPage } from './audit.view';

const EXPORT_LIMITS = { rows: AUDIT_LOG_EXPORT_MAX_ROWS, times: AUDIT_LOG_EXPORT_DAILY_LIMIT };

/**
 * The operator's audit trail (audit.read, staff only here: merchant admins get their own
 * tenant's access log in the portal) with its bounded, audited CSV export (the password again).
 */
@ApiExcludeController()
@Controller('supervisor')
export class SupervisorAuditController {
  constructor(
    private readonly trail: AuditTrailService,
    private readonly labels: AuditLabelsService,
    private readonly exports: AuditLogExportService,
  ) {}

  @Get('audit')
  @RequirePermission('audit.read')
  @Roles('admin', 'supervisor')
  async audit(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: Record<string, unknown>,
  ): Promise<HtmlPage> {
    const form = new FormValues(query);
    return this.auditPage(user, filterValuesOf(form), form.positiveInt('page') ?? 1);
  }

  @Post('audit/export')
  @RequirePermission('audit.read')
  @Roles('admin', 'supervisor')
  async exportAudit(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: TicketActor,
    @Body() body: unknown,
    // Kept: the success answer is a file download, not a page.
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    const filter = filterValuesOf(form);
    try {
      const file = await this.exports.exportAuditTrail(
        actor,
        { password: form.text('password'), filter },
        AUDIT_EXPORT_LABELS_JA,
      );
      sendCsv(reply, file);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      if (error.code === ErrorCode.ValidationFailed) {
        sendWebResponse(reply, await this.auditPage(user, filter, 1, error.fieldErrors, 400));
        return;
      }
      if (error.code === ErrorCode.RateLimited) {
        sendWebResponse(reply, await this.auditPage(user, filter, 1, [], 429, error.message));
        return;
      }
      throw error;
    }
  }

  private async auditPage(
    user: AuthenticatedUser,
    filter: AuditFilterValues,
    pageNumber: number,
    fieldErrors: readonly FieldError[] = [],
    status = 200,
    refusal?: string,
  ): Promise<HtmlPage> {
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
    return htmlPage(
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
      status,
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
