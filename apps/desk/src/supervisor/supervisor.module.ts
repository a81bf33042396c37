import { Module } from '@nestjs/common';
import { AuditTrailModule } from '@madoguchi/audit';
import { AuditLogExportModule, DashboardModule } from '@madoguchi/reporting';
import { FaqPageModule } from '@madoguchi/incident-response';
import { TicketDeskModule } from '@madoguchi/tickets';
import { AuditLabelsService } from './audit/audit-labels.service';
import { SupervisorAuditController } from './audit/audit.controller';
import { SupervisorDashboardController } from './dashboard/dashboard.controller';
import { SupervisorNotificationsController } from './notifications/notifications.controller';
import { SlaPoliciesController } from './sla-policies/sla-policies.controller';

/** The supervisors' dashboard, the operator's audit trail, SLA policies and SLA notifications. */
@Module({
  imports: [
    DashboardModule,
    AuditTrailModule,
    AuditLogExportModule,
    FaqPageModule,
    TicketDeskModule,
  ],
  providers: [AuditLabelsService],
  controllers: [
    SupervisorDashboardController,
    SupervisorAuditController,
    SlaPoliciesController,
    SupervisorNotificationsController,
  ],
})
export class SupervisorModule {}
