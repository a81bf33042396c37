import { Module } from '@nestjs/common';
import { ClosureAdminModule } from '@madoguchi/calendar';
import { OutboxAdminService } from '@madoguchi/mail';
import { MerchantAdminModule, TicketDeskModule } from '@madoguchi/tickets';
import { ClosurePagesController } from './closure-pages.controller';
import { IncidentPagesController } from './incident-pages.controller';
import { MerchantPagesController } from './merchant-pages.controller';
import { OutboxPagesController } from './outbox-pages.controller';
import { SitePagesController } from './site-pages.controller';

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
