import { Controller, Get, Param, ParseIntPipe, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedUser } from '@madoguchi/auth';
import { NotFoundException, tokyoDateOf } from '@madoguchi/common';
import {
  type IncidentReport,
  type IncidentReportFormat,
  type IncidentReportRequest,
  IncidentReportService,
} from '@madoguchi/incident-response';
import { type TenantScope } from '@madoguchi/tenancy';
import type { TicketActor } from '@madoguchi/tenancy';
import { CurrentScope, CurrentUser, hasPermission, RequirePermission, Roles } from '../../auth';
import { CurrentActor, FormValues, type HtmlPage, htmlPage, viewerOf } from '../../web';
import { merchantScopeOf, PORTAL_ROLES } from '../../portal/shared/portal-http.util';
import { incidentReportCsv } from './incident-report.csv';
import { renderIncidentReportPage } from './incident-report.view';

const ID = new ParseIntPipe({ errorHttpStatusCode: 404 });

/** Reads the report (audited by the service) for one format. */
async function generate(
  reports: IncidentReportService,
  user: AuthenticatedUser,
  scope: TenantScope,
  actor: TicketActor,
  incidentId: number,
  target: IncidentReportRequest,
  format: IncidentReportFormat,
): Promise<IncidentReport> {
  return reports.generate(scope, actor, incidentId, target, {
    format,
    // Who opened personal data comes from the audit trail: only for readers of it.
    includeAccess: hasPermission(user.role, 'audit.read'),
  });
}

function sendCsv(reply: FastifyReply, report: IncidentReport, who: string): void {
  const filename = `incident-report-${report.header.incidentId}-${who.replace(/[^A-Za-z0-9_-]/g, '_')}-${tokyoDateOf(report.header.generatedAt)}.csv`;
  void reply
    .status(200)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .type('text/csv; charset=utf-8')
    .send(incidentReportCsv(report));
}

/**
 * The merchant's own incident report: only an incident that affects its merchant exists here
 * (anything else is 404). Merchant admins and viewers read it; the access section needs
 * audit.read (merchant admins).
 */
@ApiExcludeController()
@Controller('portal/incidents')
@Roles(...PORTAL_ROLES)
@RequirePermission('incident_report.read')
export class PortalIncidentReportController {
  constructor(private readonly reports: IncidentReportService) {}

  @Get(':id/report')
  async page(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
  ): Promise<HtmlPage> {
    const merchantScope = merchantScopeOf(scope);
    const report = await generate(this.reports, user, merchantScope, actor, id, {}, 'html');
    return htmlPage(
      renderIncidentReportPage({
        viewer: viewerOf(user),
        area: 'portal',
        report,
        csvHref: `/portal/incidents/${id}/report.csv`,
        incidentHref: `/portal/incidents/${id}`,
      }),
    );
  }

  @Get(':id/report.csv')
  async csv(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const merchantScope = merchantScopeOf(scope);
    const report = await generate(this.reports, user, merchantScope, actor, id, {}, 'csv');
    sendCsv(reply, report, report.sections[0]?.merchantCode ?? 'merchant');
  }
}

/** `?merchant=<id>`: that affected merchant; absent: every affected merchant and the total. */
function merchantOf(query: unknown): IncidentReportRequest {
  const form = new FormValues(query);
  if (form.text('merchant').trim() === '') return {};
  const merchantId = form.positiveInt('merchant');
  if (merchantId === null) throw new NotFoundException('加盟店が見つかりません。');
  return { merchantId };
}

/**
 * The operator's incident report: one affected merchant (`?merchant=`), or all of them at once
 * with a section each and the total. Admins and supervisors; agents are refused (403).
 */
@ApiExcludeController()
@Controller('supervisor/incidents')
@Roles('admin', 'supervisor')
@RequirePermission('incident_report.read')
export class SupervisorIncidentReportController {
  constructor(private readonly reports: IncidentReportService) {}

  @Get(':id/report')
  async page(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Query() query: unknown,
  ): Promise<HtmlPage> {
    const target = merchantOf(query);
    const report = await generate(this.reports, user, scope, actor, id, target, 'html');
    const merchants = await this.reports.merchants(scope, id);
    const base = `/supervisor/incidents/${id}/report`;
    const suffix = target.merchantId === undefined ? '' : `?merchant=${target.merchantId}`;
    return htmlPage(
      renderIncidentReportPage({
        viewer: viewerOf(user),
        area: 'supervisor',
        report,
        csvHref: `/supervisor/incidents/${id}/report.csv${suffix}`,
        incidentHref: `/admin/incidents/${id}`,
        allHref: base,
        merchantLinks: merchants.map((m) => ({
          name: m.merchantName,
          href: `${base}?merchant=${m.merchantId}`,
          current: m.merchantId === target.merchantId,
        })),
      }),
    );
  }

  @Get(':id/report.csv')
  async csv(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentScope() scope: TenantScope,
    @CurrentActor() actor: TicketActor,
    @Param('id', ID) id: number,
    @Query() query: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = merchantOf(query);
    const report = await generate(this.reports, user, scope, actor, id, target, 'csv');
    sendCsv(
      reply,
      report,
      target.merchantId === undefined ? 'all' : (report.sections[0]?.merchantCode ?? 'merchant'),
    );
  }
}
