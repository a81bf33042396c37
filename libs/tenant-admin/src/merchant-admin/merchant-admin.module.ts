import { Module } from '@nestjs/common';
import { MerchantAdminService } from './merchant-admin.service';

/** Operator administration of merchants and sites. Needs, from the app: DatabaseModule, AuditModule. */
@Module({ providers: [MerchantAdminService], exports: [MerchantAdminService] })
export class MerchantAdminModule {}
