import { Module } from '@nestjs/common';
import { AffectedListModule, TicketDeskModule } from '@madoguchi/tickets';
import { AssetsController } from '../assets/assets.controller';
import { CannedPagesController } from './canned-pages.controller';
import { QueuePagesController } from './queue-pages.controller';
import { SearchPageController } from './search-page.controller';
import { TicketPagesController } from './ticket-pages.controller';

/** The agent console: server-rendered pages (Japanese) and their assets. */
@Module({
  imports: [TicketDeskModule, AffectedListModule],
  controllers: [
    AssetsController,
    QueuePagesController,
    TicketPagesController,
    SearchPageController,
    CannedPagesController,
  ],
})
export class ConsoleModule {}
