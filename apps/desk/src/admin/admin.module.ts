import { Module } from '@nestjs/common';
import { ClosureAdminModule } from '@madoguchi/calendar';
import { OutboxAdminService } from '@madoguchi/mail';
import { MerchantAdminModule } from '@madoguchi/tenant-admin';
import { TicketDeskModule } from '@madoguchi/tickets';
import { ClosurePagesController } from './closures/closures.controller';
import { IncidentPagesController } from './incidents/incidents.controller';
import { MerchantPagesController } from './merchants/merchants.controller';
import { OutboxPagesController } from './outbox/outbox.controller';
import { SitePagesController } from './sites/sites.controller';

/** Operator administration: merchants, sites and calendar closures (server-rendered pages). */
@Module({
  // TicketDeskModule brings IncidentsModule (incidents, templates) and the outdated-receivers list.
  imports: [MerchantAdminModule, ClosureAdminModule, TicketDeskModule],
  controllers: [
    MerchantPagesController,
    SitePagesController,
    ClosurePagesController,
    IncidentPagesController,
    OutboxPagesController,
  ],
  // The outbox page's service; exported so the desk's metrics read the backlog through it.
  providers: [OutboxAdminService],
  exports: [OutboxAdminService],
})
export class AdminModule {}
