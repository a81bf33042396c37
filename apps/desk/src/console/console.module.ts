import { Module } from '@nestjs/common';
import { AffectedListModule } from '@madoguchi/incident-response';
import { TicketDeskModule } from '@madoguchi/tickets';
import { AssetsController } from '../assets/assets.controller';
import { CannedPagesController } from './canned/canned.controller';
import { QueuePagesController } from './queue/queue.controller';
import { SearchPageController } from './search/search.controller';
import { TicketActionsController } from './ticket/ticket-actions.controller';
import { TicketPageRenderer } from './ticket/ticket-page.renderer';
import { TicketPagesController } from './ticket/ticket.controller';

/** The agent console: server-rendered pages (Japanese) and their assets. */
@Module({
  imports: [TicketDeskModule, AffectedListModule],
  controllers: [
    AssetsController,
    QueuePagesController,
    TicketPagesController,
    TicketActionsController,
    SearchPageController,
    CannedPagesController,
  ],
  providers: [TicketPageRenderer],
})
export class ConsoleModule {}
