import { Module } from '@nestjs/common';
import { AccessLogModule } from '@madoguchi/audit';
import { CallStatsModule } from '@madoguchi/calls';
import {
  AffectedListModule,
  AuditLogExportModule,
  CaseExportModule,
  FaqPageModule,
  MerchantSettingsModule,
  MerchantStatsModule,
  TicketDeskModule,
} from '@madoguchi/tickets';
import { AttemptLimiter } from '../auth/attempt-limiter.service';
import { PortalAffectedListController } from './portal-affected-list.controller';
import { PortalAccessLogController } from './portal-access-log.controller';
import { PortalCasesController } from './portal-cases.controller';
import { PortalIncidentsController } from './portal-incidents.controller';
import { PortalExportController } from './portal-export.controller';
import { PortalStatsController } from './portal-stats.controller';
import { PortalSettingsController } from './portal-settings.controller';
import { PortalUsersController } from './portal-users.controller';

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
    AffectedListModule,
  ],
  controllers: [
    PortalCasesController,
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
