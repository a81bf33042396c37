import { Module } from '@nestjs/common';
import { AffectedListModule } from '@madoguchi/incident-response';
import { TicketDeskModule } from '@madoguchi/tickets';
import { AssetsController } from '../assets/assets.controller';
import { BulkActionController } from './bulk/bulk.controller';
import { CannedController } from './canned/canned.controller';
import { QueueController } from './queue/queue.controller';
import { SearchController } from './search/search.controller';
import { MergeController } from './ticket/merge.controller';
import { TicketActionsController } from './ticket/ticket-actions.controller';
import { TicketPageRenderer } from './ticket/ticket-page.renderer';
import { TicketController } from './ticket/ticket.controller';
import { ViewsController } from './views/views.controller';

/** The agent console: server-rendered pages (Japanese) and their assets. */
@Module({
  imports: [TicketDeskModule, AffectedListModule],
  controllers: [
    AssetsController,
    QueueController,
    TicketController,
    TicketActionsController,
    SearchController,
    CannedController,
    BulkActionController,
    ViewsController,
    MergeController,
  ],
  providers: [TicketPageRenderer],
})
export class ConsoleModule {}
