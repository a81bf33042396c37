import { Module } from '@nestjs/common';
import { QueueAdminService } from './queue-admin.service';

/** Queue set-up for the operator's admins (desk only). Needs DatabaseModule and AuditModule. */
@Module({ providers: [QueueAdminService], exports: [QueueAdminService] })
export class QueueAdminModule {}
