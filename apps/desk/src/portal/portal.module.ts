import { Module } from '@nestjs/common';
import { AccessLogModule } from '@madoguchi/audit';
import { TicketDeskModule } from '@madoguchi/tickets';
import { PortalAccessLogController } from './portal-access-log.controller';
import { PortalCasesController } from './portal-cases.controller';

/** The merchant portal: the merchant's own cases and access log, server-rendered (Japanese). */
@Module({
  imports: [TicketDeskModule, AccessLogModule],
  controllers: [PortalCasesController, PortalAccessLogController],
})
export class PortalModule {}
