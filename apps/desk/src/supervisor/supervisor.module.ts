import { Module } from '@nestjs/common';
import { AuditTrailModule } from '@madoguchi/audit';
import { AuditLogExportModule, DashboardModule } from '@madoguchi/reporting';
import { FaqPageModule } from '@madoguchi/incident-response';
import { AuditLabelsService } from './audit/audit-labels.service';
import { SupervisorAuditController } from './audit/audit.controller';
import { SupervisorDashboardController } from './dashboard/dashboard.controller';

/** The supervisors' dashboard and the operator's audit trail. */
@Module({
  imports: [DashboardModule, AuditTrailModule, AuditLogExportModule, FaqPageModule],
  providers: [AuditLabelsService],
  controllers: [SupervisorDashboardController, SupervisorAuditController],
})
export class SupervisorModule {}
