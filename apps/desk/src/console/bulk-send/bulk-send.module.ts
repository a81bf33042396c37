import { Module } from '@nestjs/common';
import { BulkSendModule } from '@madoguchi/incident-response';
import { BulkSendPages } from './bulk-send-pages';
import { PortalBulkSendController, SupervisorBulkSendController } from './bulk-send.controller';

/** Bulk sends of approved incident answers: supervisors' and merchant admins' pages. */
@Module({
  imports: [BulkSendModule],
  providers: [BulkSendPages],
  controllers: [SupervisorBulkSendController, PortalBulkSendController],
})
export class BulkSendPagesModule {}
