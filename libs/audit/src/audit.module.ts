import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';
import { AuditRetentionService } from './retention/audit-retention.service';

@Global()
@Module({
  providers: [AuditService, AuditRetentionService],
  exports: [AuditService, AuditRetentionService],
})
export class AuditModule {}
