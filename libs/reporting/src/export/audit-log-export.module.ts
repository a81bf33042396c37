import { Module } from '@nestjs/common';
import { AccessLogModule, AuditTrailModule } from '@madoguchi/audit';
import { AuditLogExportService } from './audit-log-export.service';

/** CSV export of the access log and the audit trail (desk only). Needs DatabaseModule and AuditModule. */
@Module({
  imports: [AccessLogModule, AuditTrailModule],
  providers: [AuditLogExportService],
  exports: [AuditLogExportService],
})
export class AuditLogExportModule {}
