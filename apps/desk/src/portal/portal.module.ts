import { Module } from '@nestjs/common';
import { AccessLogModule } from '@madoguchi/audit';
import { CallStatsModule } from '@madoguchi/calls';
import {
  CaseExportModule,
  MerchantSettingsModule,
  MerchantStatsModule,
  TicketDeskModule,
} from '@madoguchi/tickets';
import { PortalAccessLogController } from './portal-access-log.controller';
import { PortalCasesController } from './portal-cases.controller';
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
    CallStatsModule,
  ],
  controllers: [
    PortalCasesController,
    PortalAccessLogController,
    PortalSettingsController,
    PortalUsersController,
    PortalStatsController,
    PortalExportController,
  ],
})
export class PortalModule {}
