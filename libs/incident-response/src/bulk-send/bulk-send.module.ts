import { Module } from '@nestjs/common';
import { TicketDeskModule } from '@madoguchi/tickets';
import { IncidentDeskModule } from '../incident-desk.module';
import { BulkSendService } from './bulk-send.service';
import { BulkSendWorker } from './bulk-send.worker';

/**
 * Bulk sends of approved incident answers, for the desk only (it holds the mail worker and
 * the timers). Needs, from the app: DatabaseModule, CryptoModule, AuditModule, ConfigModule.
 */
@Module({
  imports: [TicketDeskModule, IncidentDeskModule],
  providers: [BulkSendService, BulkSendWorker],
  exports: [BulkSendService],
})
export class BulkSendModule {}
