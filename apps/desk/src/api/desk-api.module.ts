import { Module } from '@nestjs/common';
import { TicketDeskModule } from '@madoguchi/tickets';
import { AttachmentsController } from './attachments.controller';
import { BulkActionsController } from './bulk-actions.controller';
import { SavedViewsController } from './saved-views.controller';
import { CannedResponsesController } from './canned-responses.controller';
import { DeterminationsController } from './determinations.controller';
import { QueuesController } from './queues.controller';
import { SlaPoliciesApiController } from './sla-policies.controller';
import { TicketMergeController } from './ticket-merge.controller';
import { RulesController } from './rules.controller';
import { TicketsController } from './tickets.controller';

/** The desk's REST API under /api/v1 (auth routes live with the auth module; calls in apps/desk/src/calls), documented in OpenAPI. */
@Module({
  imports: [TicketDeskModule],
  controllers: [
    TicketsController,
    QueuesController,
    CannedResponsesController,
    DeterminationsController,
    AttachmentsController,
    SlaPoliciesApiController,
    BulkActionsController,
    SavedViewsController,
    TicketMergeController,
    RulesController,
  ],
})
export class DeskApiModule {}
