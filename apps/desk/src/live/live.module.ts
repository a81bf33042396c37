import { Module } from '@nestjs/common';
import { TicketDeskModule } from '@madoguchi/tickets';
import { EventsController } from './events.controller';
import { TicketChangeFeed } from './ticket-change-feed.service';

/** Live queue updates over Server-Sent Events (`GET /api/v1/events`). */
@Module({
  imports: [TicketDeskModule],
  controllers: [EventsController],
  providers: [TicketChangeFeed],
})
export class LiveModule {}
