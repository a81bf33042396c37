import { Module } from '@nestjs/common';
import { AuditTrailService } from './audit-trail.service';

/** Reading the audit trail (desk only). Needs DatabaseModule from the app. */
@Module({ providers: [AuditTrailService], exports: [AuditTrailService] })
export class AuditTrailModule {}
