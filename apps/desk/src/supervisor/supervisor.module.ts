import { Module } from '@nestjs/common';
import { AuditTrailModule } from '@madoguchi/audit';
import { AuditLogExportModule, DashboardModule, FaqPageModule } from '@madoguchi/tickets';
import { AuditLabelsService } from './audit-labels.service';
import { SupervisorPagesController } from './supervisor-pages.controller';

/** The supervisors' dashboard and the operator's audit trail. */
@Module({
  imports: [DashboardModule, AuditTrailModule, AuditLogExportModule, FaqPageModule],
  providers: [AuditLabelsService],
  controllers: [SupervisorPagesController],
})
export class SupervisorModule {}
