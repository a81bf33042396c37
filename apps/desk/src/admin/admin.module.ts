import { Module } from '@nestjs/common';
import { ClosureAdminModule } from '@madoguchi/calendar';
import { DevMailboxService, OutboxAdminService } from '@madoguchi/mail';
import { MerchantAdminModule } from '@madoguchi/tenant-admin';
import { TicketDeskModule } from '@madoguchi/tickets';
import { AdminClosuresController } from './closures/closures.controller';
import { AdminDevMailboxController } from './dev-mailbox/dev-mailbox.controller';
import { AdminIncidentsController } from './incidents/incidents.controller';
import { AdminMerchantsController } from './merchants/merchants.controller';
import { AdminOutboxController } from './outbox/outbox.controller';
import { AdminRulesController } from './rules/rules.controller';
import { AdminSitesController } from './sites/sites.controller';

/** Operator administration: merchants, sites and calendar closures (server-rendered pages). */
@Module({
  // TicketDeskModule brings IncidentsModule (incidents, templates) and the outdated-receivers list.
  imports: [MerchantAdminModule, ClosureAdminModule, TicketDeskModule],
  controllers: [
    AdminMerchantsController,
    AdminSitesController,
    AdminClosuresController,
    AdminIncidentsController,
    AdminOutboxController,
    AdminDevMailboxController,
    AdminRulesController,
  ],
  // The outbox page's service; exported so the desk's metrics read the backlog through it.
  providers: [OutboxAdminService, DevMailboxService],
  exports: [OutboxAdminService],
})
export class AdminModule {}
