import { Module } from '@nestjs/common';
import { TicketDeskModule } from '@madoguchi/tickets';
import { EventsController } from './events.controller';
import { PresenceController } from './presence.controller';
import { TicketChangeFeed } from './ticket-change-feed.service';

/**
 * Live queue updates over Server-Sent Events (`GET /api/v1/events`), and presence on tickets
 * with an open ticket page's live state (`/api/v1/tickets/{reference}/presence`).
 */
@Module({
  imports: [TicketDeskModule],
  controllers: [EventsController, PresenceController],
  providers: [TicketChangeFeed],
})
export class LiveModule {}
