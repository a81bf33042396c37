import { Module } from '@nestjs/common';
import { CallLogModule } from '@madoguchi/calls';
import { TicketDeskModule } from '@madoguchi/tickets';
import { CallsController } from './calls.controller';
import { CannedResponsesController } from './canned-responses.controller';
import { QueuesController } from './queues.controller';
import { TicketsController } from './tickets.controller';

/** The desk's REST API under /api/v1 (auth routes live with the auth module), documented in OpenAPI. */
@Module({
  imports: [TicketDeskModule, CallLogModule],
  controllers: [TicketsController, QueuesController, CannedResponsesController, CallsController],
})
export class DeskApiModule {}
