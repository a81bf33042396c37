import { Module } from '@nestjs/common';
import { AccessLogModule } from '@madoguchi/audit';
import { CallLogModule, CallStatsModule } from '@madoguchi/calls';
import { AffectedListModule, FaqPageModule } from '@madoguchi/incident-response';
import { AuditLogExportModule, CaseExportModule, MerchantStatsModule } from '@madoguchi/reporting';
import { MerchantSettingsModule } from '@madoguchi/tenant-admin';
import { TenancyModule } from '@madoguchi/tenancy';
import { TicketDeskModule } from '@madoguchi/tickets';
import { AttemptLimiter } from '../auth/attempt-limiter.service';
import { PortalAffectedListController } from './affected-list/affected-list.controller';
import { PortalAccessLogController } from './access-log/access-log.controller';
import { PortalCaseController } from './case/case.controller';
import { PortalCasesController } from './cases/cases.controller';
import { PortalIncidentsController } from './incidents/incidents.controller';
import { PortalExportController } from './export/export.controller';
import { PortalStatsController } from './stats/stats.controller';
import { PortalSettingsController } from './settings/settings.controller';
import { PortalUsersController } from './users/users.controller';

/** The merchant portal: the merchant's own cases and access log, server-rendered (Japanese). */
@Module({
  imports: [
    TicketDeskModule,
    AccessLogModule,
    MerchantSettingsModule,
    MerchantStatsModule,
    CaseExportModule,
    AuditLogExportModule,
    FaqPageModule,
    CallStatsModule,
    CallLogModule,
    AffectedListModule,
    TenancyModule,
  ],
  controllers: [
    PortalCasesController,
    PortalCaseController,
    PortalIncidentsController,
    PortalAccessLogController,
    PortalSettingsController,
    PortalUsersController,
    PortalStatsController,
    PortalExportController,
    PortalAffectedListController,
  ],
  // Stateless over the database counter: the export's password re-entry budget.
  providers: [AttemptLimiter],
})
export class PortalModule {}
